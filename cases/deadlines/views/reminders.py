"""The reminders section of the case page: reminders that could not be sent (staff must act) and those waiting.

It has no actions of its own; it reloads itself when the case's stage changes (reminders follow the stage).
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from cases.core.views.sections import Section
from cases.core.web import section_view
from cases.deadlines.models import ReminderChannel, ReminderStatus


def reminders_section_context(request, case, **bound) -> dict:
    """The case's reminders that failed (staff must act) and those still waiting; ``case`` came through
    ``visible_to``. The in-app twin of each staff email is left out: it cannot fail, and listing it would show every
    reminder twice."""
    reminders = (
        case.reminders.exclude(channel=ReminderChannel.APP).select_related("recipient_user").order_by("due_at", "id")
    )
    return {
        "failed_reminders": list(reminders.filter(status=ReminderStatus.FAILED)[:20]),
        "pending_reminders": list(reminders.filter(status=ReminderStatus.PENDING)[:20]),
    }


REMINDERS = Section(
    "reminders", _("Reminders"), "deadlines/_reminders.html", reminders_section_context, "section_reminders"
)

urlpatterns = [
    path("cases/<int:pk>/section/reminders/", section_view(REMINDERS), name=REMINDERS.url_name),
]
