"""What a person is responsible for: the one definition My work, Home, the header count and the calendar feed share.

A deadline's responsible person is the case's paralegal; while a case has nobody assigned, its office's
coordinators answer for it. A task's responsible person is its assignee. Only open (or missed) items of open cases
that the person may still see count: a case moved to another office leaves its paralegal's list with it.
"""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

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
    return responsible_items(user).filter(due_at__lt=horizon).count()
