"""What the calendar shows on each day: the deadlines, hearings and tasks a person may see, grouped by local day.

One query per range, whatever the number of rows: a window function numbers each day's items by due time and counts
them, and only the first few of each day are fetched — a busy day in a busy month (a global coordinator sees every
office) costs the count, never the rows. The range is bounded by ``due_at`` (indexed) in the person's zone.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paralegals.models import Office

from .calendar_dates import Span
from .models import Case, Deadline, DeadlineKind, DeadlineStatus
from .my_work import responsible_q
from .office_time import office_zone
from .stages import Stage

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
    """The zone whose days the calendar shows: the person's office's; without an office (a global coordinator, an
    administrator), the site's."""
    if user.office_id:
        name = Office.objects.filter(pk=user.office_id).values_list("timezone", flat=True).first()
        return office_zone(name)
    return timezone.get_default_timezone()


def calendar_queryset(user, show: str) -> QuerySet[Deadline]:
    """``mine``: what ``user`` answers for (``cases.my_work``), met and cancelled ones too (shown struck through);
    ``all``: every deadline and task of every case ``user`` may see."""
    visible = Case.objects.visible_to(user)
    if show == SHOW_MINE:
        return Deadline.objects.filter(responsible_q(user), case__in=visible.exclude(stage=Stage.CLOSED))
    return Deadline.objects.filter(case__in=visible)


def days_with_items(
    queryset: QuerySet[Deadline], span: Span, zone: ZoneInfo, *, per_day: int, now: datetime | None = None
) -> list[Day]:
    """Every day of ``span`` with at most ``per_day`` items (soonest first) and the day's full count (one query)."""
    now = now or timezone.now()
    start, end = span.bounds(zone)
    local_day = TruncDate("due_at", tzinfo=zone)
    rows = (
        queryset.filter(due_at__gte=start, due_at__lt=end)
        .annotate(
            local_day=local_day,
            position=Window(RowNumber(), partition_by=[local_day], order_by=[F("due_at").asc(), F("id").asc()]),
            day_total=Window(Count("id"), partition_by=[local_day]),
        )
        .filter(position__lte=per_day)
        .select_related("case__office")
        .only(*ITEM_FIELDS)
        .order_by("due_at", "id")
    )
    today = timezone.localdate(now, zone)
    days = {day: Day(date=day, is_today=day == today) for day in span.days}
    for row in rows:
        day = days.get(row.local_day)
        if day is None:  # cannot happen: the range is the span's days in the same zone
            continue
        decorate(row, now)
        day.items.append(row)
        day.total = row.day_total
    return list(days.values())


def decorate(row: Deadline, now: datetime) -> Deadline:
    """What a calendar line shows: its label, the zone its time is told in, overdue or done."""
    row.zone_name = row.case.office.timezone
    row.label = row.title if row.kind == DeadlineKind.TASK and row.title else row.get_kind_display()
    row.is_done = row.status in DONE_STATUSES
    row.is_overdue = row.status == DeadlineStatus.MISSED or (row.status == DeadlineStatus.OPEN and row.due_at < now)
    return row
