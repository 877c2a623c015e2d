"""Reminder rules: functions that write Reminder rows (the outbox, STYLE rule 5) in the caller's transaction.

Every row has an idempotency key naming what it is about, so running a rule twice — a retried transaction, beat
firing twice — writes nothing new (``bulk_create(ignore_conflicts=True)`` on the unique key). Staff reminders go by
email to staff users *with an email address*: a recipient without one is skipped (there is no other staff channel).
Reminders to the worker go only to channels with consent that are safe, never when the case is flagged unsafe, and
carry no PIN, amount or employer name: their context is the stage only. Staff reminders fall due at 09:00 in the
office's time zone. The channels and the sweep that sends the rows live elsewhere (``cases.reminders_sweep``).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from claimants.models import ChannelKind
from paralegals.models import Role, User

from .models import Case, Deadline, DeadlineStatus, Instalment, Reminder, ReminderChannel, ReminderStatus
from .stages import Stage

DEADLINE_OFFSETS = (14, 7, 2, 1, 0)  # days before the due date
REMIND_AT = time(9, 0)
DEPARTURE_SOON_DAYS = 7
INSTALMENT_DUE_DAYS_BEFORE = 2
WORKER_CHANNELS = {
    ChannelKind.PHONE: ReminderChannel.SMS,
    ChannelKind.WHATSAPP: ReminderChannel.WHATSAPP,
    ChannelKind.EMAIL: ReminderChannel.EMAIL,
}


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _morning(day: date, zone_name: str) -> datetime:
    return datetime.combine(day, REMIND_AT, tzinfo=_zone(zone_name)).astimezone(ZoneInfo("UTC"))


def _local_today(now: datetime, zone_name: str) -> date:
    return now.astimezone(_zone(zone_name)).date()


def _staff_language() -> str:
    return settings.LANGUAGE_CODE


def _coordinators(office_ids) -> dict[int, list[User]]:
    """Active coordinators with an email address, per office (one query)."""
    found = defaultdict(list)
    for user in User.objects.filter(office_id__in=set(office_ids), role=Role.COORDINATOR, is_active=True).exclude(
        email=""
    ):
        found[user.office_id].append(user)
    return found


def _paralegal_or_coordinators(case: Case, coordinators: dict[int, list[User]] | None = None) -> list[User]:
    """The assigned paralegal (if they have an email address), else the office's coordinators."""
    if case.assigned_to_id is not None:
        assignee = case.assigned_to
        return [assignee] if assignee.is_active and assignee.email else []
    if coordinators is None:
        coordinators = _coordinators([case.office_id])
    return coordinators.get(case.office_id, [])


def _reminder(*, key: str, case: Case, template: str, due_at: datetime, user: User, context: dict, urgent=False):
    return Reminder(
        idempotency_key=key,
        case=case,
        template=template,
        context=context,
        channel=ReminderChannel.EMAIL,
        recipient_user=user,
        language=_staff_language(),
        urgent=urgent,
        due_at=due_at,
        next_attempt_at=due_at,
    )


def _write(rows: list[Reminder]) -> int:
    """Insert the rows whose keys are new; returns how many rows were asked for (not how many were new)."""
    if rows:
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# Deadlines ---------------------------------------------------------------------------------------------------------


def _deadline_prefix(deadline_id: int) -> str:
    return f"deadline:{deadline_id}:"


def _deadline_rows(deadline: Deadline, case: Case, now: datetime, recipients: list[User]) -> list[Reminder]:
    zone_name = deadline.timezone
    due_day = deadline.due_at.astimezone(_zone(zone_name)).date()
    rows = []
    for offset in DEADLINE_OFFSETS:
        at = _morning(due_day - timedelta(days=offset), zone_name)
        if offset == 0:
            at = min(at, deadline.due_at)  # a hearing at 08:00 is reminded of at 08:00, not after it
        if at <= now:
            continue
        for user in recipients:
            rows.append(
                _reminder(
                    key=f"{_deadline_prefix(deadline.pk)}{offset}:{deadline.due_at.isoformat()}:user:{user.pk}",
                    case=case,
                    template="deadline",
                    due_at=at,
                    user=user,
                    context={
                        "deadline": deadline.pk,
                        "kind": deadline.kind,
                        "due_at": deadline.due_at.isoformat(),
                        "days_before": offset,
                    },
                )
            )
    return rows


