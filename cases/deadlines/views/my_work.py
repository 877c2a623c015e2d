"""My work: every open deadline and task the signed-in person answers for, overdue first, then by due time.

The rows are those of ``cases.deadlines.my_work.responsible_items`` (the one definition shared with Home and the header
badge),
filtered by GET parameters so a filtered list can be bookmarked: kind (tasks too), when (overdue, this week in the
person's office zone, later), a case reference, and for coordinators another person of the offices they see.

Pages are keyset pages on (due_at, id): "the next 50 after this row", never OFFSET and never a COUNT, so every page
costs the same fixed number of queries. The page's ids come from a UNION ALL of index-friendly parts (the person's own
items, and a coordinator's office items nobody is assigned to: ``cases.deadlines.my_work.responsible_parts``); figures
at 1M
cases are in docs/working-day.md.

Marking met and cancelling (with a required reason) post to the same services as the case page and come back here
with the filters kept; a refused cancel re-renders the list with the field error and 400.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases.core.errors import CaseError
from cases.core.models import Case
from cases.core.office_time import staff_zone_name
from cases.deadlines.forms.deadlines import DeadlineStatusForm, MyWorkFilterForm
from cases.deadlines.models import Deadline
from cases.deadlines.my_work import first_ids, responsible_parts, soon_horizon
from cases.deadlines.services import deadlines
from cases.deadlines.views.deadlines import decorate_rows, status_message

PAGE_SIZE = 50


def _branches(user, filters: dict, now, zone_name: str):
    """The parts of the person's list (see ``responsible_parts``), each narrowed by the filters and the cursor."""
    person = filters.get("person")
    if person is not None and person != user:
        # A coordinator looking at a colleague's list: what that person answers for, within what the coordinator sees.
        visible = Case.objects.visible_to(user)
        branches = [branch.filter(case__in=visible) for branch in responsible_parts(person)]
    else:
        branches = responsible_parts(user)
    condition = Q()
    if filters.get("kind"):
        condition &= Q(kind=filters["kind"])
    when = filters.get("when")
    if when == "overdue":
        condition &= Q(due_at__lt=now)
    elif when == "week":
        condition &= Q(due_at__gte=now, due_at__lt=soon_horizon(now, zone_name))
    elif when == "later":
        condition &= Q(due_at__gte=soon_horizon(now, zone_name))
    if filters.get("case"):
        condition &= Q(case__reference=filters["case"])
    after = filters.get("after")
    if after is not None:
        due, pk = after
        # The leading range on due_at lets the database walk its index from the cursor.
        condition &= Q(due_at__gte=due) & (Q(due_at__gt=due) | Q(due_at=due, pk__gt=pk))
    return [branch.filter(condition) for branch in branches]


def _rows(branches, limit: int) -> list[Deadline]:
    """The first ``limit`` rows: their ids in one UNION ALL query, then the rows with their cases and people."""
    ids = first_ids(branches, limit)
    return list(
        Deadline.objects.filter(pk__in=ids)
        .select_related("case", "assignee", "case__assigned_to")
        .order_by("due_at", "id")
    )


def _page(request, query: QueryDict, *, status: int = 200, status_form=None):
    user = request.user
    now = timezone.now()
    zone_name = staff_zone_name(user)
    form = MyWorkFilterForm(query, user=user)
    rows, next_query = [], None
    if form.is_valid():
        # One row more than the page shows says whether there is a next page, without a COUNT.
        rows = _rows(_branches(user, form.cleaned_data, now, zone_name), PAGE_SIZE + 1)
        if len(rows) > PAGE_SIZE:
            rows = rows[:PAGE_SIZE]
            following = query.copy()
            following["after"] = f"{rows[-1].due_at.isoformat()}_{rows[-1].pk}"
            next_query = following.urlencode()
    else:
        status = 400
    decorate_rows(rows, now)
    for row in rows:
        row.responsible = row.assignee if row.is_task else row.case.assigned_to
        row.status_form = status_form if status_form is not None and status_form.deadline_pk == row.pk else None
    first_query = query.copy()
    first_query.pop("after", None)
    here = reverse("my_work") + (f"?{query.urlencode()}" if query else "")
    return render(
        request,
        "deadlines/my_work.html",
        {
            "form": form,
            "rows": rows,
            "next_query": next_query,
            "first_query": first_query.urlencode() if query.get("after") else None,
            "here": here,
            "show_person": user.is_coordinator,
            "zone_name": zone_name,
        },
        status=status,
    )


@login_required
def my_work(request):
    return _page(request, request.GET)


def _back(request) -> str:
    """Where to go after an action: the My work page it was posted from (filters kept), never another site."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if target and safe and urlsplit(target).path == reverse("my_work"):
        return target
    return reverse("my_work")


@login_required
@require_POST
def my_work_status(request, deadline_pk: int):
    """Mark met (a task done) or cancel with a reason, from My work; back to the same filtered page."""
    visible = Deadline.objects.filter(case__in=Case.objects.visible_to(request.user))
    if not visible.filter(pk=deadline_pk).exists():
        raise Http404
    back = _back(request)
    query = QueryDict(urlsplit(back).query)
    form = DeadlineStatusForm(request.POST)
    form.deadline_pk = deadline_pk
    if not form.is_valid():
        return _page(request, query, status=400, status_form=form)
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
        # Someone else closed it meanwhile, or the case was closed: say so on the list, which no longer shows it.
        messages.error(request, str(exc.message))
        return redirect(back)
    messages.success(request, status_message(deadline))
    return redirect(back)
