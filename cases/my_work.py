"""What a person is responsible for: the one definition My work, Home, the header count and the calendar feed share.

A deadline's responsible person is the case's paralegal; while a case has nobody assigned, its office's
coordinators answer for it. A task's responsible person is its assignee. Both are read from ``Deadline.assignee``
(for deadlines it mirrors the case's paralegal, kept by ``cases.services``) and ``Deadline.office``, so the lists
start from an index on the deadlines instead of joining every case of the office (at 1M cases: 940 ms -> ms).
Only open (or missed) items of open cases that the person may still see count.
"""

from django.db.models import Q, QuerySet

from .models import Deadline, DeadlineStatus
from .stages import Stage

OPEN_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.MISSED)


def responsible_q(user) -> Q:
    """The condition "``user`` answers for this deadline or task" on ``Deadline`` rows."""
    condition = Q(assignee=user)
    if user.is_coordinator:
        if user.office_id is not None:
            condition |= Q(assignee__isnull=True, office_id=user.office_id)
        elif user.sees_all_offices:
            condition |= Q(assignee__isnull=True)
    return condition


def _still_visible_q(user) -> Q:
    """``Case.objects.visible_to`` as a condition on the deadline's case, joined (not an IN over every case)."""
    if user.sees_all_offices:
        return Q()
    if user.office_id is None:
        return Q(case__assigned_to=user)
    return Q(case__office_id=user.office_id) | Q(case__assigned_to=user)


def responsible_items(user) -> QuerySet[Deadline]:
    """Open and missed deadlines and tasks of open cases that ``user`` answers for and may see (unordered)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Deadline.objects.none()
    return (
        Deadline.objects.filter(responsible_q(user), status__in=OPEN_STATUSES)
        .filter(_still_visible_q(user))
        .exclude(case__stage=Stage.CLOSED)
    )