def deadline_reminders_sync(case: Case, open_deadlines: list[Deadline], *, now: datetime) -> None:
    """Make the case's pending deadline reminders exactly those of ``open_deadlines`` (future ones only).

    Reminders at 14, 7, 2 and 1 days before and on the day go to the assigned paralegal, or to the office's
    coordinators when nobody is assigned. A moved due date (or a new assignee) gives new keys: the new rows are
    written and the old pending ones cancelled; a key cancelled earlier and wanted again is made pending again.
    """
    recipients = _paralegal_or_coordinators(case) if open_deadlines else []
    rows = [row for deadline in open_deadlines for row in _deadline_rows(deadline, case, now, recipients)]
    keys = [row.idempotency_key for row in rows]
    _write(rows)
    if keys:
        Reminder.objects.filter(idempotency_key__in=keys, status=ReminderStatus.CANCELLED).update(
            status=ReminderStatus.PENDING
        )
    Reminder.objects.filter(case=case, template="deadline", status=ReminderStatus.PENDING).exclude(
        idempotency_key__in=keys
    ).update(status=ReminderStatus.CANCELLED)


def deadline_reminders(deadline: Deadline, *, case: Case, now: datetime) -> None:
    """Write the reminders of one (new) deadline."""
    _write(_deadline_rows(deadline, case, now, _paralegal_or_coordinators(case)))


def deadline_reminders_cancel(deadline: Deadline) -> int:
    """Cancel the pending reminders of a deadline that was met, missed or cancelled."""
    return Reminder.objects.filter(
        case_id=deadline.case_id,
        status=ReminderStatus.PENDING,
        idempotency_key__startswith=_deadline_prefix(deadline.pk),
    ).update(status=ReminderStatus.CANCELLED)


def escalate_overdue(now: datetime) -> int:
    """Overdue deadlines (open or marked missed) of open cases: one reminder per deadline to each office coordinator."""
    deadlines = list(
        Deadline.objects.filter(status__in=[DeadlineStatus.OPEN, DeadlineStatus.MISSED], due_at__lt=now)
        .exclude(case__stage=Stage.CLOSED)
        .select_related("case")
    )
    coordinators = _coordinators(deadline.case.office_id for deadline in deadlines)
    rows = [
        _reminder(
            key=f"overdue:{deadline.pk}:{deadline.due_at.isoformat()}:user:{user.pk}",
            case=deadline.case,
            template="deadline_overdue",
            due_at=now,
            user=user,
            context={"deadline": deadline.pk, "kind": deadline.kind, "due_at": deadline.due_at.isoformat()},
        )
        for deadline in deadlines
        for user in coordinators.get(deadline.case.office_id, [])
    ]
    return _write(rows)


# Cases -------------------------------------------------------------------------------------------------------------


def flag_inactive_cases(now: datetime, days: int | None = None) -> int:
    """Open cases with no event by a person for ``days`` (settings.INACTIVITY_DAYS, default 30) flag the paralegal.

    Events the system writes (a deadline marked missed) are not activity. Once per inactivity period: the key
    names the last activity, so the case is flagged again only after new activity and another quiet period.
    """
    days = days if days is not None else getattr(settings, "INACTIVITY_DAYS", 30)
    cutoff = now - timedelta(days=days)
    cases = list(
        Case.objects.exclude(stage=Stage.CLOSED)
        .annotate(last_activity=Max("events__created_at", filter=Q(events__actor__isnull=False)))
        .filter(Q(last_activity__lt=cutoff) | Q(last_activity__isnull=True, opened_at__lt=cutoff))
        .select_related("assigned_to")
    )
    coordinators = _coordinators(case.office_id for case in cases if case.assigned_to_id is None)
    rows = []
    for case in cases:
        since = case.last_activity or case.opened_at
        for user in _paralegal_or_coordinators(case, coordinators):
            rows.append(
                _reminder(
                    key=f"inactive:{case.pk}:{since.isoformat()}:user:{user.pk}",
                    case=case,
                    template="inactive_case",
                    due_at=now,
                    user=user,
                    context={"case": case.pk, "days": days, "since": since.isoformat()},
                )
            )
    return _write(rows)


