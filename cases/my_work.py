"""What a person is responsible for: the one definition My work, Home, the header count and the calendar feed share.

A deadline's responsible person is the case's paralegal; while a case has nobody assigned, its office's
coordinators answer for it. A task's responsible person is its assignee. Only open (or missed) items of open cases
that the person may still see count: a case moved to another office leaves its paralegal's list with it.
"""

from django.db.models import Q, QuerySet

from .models import Case, Deadline, DeadlineKind, DeadlineStatus
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
