"""What a person is responsible for: the one definition My work, Home, the header count and the calendar feed share.

A deadline's responsible person is the case's paralegal; while a case has nobody assigned, its office's
coordinators answer for it. A task's responsible person is its assignee. Both are read from the deadline row itself:
``Deadline.assignee`` (for deadlines it mirrors the case's paralegal, kept by ``cases.services``) and
``Deadline.office`` (the case's, which never changes), and a closed case's deadlines are closed with it
(``cases.deadlines``). So the lists start from a partial index on the open deadlines and never join the cases: at 1M
cases a paralegal's first page went from 940 ms (joining every case of the office) to a few ms.

A global coordinator or an administrator without an office answers for what is assigned to them; they look at
other people's work through My work's filter, not in their own count.
"""

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Deadline, DeadlineKind, DeadlineStatus

OPEN_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.MISSED)


def responsible_q(user) -> Q:
    """The condition "``user`` answers for this deadline or task" on ``Deadline`` rows."""
    condition = Q(assignee=user)
    if user.is_coordinator and user.office_id is not None:
        condition |= Q(assignee__isnull=True, office_id=user.office_id)
    return condition


def visible_q(user) -> Q:
    """``Case.objects.visible_to`` restated on the deadline row for what ``responsible_q`` selects.

    A deadline that answers to the user is on a case assigned to them (visible); an office's unassigned deadline is
    in the user's office (visible); a task assigned to the user counts while its case is in the user's office — a
    person moved to another office stops seeing the old office's tasks (no join to the cases to find exceptions).
    """
    if user.sees_all_offices:
        return Q()
    in_office = Q(office_id=user.office_id) if user.office_id is not None else Q(pk__in=[])
    return in_office | ~Q(kind=DeadlineKind.TASK)


def responsible_items(user) -> QuerySet[Deadline]:
    """Open and missed deadlines and tasks of open cases that ``user`` answers for and may see (unordered)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Deadline.objects.none()
    return Deadline.objects.filter(responsible_q(user), visible_q(user), status__in=OPEN_STATUSES)


def _branches(user) -> list[Q]:
    """``responsible_q`` as separate conditions, each served by one partial index in due order."""
    branches = [Q(assignee=user)]
    if user.is_coordinator and user.office_id is not None:
        branches.append(Q(assignee__isnull=True, office_id=user.office_id))
    return branches


def after_q(after: tuple | None) -> Q:
    """Keyset condition: the rows after ``(due_at, id)`` in (due_at, id) order."""
    if after is None:
        return Q()
    due_at, pk = after
    return Q(due_at__gt=due_at) | Q(due_at=due_at, pk__gt=pk)


def responsible_parts(user, where: Q | None = None) -> list[QuerySet[Deadline]]:
    """``responsible_items(user)`` (filtered by ``where``) as disjoint parts, one per partial index: counting each
    part and adding up reads the indexes alone (5 ms for an office coordinator at 1M cases, 41 ms for the OR)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    base = Deadline.objects.filter(visible_q(user), where or Q(), status__in=OPEN_STATUSES)
    return [base.filter(branch) for branch in _branches(user)]


def responsible_page_ids(user, *, where: Q | None = None, after: tuple | None = None, size: int = 50) -> list[int]:
    """The ids of one page of ``responsible_items(user)`` filtered by ``where``, in (due_at, id) order, after the
    keyset ``after``. One query.

    On PostgreSQL it is a UNION ALL of one ordered, limited index scan per branch (the person's own items; the
    office's unassigned ones), merged: 0.3 ms at 1M cases where the single OR query sorted 32,000 rows (300 ms) or
    walked the due-date index (600 ms). SQLite cannot order and limit inside a compound query: it runs the OR query.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    parts = responsible_parts(user, (where or Q()) & after_q(after))
    if len(parts) == 1 or not connection.features.supports_slicing_ordering_in_compound:
        query = responsible_items(user).filter(where or Q(), after_q(after)).order_by("due_at", "id")
        query = query.values_list("pk", "due_at")[:size]
    else:
        ordered = [part.order_by("due_at", "id").values_list("pk", "due_at")[:size] for part in parts]
        query = ordered[0].union(*ordered[1:], all=True).order_by("due_at", "pk")[:size]
    return [pk for pk, _due_at in query]
