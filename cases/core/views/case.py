"""The case core's actions on the case page: move, close, reopen, assign, take, note, edit the details.

Each validates a form, calls one service in ``cases.core.services.cases`` and answers with its section
(``cases.core.web``): in place for htmx, else a redirect to the section on the case page. A refusal — an illegal or
stale move, a failed guard, bad input — shows the section again with the reason and what was typed, with 400, 403
or 409. A case outside ``visible_to`` is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from cases.core.assignment import suggest_assignees
from cases.core.errors import CaseError, NotPermitted, StaleCase
from cases.core.forms import AssignForm, CaseDetailsForm, CloseForm, MoveForm, NoteForm, ReopenForm, TakeForm
from cases.core.models import Case
from cases.core.services import cases as services
from cases.core.stages import Stage
from cases.core.views.sections import ASSIGNMENT, DETAILS, NOTES, STAGE
from cases.core.web import Done, case_view, get_case, refusal, section_done, section_response, section_view, submit
from paralegals.models import User


@case_view(STAGE)
def case_move(request, case: Case):
    form = MoveForm(request.POST)
    to_stage = form.data.get("to_stage", "")
    label = Stage(to_stage).label if to_stage in Stage.values else ""
    submit(
        form,
        lambda data: services.case_advance(
            actor=request.user,
            case_id=case.pk,
            to_stage=data["to_stage"],
            expected_version=data["expected_version"],
            reason=data["reason"],
        ),
        bound={"move_form": form},
    )
    return Done(_("The case moved to %(stage)s.") % {"stage": label}, stage_changed=True)


@case_view(STAGE)
def case_close_view(request, case: Case):
    form = CloseForm(request.POST)
    submit(
        form,
        lambda data: services.case_close(
            actor=request.user,
            case_id=case.pk,
            outcome=data["outcome"],
            reason=data["reason"],
            expected_version=data["expected_version"],
        ),
        bound={"close_form": form},
    )
    return Done(_("The case is closed."), stage_changed=True)


@case_view(STAGE)
def case_reopen_view(request, case: Case):
    form = ReopenForm(request.POST)
    submit(
        form,
        lambda data: services.case_reopen(
            actor=request.user, case_id=case.pk, reason=data["reason"], to_stage=data["to_stage"] or None
        ),
        bound={"reopen_form": form},
    )
    return Done(_("The case is open again."), stage_changed=True)


@case_view(ASSIGNMENT)
def case_assign_view(request, case: Case):
    if not request.user.is_coordinator:
        raise NotPermitted(_("Only a coordinator can assign cases."))
    form = AssignForm(request.POST, candidates=suggest_assignees(case, actor=request.user))
    assignee = submit(
        form,
        lambda data: (
            services.case_assign(
                actor=request.user,
                case_id=case.pk,
                assignee=User.objects.get(pk=data["assignee"]),
                reason=data["reason"],
                expected_version=data["expected_version"],
            ).assigned_to
        ),
        bound={"assign_form": form},
    )
    return Done(_("Assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee.username})


@case_view(ASSIGNMENT)
def case_take_view(request, case: Case):
    """A paralegal takes an unassigned case of their office (where the office allows it)."""
    form = TakeForm(request.POST)
    submit(
        form,
        lambda data: services.case_take(actor=request.user, case_id=case.pk, expected_version=data["expected_version"]),
        bound={},
    )
    return Done(_("You took the case: it is assigned to you now."))


@case_view(NOTES)
def case_note(request, case: Case):
    form = NoteForm(request.POST)
    submit(
        form,
        lambda data: services.case_add_note(actor=request.user, case_id=case.pk, text=data["text"]),
        bound={"note_form": form},
    )
    return Done(_("Note added."))


@login_required
def case_edit(request, pk: int):
    """Edit details with optimistic concurrency: an edit based on an old version shows a conflict.

    In place (htmx) the details section turns into the form; without JavaScript the form is a page of its own.
    """
    case = get_case(request, pk)
    if request.method != "POST":
        if request.htmx:
            return section_response(request, case, DETAILS, editing=True)
        form = CaseDetailsForm(instance=case, initial={"version": case.version})
        return render(request, "core/case_edit.html", {"case": case, "form": form})
    form = CaseDetailsForm(request.POST, instance=Case.objects.get(pk=case.pk))
    if not form.is_valid():
        return _edit_again(request, case, form, status=400)
    try:
        services.case_update_details(
            actor=request.user, case_id=pk, expected_version=form.cleaned_data["version"], changes=form.changes()
        )
    except StaleCase:
        current = get_case(request, pk)
        # Keep what they typed; saving again (now knowingly) replaces the other person's change.
        form.data = form.data.copy()
        form.data["version"] = current.version
        return _edit_again(request, current, form, status=409, conflict=True)
    except CaseError as exc:
        refused = refusal(exc, form=form)
        return _edit_again(request, case, form, status=refused.status, error=refused.error)
    return section_done(request, case, DETAILS, Done(_("Case details saved.")))


def _edit_again(request, case: Case, form, *, status: int, conflict: bool = False, error: str = ""):
    if request.htmx:
        return section_response(
            request, case, DETAILS, status=status, editing=True, form=form, conflict=conflict, current=case, error=error
        )
    context = {"case": case, "form": form, "conflict": conflict, "error": error}
    if conflict:
        context["current_form"] = CaseDetailsForm(instance=case)
    return render(request, "core/case_edit.html", context, status=status)


urlpatterns = [
    path("cases/<int:pk>/move/", case_move, name="case_move"),
    path("cases/<int:pk>/close/", case_close_view, name="case_close"),
    path("cases/<int:pk>/reopen/", case_reopen_view, name="case_reopen"),
    path("cases/<int:pk>/assign/", case_assign_view, name="case_assign"),
    path("cases/<int:pk>/take/", case_take_view, name="case_take"),
    path("cases/<int:pk>/note/", case_note, name="case_note"),
    path("cases/<int:pk>/edit/", case_edit, name="case_edit"),
    path("cases/<int:pk>/section/stage/", section_view(STAGE), name=STAGE.url_name),
    path("cases/<int:pk>/section/assignment/", section_view(ASSIGNMENT), name=ASSIGNMENT.url_name),
    path("cases/<int:pk>/section/details/", section_view(DETAILS), name=DETAILS.url_name),
    path("cases/<int:pk>/section/notes/", section_view(NOTES), name=NOTES.url_name),
]
