"""The reminders section of the case page: reminders that could not be sent (staff must act) and those waiting.

It has no actions of its own; it reloads itself when the case's stage changes (reminders follow the stage).
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from cases.core.views.sections import Section
from cases.core.web import section_view
from cases.deadlines.sweep import reminders_context


def reminders_section_context(request, case, **bound) -> dict:
    return reminders_context(request, case)


REMINDERS = Section(
    "reminders", _("Reminders"), "deadlines/_reminders.html", reminders_section_context, "section_reminders"
)

urlpatterns = [
    path("cases/<int:pk>/section/reminders/", section_view(REMINDERS), name=REMINDERS.url_name),
]
