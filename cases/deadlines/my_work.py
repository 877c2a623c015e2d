"""What a person is responsible for: the one definition My work, Home, the header count and the calendar feed share.

A deadline's responsible person is the case's paralegal; while a case has nobody assigned, its office's
coordinators answer for it. A task's responsible person is its assignee. Both are read from the deadline row itself:
``Deadline.assignee`` (for deadlines it mirrors the case's paralegal, kept by ``cases.core.services.cases``) and
``Deadline.office`` (the case's, which never changes), and a closed case's deadlines are closed with it
(``cases.deadlines.services.deadlines``). So the lists start from a partial index on the open deadlines and never join
the cases.

A global coordinator or an administrator without an office answers for what is assigned to them; they look at
other people's work through My work's person filter, not in their own count.

Measured at 1M cases on PostgreSQL (docs/working-day.md): a paralegal's first page went from 940 ms (one query
with an OR across the deadline and its case walks every case of the office) to 8 ms, an office coordinator's from
300-600 ms to 10 ms (a UNION ALL of one ordered, limited index scan per part), the header's count to 8 ms.
"""

from datetime import UTC, datetime, time, timedelta

from django.db import connection
from django.db.models import F, Q, QuerySet

from cases.core.office_time import office_zone, staff_zone_name
from cases.deadlines.models import Deadline, DeadlineKind, DeadlineStatus

OPEN_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.MISSED)
SOON_DAYS = 7


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


def _may_have_work(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def responsible_items(user) -> QuerySet[Deadline]:
    """Open and missed deadlines and tasks of open cases that ``user`` answers for and may see (unordered)."""
    if not _may_have_work(user):
        return Deadline.objects.none()
    return Deadline.objects.filter(responsible_q(user), visible_q(user), status__in=OPEN_STATUSES)


def responsible_parts(user, where: Q | None = None) -> list[QuerySet[Deadline]]:
    """``responsible_items(user)`` (narrowed by ``where``) as disjoint parts, one per partial index: the person's own
    items (by assignee) and, for a coordinator, the office's items nobody is assigned to. Paged as a UNION ALL
    (``first_ids``) and counted part by part (``count_of``), each part reads its index alone."""
    if not _may_have_work(user):
        return []
    base = Deadline.objects.filter(visible_q(user), where or Q(), status__in=OPEN_STATUSES)
    parts = [base.filter(assignee=user)]
    if user.is_coordinator and user.office_id is not None:
        parts.append(base.filter(assignee__isnull=True, office_id=user.office_id))
    return parts


def _ordered_union(parts: list[QuerySet], fields: tuple[str, ...], limit: int) -> QuerySet:
    """The first ``limit`` rows of the parts together by (due_at, id). On PostgreSQL each part is ordered and limited
    inside the UNION ALL, so it is one short index scan per part merged (0.3 ms where sorting the whole of an
    office's unassigned deadlines took 300 ms); SQLite cannot order inside a compound query and sorts the union."""
    inner_limit = connection.features.supports_slicing_ordering_in_compound
    shaped = [
        part.order_by("due_at", "id").values_list(*fields)[:limit]
        if inner_limit
        else part.order_by().values_list(*fields)
        for part in parts
    ]
    union = shaped[0].union(*shaped[1:], all=True) if len(shaped) > 1 else shaped[0]
    if len(shaped) == 1 and inner_limit:
        return union
    return union.order_by("due_at", "id")[:limit]


def first_ids(parts: list[QuerySet[Deadline]], limit: int) -> list[int]:
    """The ids of the first ``limit`` rows of the parts together, by (due_at, id): one query."""
    if not parts:
        return []
    return [pk for pk, _due in _ordered_union(parts, ("id", "due_at"), limit)]


def first_rows(parts: list[QuerySet[Deadline]], limit: int) -> list[Deadline]:
    """The first ``limit`` rows by (due_at, id), each with ``case_reference``: two queries (the ids, then the rows)."""
    ids = first_ids(parts, limit)
    if not ids:
        return []
    rows = Deadline.objects.filter(pk__in=ids).annotate(case_reference=F("case__reference")).order_by("due_at", "id")
    return list(rows)


def count_sql(parts: list[QuerySet]) -> tuple[str, list]:
    """SQL adding up one ``COUNT(*)`` per part (each from its own index), and its parameters."""
    counts, params = [], []
    for index, part in enumerate(parts):
        part = part if part.query.is_sliced else part.order_by()
        sql, part_params = part.values("pk").query.sql_with_params()
        # The ORM's own SQL with placeholders; every value travels as a parameter.
        counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{index})")  # noqa: S608
        params.extend(part_params)
    return " + ".join(counts) or "0", params


def count_of(parts: list[QuerySet[Deadline]]) -> int:
    """How many rows the parts hold together: one query."""
    if not parts:
        return 0
    sql, params = count_sql(parts)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return int(cursor.fetchone()[0])


def soon_horizon(now: datetime, zone_name: str) -> datetime:
    """The end of the seventh day after today in ``zone_name`` (midnight local), as an aware datetime.

    "This week" on My work, Home's panel and the header badge: the rest of today and the next seven whole days, in
    the person's office zone, so an item due late on the seventh day counts all morning of today too.
    """
    zone = office_zone(zone_name)
    today = now.astimezone(zone).date()
    return datetime.combine(today + timedelta(days=SOON_DAYS + 1), time(0, 0), tzinfo=zone).astimezone(UTC)


def due_soon_count(user, now: datetime, zone_name: str | None = None) -> int:
    """How many of the person's items are overdue or due this week (one query)."""
    horizon = soon_horizon(now, zone_name or staff_zone_name(user))
    return count_of(responsible_parts(user, Q(due_at__lt=horizon)))
