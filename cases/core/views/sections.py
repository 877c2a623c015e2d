"""The case core's sections of the case page: summary, stage (moves, close, reopen), assignment, details, notes and
timeline — what each shows (its context function) and where (its template). ``Section`` is the shape every package's
sections share; the actions that write them are in ``cases.core.views.case``, the machinery in ``cases.core.web``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.core.assignment import offers_take, suggest_assignees
from cases.core.forms import AssignForm, CaseDetailsForm, CloseForm, NoteForm, ReopenForm
from cases.core.models import Case, CaseEvent
from cases.core.office_time import office_zone, zone_label
from cases.core.stages import ORDER, Stage, available_moves

TIMELINE_LENGTH = 100


@dataclass(frozen=True)
class Section:
    """One section of the case page: its anchor (the element's id), heading, template and context function.

    ``context(request, case, **bound)`` returns the template's context; ``bound`` carries the forms of a refused
    action (bound, with their errors) and ``error``. ``url_name`` is the GET route that returns the section alone;
    ``covers`` names the anchors of smaller parts the section contains (they need no refresh of their own).
    """

    anchor: str
    title: Any
    template: str
    context: Callable[..., dict]
    url_name: str = ""
    covers: tuple[str, ...] = ()

    def render(self, request, case: Case, *, message: str = "", oob: bool = False, **bound) -> str:
        context = {"case": case, **self.context(request, case, **bound), "section_message": message, "oob": oob}
        return render_to_string(self.template, context, request=request)


def summary_context(request, case: Case, **bound) -> dict:
    """The lines under the case's heading: stage, office, assignee, worker, flags, respondents, the time zones."""
    page_zone = timezone.get_current_timezone_name()
    case_zone = office_zone(case.office.timezone).key
    # The page's zone (the reader's office's, config.middleware) and, when it differs, the case office's zone.
    return {"times": {"page": zone_label(page_zone), "case": zone_label(case_zone) if case_zone != page_zone else ""}}


def stage_context(request, case: Case, *, error: str = "", move_form=None, close_form=None, reopen_form=None) -> dict:
    moves = available_moves(case)
    return {
        "stages": [(stage, stage.label, ORDER.index(stage) < ORDER.index(case.stage)) for stage in ORDER],
        # Forward moves first: they are what the case normally does next.
        "moves": sorted((m for m in moves if m.to_stage != Stage.CLOSED), key=lambda m: m.back),
        "can_close": any(m.to_stage == Stage.CLOSED for m in moves),
        "close_form": close_form or CloseForm(initial={"expected_version": case.version}),
        "reopen_form": reopen_form or ReopenForm(),
        "move_form": move_form,
        "error": error,
    }


def assignment_context(request, case: Case, *, error: str = "", assign_form=None) -> dict:
    """Who works on the case; a coordinator's assign form (suggestions first), a paralegal's "take it" offer."""
    context = {"offers_take": offers_take(request.user, case), "assign_form": None, "error": error}
    if request.user.is_coordinator and case.stage != Stage.CLOSED:
        context["assign_form"] = assign_form or AssignForm(
            candidates=suggest_assignees(case, actor=request.user), initial={"expected_version": case.version}
        )
    return context


def details_context(
    request, case: Case, *, error: str = "", form=None, editing: bool = False, conflict: bool = False, current=None
) -> dict:
    """The case's details, or (``editing``) the form that edits them; a conflict shows the case as it is now."""
    if editing and form is None:
        form = CaseDetailsForm(instance=case, initial={"version": case.version})
    return {
        "details_form": form if editing else None,
        "conflict": conflict,
        "current_form": CaseDetailsForm(instance=current) if conflict else None,
        "error": error,
    }


def timeline_context(request, case: Case, **bound) -> dict:
    events = list(CaseEvent.objects.filter(case=case).select_related("actor")[:TIMELINE_LENGTH])
    fields = {field.name: field.verbose_name for field in Case._meta.get_fields() if hasattr(field, "verbose_name")}
    for event in events:
        # Edits record field names (never values); show them by their translated labels.
        event.changed_labels = [str(fields.get(name, name)) for name in event.payload.get("fields", [])]
    return {"timeline": events}


def notes_context(request, case: Case, *, error: str = "", note_form=None) -> dict:
    return {"note_form": note_form or NoteForm(), "error": error, **timeline_context(request, case)}


SUMMARY = Section("case-summary", _("Summary"), "core/_summary.html", summary_context)
STAGE = Section("stage", _("Stage"), "core/_stage.html", stage_context, "section_stage")
ASSIGNMENT = Section("assignment", _("Assignment"), "core/_assignment.html", assignment_context, "section_assignment")
DETAILS = Section("details", _("Details"), "core/_details.html", details_context, "section_details")
NOTES = Section("notes", _("Notes and timeline"), "core/_notes.html", notes_context, "section_notes", ("timeline",))
TIMELINE = Section("timeline", _("Timeline"), "core/_timeline.html", timeline_context)

# What every write to a case changes: the summary, the forms that carry the case's version (stage, assignment) — a
# second action on the same page must not be refused as stale — and the timeline (each write appends an event).
AFTER_WRITE = (SUMMARY, STAGE, ASSIGNMENT, TIMELINE)