def departure_soon(now: datetime) -> int:
    """A worker leaving the country within 7 days (office time): an urgent reminder to the paralegal, once."""
    today = now.date()
    cases = list(
        Case.objects.exclude(stage=Stage.CLOSED)
        .filter(departure_date__gte=today - timedelta(days=1), departure_date__lte=today + timedelta(days=8))
        .select_related("assigned_to", "office")
    )
    cases = [
        case
        for case in cases
        if 0 <= (case.departure_date - _local_today(now, case.office.timezone)).days <= DEPARTURE_SOON_DAYS
    ]
    coordinators = _coordinators(case.office_id for case in cases if case.assigned_to_id is None)
    rows = [
        _reminder(
            key=f"departure:{case.pk}:{case.departure_date.isoformat()}:user:{user.pk}",
            case=case,
            template="departure_soon",
            due_at=now,
            user=user,
            urgent=True,
            context={"case": case.pk, "departure_date": case.departure_date.isoformat()},
        )
        for case in cases
        for user in _paralegal_or_coordinators(case, coordinators)
    ]
    return _write(rows)


def instalment_reminders(now: datetime) -> int:
    """Unpaid instalments: a reminder 2 days before the due date, and one the day after a missed one (no amounts)."""
    today = now.date()
    instalments = list(
        Instalment.objects.unpaid()
        .filter(due_date__lte=today + timedelta(days=INSTALMENT_DUE_DAYS_BEFORE + 1))
        .exclude(plan__case__stage=Stage.CLOSED)
        .select_related("plan__case__assigned_to", "plan__case__office")
    )
    cases = [instalment.plan.case for instalment in instalments]
    coordinators = _coordinators(case.office_id for case in cases if case.assigned_to_id is None)
    rows = []
    for instalment in instalments:
        case = instalment.plan.case
        zone_name = case.office.timezone
        local_today = _local_today(now, zone_name)
        if instalment.due_date < local_today:
            template, key, day = "instalment_missed", "instalment_missed", instalment.due_date + timedelta(days=1)
        elif (instalment.due_date - local_today).days <= INSTALMENT_DUE_DAYS_BEFORE:
            template, key = "instalment_due", "instalment_due"
            day = instalment.due_date - timedelta(days=INSTALMENT_DUE_DAYS_BEFORE)
        else:
            continue
        due_at = max(_morning(day, zone_name), now) if day >= local_today else now
        for user in _paralegal_or_coordinators(case, coordinators):
            rows.append(
                _reminder(
                    key=f"{key}:{instalment.pk}:{instalment.due_date.isoformat()}:user:{user.pk}",
                    case=case,
                    template=template,
                    due_at=due_at,
                    user=user,
                    context={"instalment": instalment.pk, "due_date": instalment.due_date.isoformat()},
                )
            )
    return _write(rows)


# The worker --------------------------------------------------------------------------------------------------------


def status_notice(case: Case, new_stage: str, *, now: datetime | None = None) -> int:
    """Tell the worker the case moved to ``new_stage``, in their language, on each channel they consented to that is
    marked safe; nothing at all when the case is flagged unsafe to contact. The context is the stage only (no PIN,
    amount or employer name). Keyed by the case version the change produced, so each change is announced once.
    """
    if case.flag_unsafe_contact:
        return 0
    now = now or timezone.now()
    claimant = case.claimant
    rows = [
        Reminder(
            idempotency_key=f"status:{case.pk}:v{case.version}:{new_stage}:channel:{channel.pk}",
            case=case,
            template="status_notice",
            context={"stage": new_stage},
            channel=WORKER_CHANNELS[channel.kind],
            recipient_channel=channel,
            language=claimant.preferred_language,
            due_at=now,
            next_attempt_at=now,
        )
        for channel in claimant.channels.filter(consent=True, safe_to_contact=True).order_by("pk")
        if channel.kind in WORKER_CHANNELS
    ]
    return _write(rows)


def run_periodic_rules(now: datetime) -> dict[str, int]:
    """Everything beat runs on a schedule, in order: escalate overdue deadlines before marking them missed."""
    from .deadlines import deadline_mark_missed

    return {
        "escalated": escalate_overdue(now),
        "missed": deadline_mark_missed(now),
        "inactive": flag_inactive_cases(now),
        "departures": departure_soon(now),
        "instalments": instalment_reminders(now),
    }
