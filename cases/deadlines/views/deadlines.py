"""The deadlines section of the case page, and its actions: add a deadline by hand, add a task, mark met (a task
done), cancel with a reason, reopen.

Each action (``cases.core.web.case_view``: the case through ``visible_to``, else 404) validates a form, calls one
service in ``cases.deadlines.services.deadlines`` and answers with the deadlines section: in place for htmx, else a
redirect to the row or the section on the case page. Bad input — a missing date, a date in the past, a cancel
without a reason — shows the section again with the field errors and 400; nothing is saved. The section costs the
same queries however many deadlines (the rows with their people, and the task form's list of assignees).
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.core.models import Case
from cases.core.office_time import zone_label
from cases.core.stages import Stage
from cases.core.views.sections import Section
from cases.core.web import Done, Refused, case_view, section_view, submit
from cases.deadlines.forms.deadlines import DeadlineForm, DeadlineReopenForm, DeadlineStatusForm, TaskForm
from cases.deadlines.models import Deadline, DeadlineStatus
from cases.deadlines.services import deadlines


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


def deadlines_context(request, case: Case, *, forms: dict | None = None, error: str = "") -> dict:
    """The case's deadlines and tasks (one query), in the office's time zone, overdue ones flagged; the forms.

    ``forms`` holds a refused action's bound form: "add", "task" or "status" (a cancel without its reason).
    """
    zone_name = case.office.timezone
    rows = decorate_rows(
        Deadline.objects.filter(case=case)
        .select_related("entered_by", "assignee", "closed_by")
        .order_by("due_at", "id"),
        timezone.now(),
    )
    is_open = case.stage != Stage.CLOSED
    bound = forms or {}
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
            "error": error,
        }
    }


DEADLINES = Section(
    "deadlines",
    gettext_lazy("Deadlines and tasks"),
    "deadlines/_deadlines.html",
    deadlines_context,
    "section_deadlines",
)


def _deadline(case: Case, deadline_pk: int) -> Deadline:
    return Deadline.objects.get(pk=deadline_pk, case=case)  # not the case's: 404 (cases.core.web)


@case_view(DEADLINES)
def deadline_add_view(request, case: Case):
    form = DeadlineForm(request.POST, zone_name=case.office.timezone)
    submit(
        form,
        lambda data: deadlines.deadline_add(
            actor=request.user, case_id=case.pk, kind=data["kind"], due_at=form.due_at(), note=data["note"]
        ),
        bound={"forms": {"add": form}},
        error_field="date",
    )
    return Done(_("Deadline added."))


@case_view(DEADLINES)
def task_add_view(request, case: Case):
    form = TaskForm(request.POST, case=case, user=request.user)
    submit(
        form,
        lambda data: deadlines.task_add(
            actor=request.user,
            case_id=case.pk,
            title=data["title"],
            assignee=data["assignee"],
            due_at=data["due_at"],
            note=data["note"],
        ),
        bound={"forms": {"task": form}},
        error_field="__all__",
    )
    return Done(_("Task added."))


def status_message(deadline: Deadline) -> str:
    if deadline.status == DeadlineStatus.CANCELLED:
        return _("Task cancelled.") if deadline.is_task else _("Deadline cancelled.")
    return _("Task done.") if deadline.is_task else _("Deadline marked met.")


@case_view(DEADLINES)
def deadline_status_view(request, case: Case, deadline_pk: int):
    _deadline(case, deadline_pk)
    form = DeadlineStatusForm(request.POST)
    form.deadline_pk = deadline_pk
    if not form.is_valid() and "status" in form.errors:
        raise Refused(400, error=_("Choose met or cancelled."))
    deadline = submit(
        form,
        lambda data: deadlines.deadline_set_status(
            actor=request.user, deadline_id=deadline_pk, status=data["status"], reason=data["reason"]
        ),
        bound={"forms": {"status": form}},
    )
    return Done(status_message(deadline), anchor=f"deadline-{deadline_pk}")


@case_view(DEADLINES)
def deadline_reopen_view(request, case: Case, deadline_pk: int):
    _deadline(case, deadline_pk)
    form = DeadlineReopenForm(request.POST)
    if not form.is_valid():
        raise Refused(400, error=form.errors["reason"][0])
    deadline = submit(
        form,
        lambda data: deadlines.deadline_reopen(actor=request.user, deadline_id=deadline_pk, reason=data["reason"]),
        bound={},
    )
    return Done(
        _("Task open again.") if deadline.is_task else _("Deadline open again."), anchor=f"deadline-{deadline_pk}"
    )


urlpatterns = [
    path("cases/<int:pk>/section/deadlines/", section_view(DEADLINES), name=DEADLINES.url_name),
    path("cases/<int:pk>/deadlines/", deadline_add_view, name="deadline_add"),
    path("cases/<int:pk>/tasks/", task_add_view, name="task_add"),
    path("cases/<int:pk>/deadlines/<int:deadline_pk>/status/", deadline_status_view, name="deadline_status"),
    path("cases/<int:pk>/deadlines/<int:deadline_pk>/reopen/", deadline_reopen_view, name="deadline_reopen"),
]
