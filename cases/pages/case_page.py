"""The case page and its actions.

Each action validates a form, calls one service, and redirects back to the case
(POST/redirect/GET). When the service refuses — an illegal or stale move, a failed
guard, bad input — the page is rendered again with the reason and what was typed,
with 409 (conflict) or 400 (bad input). A case outside ``visible_to`` is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.core.assignment import offers_take, suggest_assignees
from cases.core.errors import CaseError, NotPermitted, StaleCase
from cases.core.forms import AssignForm, CaseDetailsForm, CloseForm, MoveForm, NoteForm, ReopenForm, TakeForm
from cases.core.models import Case, CaseEvent, CaseRespondent
from cases.core.office_time import office_zone, zone_label
from cases.core.services import cases as services
from cases.core.stages import ORDER, Stage, available_moves
from cases.deadlines.reminders.sweep import reminders_context
from cases.deadlines.views.deadlines import deadlines_context
from cases.money.views.calculation import calculation_context
from cases.money.views.ledger import ledger_context
from cases.portal.staff import portal_context
from paralegals.models import User

TIMELINE_LENGTH = 100


def _get_case(request, pk: int) -> Case:
    queryset = Case.objects.visible_to(request.user).select_related(
        "claimant", "office__organisation", "assigned_to", "opened_by"
    )
    return get_object_or_404(
        queryset.prefetch_related(
            Prefetch("case_respondents", queryset=CaseRespondent.objects.select_related("respondent"))
        ),
        pk=pk,
    )


def _timeline(case: Case) -> list[CaseEvent]:
    events = list(CaseEvent.objects.filter(case=case).select_related("actor")[:TIMELINE_LENGTH])
    fields = {field.name: field.verbose_name for field in Case._meta.get_fields() if hasattr(field, "verbose_name")}
    for event in events:
        # Edits record field names (never values); show them by their translated labels.
        event.changed_labels = [str(fields.get(name, name)) for name in event.payload.get("fields", [])]
    return events


def _times(case: Case) -> dict:
    """The page's zone (the reader's office's, config.middleware) and, when it differs, the case office's zone."""
    page_zone = timezone.get_current_timezone_name()
    case_zone = office_zone(case.office.timezone).key
    return {"page": zone_label(page_zone), "case": zone_label(case_zone) if case_zone != page_zone else ""}


def _render(request, case: Case, *, status: int = 200, error: str = "", **forms):
    moves = available_moves(case)
    context = {
        "case": case,
        "stages": [(stage, stage.label, ORDER.index(stage) < ORDER.index(case.stage)) for stage in ORDER],
        # Forward moves first: they are what the case normally does next.
        "moves": sorted((m for m in moves if m.to_stage != Stage.CLOSED), key=lambda m: m.back),
        "can_close": any(m.to_stage == Stage.CLOSED for m in moves),
        "close_form": forms.get("close_form") or CloseForm(initial={"expected_version": case.version}),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "move_form": forms.get("move_form"),
        "error": error,
        "timeline": _timeline(case),
        "times": _times(case),
    }
    context.update(calculation_context(request, case))
    context.update(ledger_context(request, case))
    context.update(reminders_context(request, case))
    context.update(deadlines_context(request, case))
    context.update(portal_context(request, case))
    if request.user.is_coordinator and case.stage != Stage.CLOSED:
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            candidates=suggest_assignees(case, actor=request.user), initial={"expected_version": case.version}
        )
    context["offers_take"] = offers_take(request.user, case)
    return render(request, "pages/case_detail.html", context, status=status)


def _refused(request, pk: int, exc: CaseError, **forms):
    """Render the case again with the service's reason: 400 for bad input, 403 not allowed, else 409."""
    return _render(request, _get_case(request, pk), status=exc.http_status, error=str(exc.message), **forms)


@login_required
def case_detail(request, pk: int):
    return _render(request, _get_case(request, pk))


