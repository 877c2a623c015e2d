"""The status check on the staff case page: re-issue the PIN, see and lift a lock, see "my phone changed" requests.

Each action (``cases.core.web.case_view``: a case the user may see, else 404) calls one service in
``cases.portal.services`` and answers with the status-check section: in place for htmx, else a redirect to the
section on the case page. A re-issued PIN travels to the section like the intake PIN: encrypted in the session,
shown once, then gone.
"""

from cryptography.fernet import InvalidToken
from django import forms
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from cases.core.models import Case
from cases.core.pins import PIN_SESSION_KEY
from cases.core.views.sections import Section
from cases.core.web import Done, Refused, case_view, section_view
from cases.portal import limiter, services
from cases.portal.models import PhoneChangeRequest
from claimants.fields import fernet


@sensitive_variables("stored", "pin")
def portal_context(request, case: Case, *, error: str = "") -> dict:
    """The case page's status-check panel: a PIN to show once, the lock, pending phone requests (one query)."""
    stored = request.session.pop(PIN_SESSION_KEY.format(case_id=case.pk), None)
    pin = ""
    if stored:
        try:
            pin = fernet().decrypt(stored.encode()).decode()
        except InvalidToken:
            pin = ""
    try:
        locked_until, lock_unknown = limiter.reference_locked_until(case.reference), False
    except limiter.LimiterUnavailable:
        locked_until, lock_unknown = None, True
    return {
        "portal": {
            "pin": f"{pin[:4]} {pin[4:]}" if pin else "",
            "locked_until": locked_until,
            "lock_unknown": lock_unknown,
            "phone_requests": list(PhoneChangeRequest.objects.pending().filter(case=case)),
            "show_amounts": case.portal_show_amounts,
        },
        "error": error,
    }


STATUS_CHECK = Section(
    "status-check",
    gettext_lazy("Worker's status check"),
    "portal/_status_check.html",
    portal_context,
    "section_status_check",
)


def _run(perform):
    """``perform()``; the limiter's store being down is a 503 with the reason in the section."""
    try:
        return perform()
    except limiter.LimiterUnavailable as exc:
        message = _("The status check's counter store is not reachable. Try again in a moment.")
        raise Refused(503, error=message) from exc


@case_view(STATUS_CHECK)
@sensitive_variables("pin")
def pin_reissue_view(request, case: Case):
    pin = _run(lambda: services.pin_reissue(actor=request.user, case_id=case.pk))
    request.session[PIN_SESSION_KEY.format(case_id=case.pk)] = fernet().encrypt(pin.encode()).decode()
    return Done(_("A new PIN was issued. The old one no longer works."))


@case_view(STATUS_CHECK)
def portal_unlock_view(request, case: Case):
    _run(lambda: services.portal_unlock(actor=request.user, case_id=case.pk))
    return Done(_("The status check is unlocked for this case."))


@case_view(STATUS_CHECK)
def phone_request_handled_view(request, case: Case, request_id: int):
    _run(lambda: services.phone_request_handle(actor=request.user, case_id=case.pk, request_id=request_id))
    return Done(_("The phone number request is marked as checked."))


class AmountsForm(forms.Form):
    show = forms.BooleanField(required=False)


@case_view(STATUS_CHECK)
def portal_amounts_view(request, case: Case):
    form = AmountsForm(request.POST)
    show = form.is_valid() and form.cleaned_data["show"]
    _run(lambda: services.portal_show_amounts_set(actor=request.user, case_id=case.pk, show=show))
    return Done(_("Saved."))


urlpatterns = [
    path("cases/<int:pk>/section/status-check/", section_view(STATUS_CHECK), name=STATUS_CHECK.url_name),
    path("cases/<int:pk>/status-check/pin/", pin_reissue_view, name="case_pin_reissue"),
    path("cases/<int:pk>/status-check/unlock/", portal_unlock_view, name="case_portal_unlock"),
    path("cases/<int:pk>/status-check/amounts/", portal_amounts_view, name="case_portal_amounts"),
    path(
        "cases/<int:pk>/status-check/phone/<int:request_id>/",
        phone_request_handled_view,
        name="case_phone_request_handled",
    ),
]
