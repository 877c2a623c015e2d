"""Office time for staff: every page a member of staff asks for is shown in their office's time zone.

``{{ some_datetime }}``, ``|date``, ``timezone.localdate()`` and the forms' datetime fields all follow Django's active
time zone; this middleware activates the signed-in person's office zone for the request, and settings.TIME_ZONE for
someone without an office (a global coordinator, an administrator) or not signed in. The office comes with the user
row (``paralegals.backends.OfficeModelBackend``), so this costs no query. The API's token users get the same zone
when their token is checked (``config.api.authentication``).

A deadline belongs to its case's office, not to the reader: pages show it in its own zone with the zone's label
(``cases.core.office_time.zone_label``) when that differs from the page's.
"""

from django.conf import settings
from django.utils import timezone

from cases.core.office_time import office_zone, staff_zone_name


def activate_staff_zone(user) -> None:
    """Show ``user``'s pages in their office's zone (settings.TIME_ZONE without an office or when signed out)."""
    if getattr(user, "is_authenticated", False):
        timezone.activate(office_zone(staff_zone_name(user)))
    else:
        timezone.deactivate()


class OfficeTimeMiddleware:
    """After AuthenticationMiddleware: activate the signed-in person's office zone for the whole request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: don't touch request.user (and the session), so the worker's
        # status check and token calls to the API stay as they were (no session read, no "Vary: Cookie").
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            activate_staff_zone(request.user)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
