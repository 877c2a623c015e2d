"""The deadlines section of the case page, and its actions (add by hand, mark met, cancel).

Each action fetches the case through ``visible_to`` (404 otherwise), validates a form, calls one service in
``cases.deadlines`` and redirects back to the case. Bad input — a missing date, a date in the past — re-renders the
case page with the field errors and 400; nothing is saved. The section costs one query however many deadlines.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import deadlines
from ..errors import CaseError
from ..forms_deadlines import DeadlineForm, DeadlineStatusForm
from ..models import Case, Deadline, DeadlineStatus
from ..stages import Stage

_FORMS_ATTRIBUTE = "_deadline_forms"


def deadlines_context(request, case: Case) -> dict:
    """The case's deadlines (one query), in the office's time zone, overdue ones flagged."""
    now = timezone.now()
    zone_name = case.office.timezone
    rows = list(Deadline.objects.filter(case=case).select_related("entered_by").order_by("due_at", "id"))
    for row in rows:
        row.is_overdue = row.status == DeadlineStatus.MISSED or (row.status == DeadlineStatus.OPEN and row.due_at < now)
        row.is_settable = row.status in (DeadlineStatus.OPEN, DeadlineStatus.MISSED)
    is_open = case.stage != Stage.CLOSED
    bound = getattr(request, _FORMS_ATTRIBUTE, {})
    return {
        "deadlines": {
            "rows": rows,
            "zone": zone_name,
            "is_open": is_open,
            "form": bound.get("add") or (DeadlineForm(zone_name=zone_name) if is_open else None),
            "error": bound.get("error", ""),
        }
    }


def _case_or_404(request, pk: int) -> Case:
    case = Case.objects.visible_to(request.user).select_related("office").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def _rerender(request, pk: int, **bound):
    from .case_page import _get_case, _render  # the page renderer is case_page's

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
def deadline_status_view(request, pk: int, deadline_pk: int):
    _case_or_404(request, pk)
    if not Deadline.objects.filter(pk=deadline_pk, case_id=pk).exists():
        raise Http404
    form = DeadlineStatusForm(request.POST)
    if not form.is_valid():
        return _rerender(request, pk, error=_("Choose met or cancelled."))
    try:
        deadlines.deadline_set_status(actor=request.user, deadline_id=deadline_pk, status=form.cleaned_data["status"])
    except (Case.DoesNotExist, Deadline.DoesNotExist) as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _rerender(request, pk, error=str(exc.message))
    messages.success(request, _("Deadline updated."))
    return redirect("case_detail", pk=pk)


urlpatterns = [
    path("cases/<int:pk>/deadlines/", deadline_add_view, name="deadline_add"),
    path("cases/<int:pk>/deadlines/<int:deadline_pk>/status/", deadline_status_view, name="deadline_status"),
]
