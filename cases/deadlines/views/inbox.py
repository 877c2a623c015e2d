"""The staff inbox (every staff reminder as a notification) and the notification settings page.

Each view validates its input, calls one service in ``cases.deadlines.services.notifications`` and renders or redirects.
A person sees
and marks only their own notifications: another person's id is 404. The inbox works without JavaScript: marking
read is a small form per line, and the filter is a GET form.
"""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from cases.core.office_time import staff_zone_name
from cases.core.saved_language import set_language_cookie
from cases.deadlines.forms.notifications import InboxFilterForm, NotificationSettingsForm
from cases.deadlines.header import HeaderCounts
from cases.deadlines.models import Notification
from cases.deadlines.services import notifications


def _back(request, default: str):
    """Back to the page the form was on (``next``), if it is one of ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
def inbox(request):
    form = InboxFilterForm(request.GET)
    form.is_valid()  # a stale page link is shown as an error above the newest page; an unknown filter means "all"
    show = form.cleaned_data.get("show") or "all"
    after = form.cleaned_data.get("after")
    items, next_cursor = notifications.inbox_page(request.user, unread_only=show == "unread", after=after)
    # The header's counts, made here so the page's own "N unread" is the same query as the header's badge.
    counts = HeaderCounts(request.user)
    return render(
        request,
        "deadlines/inbox.html",
        {
            "form": form,
            "show": show,
            "items": items,
            "next_cursor": next_cursor,
            "is_first_page": after is None,
            "header_counts": counts,
            "unread": counts.unread,
            "unread_cap": notifications.UNREAD_CAP,
            "shown_at": timezone.now().isoformat(),
            "zone": staff_zone_name(request.user),
        },
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    try:
        notifications.notification_mark_read(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    return _back(request, reverse("inbox"))


@login_required
@require_POST
def notifications_read_all(request):
    try:
        until = datetime.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        until = None
    if until is not None and timezone.is_naive(until):
        until = None
    marked = notifications.notifications_mark_all_read(actor=request.user, until=until)
    messages.success(request, _("%(count)d marked read.") % {"count": marked})
    return _back(request, reverse("inbox"))


@login_required
def notification_settings(request):
    if request.method != "POST":
        form = NotificationSettingsForm.for_user(request.user, translation.get_language())
        return render(request, "deadlines/notification_settings.html", {"form": form})
    form = NotificationSettingsForm(request.POST)
    if not form.is_valid():
        return render(request, "deadlines/notification_settings.html", {"form": form}, status=400)
    language = form.cleaned_data["language"]
    notifications.notification_settings_save(actor=request.user, by_email=form.by_email(), language=language)
    with translation.override(language):  # the confirmation in the language just chosen, like the next page
        messages.success(request, _("Your notification settings are saved."))
    response = redirect("notification_settings")
    set_language_cookie(response, language)
    return response


@require_POST
def set_language_saved(request):
    """Django's ``set_language`` (cookie and redirect), and for a signed-in person ``User.language`` too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    # set_language ignored a language the site does not offer; so does this.
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        notifications.user_language_set(actor=request.user, language=language)
    return response


urlpatterns = [
    path("inbox/", inbox, name="inbox"),
    path("inbox/<int:pk>/read/", notification_read, name="notification_read"),
    path("inbox/read-all/", notifications_read_all, name="notifications_read_all"),
    path("settings/notifications/", notification_settings, name="notification_settings"),
    path("settings/language/", set_language_saved, name="set_language_saved"),
]
