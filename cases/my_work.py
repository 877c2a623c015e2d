"""What a person is responsible for: the one definition My work, Home, the header count and the calendar feed share.

A deadline's responsible person is the case's paralegal; while a case has nobody assigned, its office's
coordinators answer for it. A task's responsible person is its assignee. Only open (or missed) items of open cases
that the person may still see count: a case moved to another office leaves its paralegal's list with it.
"""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet

from .models import Case, Deadline, DeadlineKind, DeadlineStatus
from .office_time import office_zone
from .stages import Stage

OPEN_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.MISSED)


def responsible_q(user) -> Q:
    """The condition "``user`` answers for this deadline or task" on ``Deadline`` rows."""
    is_task = Q(kind=DeadlineKind.TASK)
    condition = (is_task & Q(assignee=user)) | (~is_task & Q(case__assigned_to=user))
    if user.is_coordinator:
        unassigned = ~is_task & Q(case__assigned_to__isnull=True)
        if user.office_id is not None:
            condition |= unassigned & Q(case__office_id=user.office_id)
        elif user.sees_all_offices:
            condition |= unassigned
    return condition


def responsible_items(user) -> QuerySet[Deadline]:
    """Open and missed deadlines and tasks of open cases that ``user`` answers for and may see (unordered)."""
    if user is None or not user.is_authenticated:
        return Deadline.objects.none()
    return Deadline.objects.filter(
        responsible_q(user),
        status__in=OPEN_STATUSES,
        case__in=Case.objects.visible_to(user).exclude(stage=Stage.CLOSED),
    )


SOON_DAYS = 7


def soon_horizon(now: datetime, zone_name: str) -> datetime:
    """The end of the seventh day after today in ``zone_name`` (midnight local), as an aware datetime.

    "This week" on My work, Home's panel and the header badge: the rest of today and the next seven whole days, in
    the person's office zone, so an item due late on the seventh day counts all morning of today too.
    """
    zone = office_zone(zone_name)
    today = now.astimezone(zone).date()
    return datetime.combine(today + timedelta(days=SOON_DAYS + 1), time(0, 0), tzinfo=zone).astimezone(UTC)


def user_zone_name(user) -> str:
    """The person's office zone (the office row is loaded once per request object), else the site's zone."""
    office = user.office if getattr(user, "office_id", None) else None
    return office.timezone if office is not None else settings.TIME_ZONE


def due_soon_count(user, now: datetime, zone_name: str | None = None) -> int:
    """How many of the person's items are overdue or due this week (one query; the header's badge).

    ``zone_name`` defaults to the person's office zone (one more query unless ``user.office`` is already loaded).
    """
    horizon = soon_horizon(now, zone_name or user_zone_name(user))
    return count_of([branch.filter(due_at__lt=horizon) for branch in responsible_branches(user)])


def responsible_branches(user) -> list[QuerySet[Deadline]]:
    """``responsible_items(user)`` as disjoint parts, each one an index range: the person's tasks (by assignee), the
    deadlines of the cases assigned to them (by the case's paralegal), and for a coordinator those of the office's
    unassigned cases.

    One query with an OR across the deadline and its case cannot use either table's index, so the database walks
    every deadline of every case the person may see (a whole office). A UNION ALL of these parts reads only the
    person's own rows; My work and Home page through it.
    """
    if user is None or not user.is_authenticated:
        return []
    base = Deadline.objects.filter(
        status__in=OPEN_STATUSES, case__in=Case.objects.visible_to(user).exclude(stage=Stage.CLOSED)
    )
    not_task = base.exclude(kind=DeadlineKind.TASK)
    branches = [base.filter(kind=DeadlineKind.TASK, assignee=user), not_task.filter(case__assigned_to=user)]
    if user.is_coordinator and (user.office_id is not None or user.sees_all_offices):
        unassigned = not_task.filter(case__assigned_to__isnull=True)
        branches.append(unassigned.filter(case__office_id=user.office_id) if user.office_id else unassigned)
    return branches


def _union(parts: list[QuerySet]) -> QuerySet:
    # Per-part ORDER BY ... LIMIT inside the union (PostgreSQL allows it) was measured slower: the planner then walks
    # the due_at index for a part whose rows are sparse in it.
    parts = [part.order_by() for part in parts]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def first_ids(branches: list[QuerySet[Deadline]], limit: int) -> list[int]:
    """The ids of the first ``limit`` rows of the branches together, by (due_at, id): one UNION ALL query."""
    if not branches:
        return []
    union = _union([branch.values_list("due_at", "id") for branch in branches])
    return [pk for _due, pk in union.order_by("due_at", "id")[:limit]]


def first_rows(branches: list[QuerySet[Deadline]], limit: int) -> list[Deadline]:
    """The first ``limit`` rows by (due_at, id), each with ``case_reference``: one UNION ALL query (for Home)."""
    if not branches:
        return []
    union = _union([branch.annotate(case_reference=F("case__reference")) for branch in branches])
    return list(union.order_by("due_at", "id")[:limit])


def count_of(branches: list[QuerySet[Deadline]]) -> int:
    """How many rows the branches hold together: one query (a COUNT over their UNION ALL)."""
    if not branches:
        return 0
    return _union([branch.values_list("id") for branch in branches]).count()
