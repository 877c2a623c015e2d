"""What the calendar shows on each day: the deadlines, hearings and tasks a person may see, grouped by local day.

Two queries per range, whatever the number of rows: window functions number each day's items by due time and count
them, and only the first few of each day are fetched — a busy day in a busy month (a global coordinator sees every
office) costs the count, never the rows. The range is bounded by ``due_at`` (indexed) in the person's zone.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.core.office_time import office_zone, staff_zone_name
from cases.deadlines.calendar.dates import Span
from cases.deadlines.models import Deadline, DeadlineKind, DeadlineStatus
from cases.deadlines.my_work import responsible_items

SHOW_MINE = "mine"
SHOW_ALL = "all"
SHOW_CHOICES = [(SHOW_MINE, _("What I answer for")), (SHOW_ALL, _("Everything I can see"))]
DONE_STATUSES = (DeadlineStatus.MET, DeadlineStatus.CANCELLED)
# The columns a calendar line needs: a month of a busy office should not drag case summaries along.
ITEM_FIELDS = (
    "id",
    "kind",
    "title",
    "status",
    "due_at",
    "case__id",
    "case__reference",
    "case__office__id",
    "case__office__timezone",
)


@dataclass
class Day:
    date: date
    items: list = field(default_factory=list)
    total: int = 0
    is_today: bool = False
    in_range: bool = True  # False for the days of the neighbouring months that fill a month's first and last week

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def person_zone(user) -> ZoneInfo:
    """The zone whose days the calendar shows: the person's office's (the zone their pages are shown in); without an
    office (a global coordinator, an administrator), the site's (settings.TIME_ZONE)."""
    return office_zone(staff_zone_name(user))


def calendar_queryset(user, show: str) -> QuerySet[Deadline]:
    """``mine``: the open and missed items ``user`` answers for (``cases.deadlines.my_work``, the definition My work and
    the feed share); ``all``: every deadline and task, whatever its status, of every case ``user`` may see."""
    if show == SHOW_MINE:
        return responsible_items(user)
    if user.sees_all_offices:
        return Deadline.objects.all()
    # ``Case.objects.visible_to`` restated on the deadline row (its office is the case's; a deadline's assignee is the
    # case's paralegal), so a month is one range of the due-date index instead of "case_id IN (every visible case)".
    assigned = Q(assignee=user) & ~Q(kind=DeadlineKind.TASK)
    if user.office_id is None:
        return Deadline.objects.filter(assigned)
    return Deadline.objects.filter(Q(office_id=user.office_id) | assigned)


def days_with_items(
    queryset: QuerySet[Deadline], span: Span, zone: ZoneInfo, *, per_day: int, now: datetime | None = None
) -> list[Day]:
    """Every day of ``span`` with at most ``per_day`` items (soonest first) and the day's full count (two queries).

    The first query numbers and counts each local day's items with window functions and returns only the first
    ``per_day`` ids of each day; the second fetches those rows with their case and office. Joining the case and
    office before numbering would join every row of the range, and a month of every office is 150,000 rows.
    """
    now = now or timezone.now()
    start, end = span.bounds(zone)
    local_day = TruncDate("due_at", tzinfo=zone)
    firsts = (
        queryset.filter(due_at__gte=start, due_at__lt=end)
        .annotate(
            local_day=local_day,
            position=Window(RowNumber(), partition_by=[local_day], order_by=[F("due_at").asc(), F("id").asc()]),
            day_total=Window(Count("id"), partition_by=[local_day]),
        )
        .filter(position__lte=per_day)
        .order_by()
        .values_list("id", "local_day", "day_total")
    )
    today = timezone.localdate(now, zone)
    days = {day: Day(date=day, is_today=day == today) for day in span.days}
    day_of = {}
    for pk, day, total in firsts:
        day_of[pk] = day
        if day in days:  # always: the range is the span's days in the same zone
            days[day].total = total
    rows = Deadline.objects.filter(pk__in=list(day_of)).select_related("case__office").only(*ITEM_FIELDS)
    for row in rows.order_by("due_at", "id"):
        days[day_of[row.pk]].items.append(decorate(row, now))
    return list(days.values())


def decorate(row: Deadline, now: datetime) -> Deadline:
    """What a calendar line shows: its label, the zone its time is told in, overdue or done."""
    row.zone_name = row.case.office.timezone
    row.label = row.title if row.kind == DeadlineKind.TASK and row.title else row.get_kind_display()
    row.is_done = row.status in DONE_STATUSES
    row.is_overdue = row.status == DeadlineStatus.MISSED or (row.status == DeadlineStatus.OPEN and row.due_at < now)
    return row
