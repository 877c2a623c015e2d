"""The deadlines section of the case page, and its actions: add a deadline by hand, add a task, mark met (a task
done), cancel with a reason, reopen.

Each action fetches the case through ``visible_to`` (404 otherwise), validates a form, calls one service in
``cases.deadlines.services.deadlines`` and redirects back to the case. Bad input — a missing date, a date in the past, a
cancel without
a reason — re-renders the case page with the field errors and 400; nothing is saved. The section costs the same
queries however many deadlines (the rows with their people, and the task form's list of assignees).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.core.errors import CaseError
from cases.core.models import Case
from cases.core.office_time import zone_label
from cases.core.stages import Stage
from cases.deadlines.forms.deadlines import DeadlineForm, DeadlineReopenForm, DeadlineStatusForm, TaskForm
from cases.deadlines.models import Deadline, DeadlineStatus
from cases.deadlines.services import deadlines

_FORMS_ATTRIBUTE = "_deadline_forms"


def decorate_rows(rows, now) -> list[Deadline]:
    """Flag each row for display: overdue (missed, or open and past), still settable, its zone's label at its time.

    A task is never marked missed; an open task past its time is overdue all the same.
    """
    for row in rows:
        row.is_overdue = row.status == DeadlineStatus.MISSED or (row.status == DeadlineStatus.OPEN and row.due_at < now)
        row.is_settable = row.status in (DeadlineStatus.OPEN, DeadlineStatus.MISSED)
        row.is_reopenable = row.status in (DeadlineStatus.MET, DeadlineStatus.CANCELLED)
        row.zone_label = zone_label(row.timezone, at=row.due_at)
    return rows


def deadlines_context(request, case: Case) -> dict:
    """The case's deadlines and tasks (one query), in the office's time zone, overdue ones flagged; the forms."""
    zone_name = case.office.timezone
    rows = decorate_rows(
        Deadline.objects.filter(case=case)
        .select_related("entered_by", "assignee", "closed_by")
        .order_by("due_at", "id"),
        timezone.now(),
    )
    is_open = case.stage != Stage.CLOSED
    bound = getattr(request, _FORMS_ATTRIBUTE, {})
    status_form = bound.get("status")
    for row in rows:
        row.status_form = status_form if status_form is not None and status_form.deadline_pk == row.pk else None
    return {
        "deadlines": {
            "rows": rows,
            "zone": zone_name,
            "zone_label": zone_label(zone_name),
            "is_open": is_open,
            "form": bound.get("add") or (DeadlineForm(zone_name=zone_name) if is_open else None),
            "task_form": bound.get("task") or (TaskForm(case=case, user=request.user) if is_open else None),
            "error": bound.get("error", ""),
        }
    }


def _case_or_404(request, pk: int) -> Case:
    case = Case.objects.visible_to(request.user).select_related("office").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def _deadline_or_404(request, pk: int, deadline_pk: int) -> Deadline:
    _case_or_404(request, pk)
    deadline = Deadline.objects.filter(pk=deadline_pk, case_id=pk).first()
    if deadline is None:
        raise Http404
    return deadline


def _rerender(request, pk: int, **bound):
    from cases.pages.case_page import _get_case, _render  # the page renderer is case_page's

    setattr(request, _FORMS_ATTRIBUTE, bound)
    return _render(request, _get_case(request, pk), status=400)


@login_required
@require_POST
def deadline_add_view(request, pk: int):
    case = _case_or_404(request, pk)
    form = DeadlineForm(request.POST, zone_name=case.office.timezone)
    if not form.is_valid():
        return _rerender(request, pk, add=form)
    try:
        deadlines.deadline_add(
            actor=request.user,
            case_id=pk,
            kind=form.cleaned_data["kind"],
            due_at=form.due_at(),
            note=form.cleaned_data["note"],
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        form.add_error("date", str(exc.message))
        return _rerender(request, pk, add=form)
    messages.success(request, _("Deadline added."))
    return redirect("case_detail", pk=pk)


@login_required
@require_POST
def task_add_view(request, pk: int):
    case = _case_or_404(request, pk)
    form = TaskForm(request.POST, case=case, user=request.user)
    if not form.is_valid():
        return _rerender(request, pk, task=form)
    try:
        deadlines.task_add(
            actor=request.user,
            case_id=pk,
            title=form.cleaned_data["title"],
            assignee=form.cleaned_data["assignee"],
            due_at=form.cleaned_data["due_at"],
            note=form.cleaned_data["note"],
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        form.add_error(None, str(exc.message))
        return _rerender(request, pk, task=form)
    messages.success(request, _("Task added."))
    return redirect("case_detail", pk=pk)


def status_message(deadline: Deadline) -> str:
    if deadline.status == DeadlineStatus.CANCELLED:
        return _("Task cancelled.") if deadline.is_task else _("Deadline cancelled.")
    return _("Task done.") if deadline.is_task else _("Deadline marked met.")


@login_required
@require_POST
def deadline_status_view(request, pk: int, deadline_pk: int):
    _deadline_or_404(request, pk, deadline_pk)
    form = DeadlineStatusForm(request.POST)
    form.deadline_pk = deadline_pk
    if not form.is_valid():
        if "status" in form.errors:
            return _rerender(request, pk, error=_("Choose met or cancelled."))
        return _rerender(request, pk, status=form)
    try:
        deadline = deadlines.deadline_set_status(
            actor=request.user,
            deadline_id=deadline_pk,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    except (Case.DoesNotExist, Deadline.DoesNotExist) as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _rerender(request, pk, error=str(exc.message))
    messages.success(request, status_message(deadline))
    return redirect(_at_row(pk, deadline_pk))


@login_required
@require_POST
def deadline_reopen_view(request, pk: int, deadline_pk: int):
    _deadline_or_404(request, pk, deadline_pk)
    form = DeadlineReopenForm(request.POST)
    if not form.is_valid():
        return _rerender(request, pk, error=form.errors["reason"][0])
    try:
        deadline = deadlines.deadline_reopen(
            actor=request.user, deadline_id=deadline_pk, reason=form.cleaned_data["reason"]
        )
    except (Case.DoesNotExist, Deadline.DoesNotExist) as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _rerender(request, pk, error=str(exc.message))
    messages.success(request, _("Task open again.") if deadline.is_task else _("Deadline open again."))
    return redirect(_at_row(pk, deadline_pk))


def _at_row(pk: int, deadline_pk: int) -> str:
    return f"{reverse('case_detail', args=[pk])}#deadline-{deadline_pk}"


urlpatterns = [
    path("cases/<int:pk>/deadlines/", deadline_add_view, name="deadline_add"),
    path("cases/<int:pk>/tasks/", task_add_view, name="task_add"),
    path("cases/<int:pk>/deadlines/<int:deadline_pk>/status/", deadline_status_view, name="deadline_status"),
    path("cases/<int:pk>/deadlines/<int:deadline_pk>/reopen/", deadline_reopen_view, name="deadline_reopen"),
]