def _act(request, pk: int, form, form_name: str, perform, success: str):
    """Validate ``form``, run ``perform(cleaned_data)`` (one service call), redirect back to the case.

    Invalid input re-renders the case with the form's errors (400); a refusal by the service shows
    its reason (400/403/409); a case the user may not see is a 404.
    """
    if not form.is_valid():
        return _render(request, _get_case(request, pk), status=400, **{form_name: form})
    try:
        perform(form.cleaned_data)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, pk, exc, **{form_name: form})
    messages.success(request, success)
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
def case_move(request, pk: int):
    form = MoveForm(request.POST)
    to_stage = form.data.get("to_stage", "")
    label = Stage(to_stage).label if to_stage in Stage.values else ""
    return _act(
        request,
        pk,
        form,
        "move_form",
        lambda data: services.case_advance(
            actor=request.user,
            case_id=pk,
            to_stage=data["to_stage"],
            expected_version=data["expected_version"],
            reason=data["reason"],
        ),
        _("The case moved to %(stage)s.") % {"stage": label},
    )


@login_required
@require_POST
def case_close_view(request, pk: int):
    return _act(
        request,
        pk,
        CloseForm(request.POST),
        "close_form",
        lambda data: services.case_close(
            actor=request.user,
            case_id=pk,
            outcome=data["outcome"],
            reason=data["reason"],
            expected_version=data["expected_version"],
        ),
        _("The case is closed."),
    )


@login_required
@require_POST
def case_reopen_view(request, pk: int):
    return _act(
        request,
        pk,
        ReopenForm(request.POST),
        "reopen_form",
        lambda data: services.case_reopen(
            actor=request.user, case_id=pk, reason=data["reason"], to_stage=data["to_stage"] or None
        ),
        _("The case is open again."),
    )


@login_required
@require_POST
def case_assign_view(request, pk: int):
    case = _get_case(request, pk)
    if not request.user.is_coordinator:
        return _refused(request, pk, NotPermitted(_("Only a coordinator can assign cases.")))
    form = AssignForm(request.POST, candidates=suggest_assignees(case, actor=request.user))
    if not form.is_valid():
        return _render(request, case, status=400, assign_form=form)
    assignee = User.objects.get(pk=form.cleaned_data["assignee"])
    try:
        services.case_assign(
            actor=request.user,
            case_id=pk,
            assignee=assignee,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"],
        )
    except CaseError as exc:
        return _refused(request, pk, exc, assign_form=form)
    messages.success(request, _("Assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee.username})
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
def case_take_view(request, pk: int):
    """A paralegal takes an unassigned case of their office (where the office allows it)."""
    return _act(
        request,
        pk,
        TakeForm(request.POST),
        "take_form",
        lambda data: services.case_take(actor=request.user, case_id=pk, expected_version=data["expected_version"]),
        _("You took the case: it is assigned to you now."),
    )


@login_required
@require_POST
def case_note(request, pk: int):
    return _act(
        request,
        pk,
        NoteForm(request.POST),
        "note_form",
        lambda data: services.case_add_note(actor=request.user, case_id=pk, text=data["text"]),
        _("Note added."),
    )


@login_required
def case_edit(request, pk: int):
    """Edit details with optimistic concurrency: an edit based on an old version shows a conflict."""
    case = _get_case(request, pk)
    if request.method != "POST":
        form = CaseDetailsForm(instance=case, initial={"version": case.version})
        return render(request, "core/case_edit.html", {"case": case, "form": form})
    form = CaseDetailsForm(request.POST, instance=Case.objects.get(pk=case.pk))
    if not form.is_valid():
        return render(request, "core/case_edit.html", {"case": case, "form": form}, status=400)
    try:
        services.case_update_details(
            actor=request.user, case_id=pk, expected_version=form.cleaned_data["version"], changes=form.changes()
        )
    except StaleCase:
        current = _get_case(request, pk)
        # Keep what they typed; saving again (now knowingly) replaces the other person's change.
        form.data = form.data.copy()
        form.data["version"] = current.version
        return render(
            request,
            "core/case_edit.html",
            {"case": current, "form": form, "conflict": True, "current_form": CaseDetailsForm(instance=current)},
            status=409,
        )
    except CaseError as exc:
        return render(request, "core/case_edit.html", {"case": case, "form": form, "error": str(exc.message)}, 400)
    messages.success(request, _("Case details saved."))
    return redirect("case_detail", pk=pk)
