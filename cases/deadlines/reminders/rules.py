"""Reminder rules: functions that write Reminder rows (the outbox, rule 5 in docs/architecture.md) in the caller's
transaction.

Every row has an idempotency key naming what it is about, so running a rule twice — a retried transaction, beat
firing twice — writes nothing new (``bulk_create(ignore_conflicts=True)`` on the unique key). Every staff reminder
is written once per channel: ``app`` (the sweep turns it into a notification in the person's inbox) and ``email``
for a recipient with an address; the two keys differ by an ``:app`` suffix. Whether an email goes out is decided at
send time from the person's ``NotificationSetting`` (and the language from ``User.language``), so a change of mind
applies to reminders already written. Reminders to the worker go only to channels with consent that are safe,
never when the case is flagged unsafe, and carry no PIN, amount or employer name: their context is the stage only.

Contexts are built by ``cases.deadlines.reminders.messages`` (one vocabulary for writer and reader) and name the
office's time zone; staff reminders fall due at 09:00 in that zone, and "today", "tomorrow" and day windows are the
office's local dates. The channels and the sweep that sends the rows live elsewhere
(``cases.deadlines.reminders.sweep``).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from cases.core.models import Case
from cases.core.office_time import UTC, office_zone
from cases.core.stages import Stage
from cases.deadlines.models import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    Reminder,
    ReminderChannel,
    ReminderStatus,
    StaffReminderKind,
)
from cases.deadlines.reminders import messages as contexts
from cases.money.models import Instalment
from claimants.models import ChannelKind
from paralegals.models import Role, User

DEADLINE_OFFSETS = (14, 7, 2, 1, 0)  # days before the due date
REMIND_AT = time(9, 0)
DEPARTURE_SOON_DAYS = 7
INSTALMENT_DUE_DAYS_BEFORE = 2
WORKER_CHANNELS = {
    ChannelKind.PHONE: ReminderChannel.SMS,
    ChannelKind.WHATSAPP: ReminderChannel.WHATSAPP,
    ChannelKind.EMAIL: ReminderChannel.EMAIL,
}
APP_KEY_SUFFIX = ":app"


def _morning(day: date, zone_name: str) -> datetime:
    return datetime.combine(day, REMIND_AT, tzinfo=office_zone(zone_name)).astimezone(UTC)


def _local_today(now: datetime, zone_name: str) -> date:
    return now.astimezone(office_zone(zone_name)).date()


def _coordinators(office_ids) -> dict[int, list[User]]:
    """Active coordinators per office (one query)."""
    found = defaultdict(list)
    for user in User.objects.filter(office_id__in=set(office_ids), role=Role.COORDINATOR, is_active=True).order_by(
        "pk"
    ):
        found[user.office_id].append(user)
    return found


def _paralegal_or_coordinators(case: Case, coordinators: dict[int, list[User]] | None = None) -> list[User]:
    """The assigned paralegal (if active), else the office's coordinators."""
    if case.assigned_to_id is not None:
        assignee = case.assigned_to
        return [assignee] if assignee.is_active else []
    if coordinators is None:
        coordinators = _coordinators([case.office_id])
    return coordinators.get(case.office_id, [])


def _recipients(deadline: Deadline, case: Case, case_recipients) -> list[User]:
    """A task reminds its assignee; any other deadline the case's paralegal (or coordinators while unassigned)."""
    if deadline.kind == DeadlineKind.TASK:
        return [deadline.assignee] if deadline.assignee_id and deadline.assignee.is_active else []
    return case_recipients()


def _reminders(
    *, key: str, case: Case, template: str, due_at: datetime, user: User, context: dict, urgent=False
) -> list[Reminder]:
    """One staff reminder: the ``app`` row always, the ``email`` row when the person has an address.

    The language is left blank: it is the recipient's ``User.language`` when the reminder is sent (or read).
    """
    channels = [ReminderChannel.APP] + ([ReminderChannel.EMAIL] if user.email else [])
    return [
        Reminder(
            idempotency_key=f"{key}:user:{user.pk}" + (APP_KEY_SUFFIX if channel == ReminderChannel.APP else ""),
            case=case,
            template=template,
            context=context,
            channel=channel,
            recipient_user=user,
            language="",
            urgent=urgent,
            due_at=due_at,
            next_attempt_at=due_at,
        )
        for channel in channels
    ]


def _write(rows: list[Reminder]) -> int:
    """Insert the rows whose keys are new; returns how many rows were asked for (not how many were new)."""
    if rows:
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# Deadlines ---------------------------------------------------------------------------------------------------------


def _deadline_prefix(deadline_id: int) -> str:
    return f"deadline:{deadline_id}:"


def _deadline_rows(deadline: Deadline, case: Case, now: datetime, recipients: list[User]) -> list[Reminder]:
    """The future reminders of one deadline (or task) to ``recipients``, at 09:00 office time 14, 7, 2 and 1 days
    before and on the day (on the day at the due time itself when that comes before 09:00)."""
    zone_name = deadline.timezone
    due_day = deadline.due_at.astimezone(office_zone(zone_name)).date()
    rows = []
    for offset in DEADLINE_OFFSETS:
        at = _morning(due_day - timedelta(days=offset), zone_name)
        if offset == 0:
            at = min(at, deadline.due_at)  # a hearing at 08:00 is reminded of at 08:00, not after it
        if at <= now:
            continue
        for user in recipients:
            rows += _reminders(
                key=f"{_deadline_prefix(deadline.pk)}{offset}:{deadline.due_at.isoformat()}",
                case=case,
                template=StaffReminderKind.DEADLINE,
                due_at=at,
                user=user,
                context=contexts.deadline_context(deadline, days_before=offset),
            )
    return rows


def _case_recipients(case: Case):
    """The case's paralegal or coordinators, looked up once and only if a deadline (not a task) needs them."""
    found: list[list[User]] = []

    def recipients() -> list[User]:
        if not found:
            found.append(_paralegal_or_coordinators(case))
        return found[0]

    return recipients


def deadline_reminders_sync(case: Case, open_deadlines: list[Deadline], *, now: datetime) -> None:
    """Make the case's pending deadline reminders exactly those of ``open_deadlines`` (future ones only).

    Reminders at 14, 7, 2 and 1 days before and on the day go to the assigned paralegal, or to the office's
    coordinators when nobody is assigned; a task's go to its assignee. A moved due date (or a new assignee) gives new
    keys: the new rows are written and the old pending ones cancelled; a key cancelled earlier and wanted again is
    made pending again.
    """
    case_recipients = _case_recipients(case)
    rows = [
        row
        for deadline in open_deadlines
        for row in _deadline_rows(deadline, case, now, _recipients(deadline, case, case_recipients))
    ]
    keys = [row.idempotency_key for row in rows]
    _write(rows)
    if keys:
        Reminder.objects.filter(idempotency_key__in=keys, status=ReminderStatus.CANCELLED).update(
            status=ReminderStatus.PENDING
        )
    Reminder.objects.filter(case=case, template=StaffReminderKind.DEADLINE, status=ReminderStatus.PENDING).exclude(
        idempotency_key__in=keys
    ).update(status=ReminderStatus.CANCELLED)


def deadline_reminders(deadline: Deadline, *, case: Case, now: datetime) -> None:
    """Write the reminders of one (new) deadline or task."""
    _write(_deadline_rows(deadline, case, now, _recipients(deadline, case, _case_recipients(case))))


def deadline_reminders_cancel(deadline: Deadline) -> int:
    """Cancel the pending reminders of a deadline that was met, missed or cancelled."""
    return Reminder.objects.filter(
        case_id=deadline.case_id,
        status=ReminderStatus.PENDING,
        idempotency_key__startswith=_deadline_prefix(deadline.pk),
    ).update(status=ReminderStatus.CANCELLED)


def escalate_overdue(now: datetime) -> int:
    """Overdue deadlines and tasks (open or marked missed) of open cases: one reminder each to every office
    coordinator, once per due date."""
    deadlines = list(
        Deadline.objects.filter(status__in=[DeadlineStatus.OPEN, DeadlineStatus.MISSED], due_at__lt=now)
        .exclude(case__stage=Stage.CLOSED)
        .select_related("case")
    )
    coordinators = _coordinators(deadline.case.office_id for deadline in deadlines)
    rows = [
        row
        for deadline in deadlines
        for user in coordinators.get(deadline.case.office_id, [])
        for row in _reminders(
            key=f"overdue:{deadline.pk}:{deadline.due_at.isoformat()}",
            case=deadline.case,
            template=StaffReminderKind.OVERDUE,
            due_at=now,
            user=user,
            context=contexts.deadline_context(deadline),
        )
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
        .select_related("assigned_to", "office")
    )
    coordinators = _coordinators(case.office_id for case in cases if case.assigned_to_id is None)
    rows = []
    for case in cases:
        since = case.last_activity or case.opened_at
        zone_name = case.office.timezone
        quiet_days = (_local_today(now, zone_name) - _local_today(since, zone_name)).days
        for user in _paralegal_or_coordinators(case, coordinators):
            rows += _reminders(
                key=f"inactive:{case.pk}:{since.isoformat()}",
                case=case,
                template=StaffReminderKind.INACTIVE,
                due_at=now,
                user=user,
                context=contexts.inactivity_context(case, since=since, days=quiet_days, zone=zone_name),
            )
    return _write(rows)


def departure_soon(now: datetime) -> int:
    """A worker leaving the country within 7 days (office time): an urgent reminder to the paralegal, once."""
    # Every office's local date is within a day of UTC's: narrow in SQL, decide in the office's zone.
    utc_today = now.astimezone(UTC).date()
    candidates = (
        Case.objects.exclude(stage=Stage.CLOSED)
        .filter(
            departure_date__gte=utc_today - timedelta(days=1),
            departure_date__lte=utc_today + timedelta(days=DEPARTURE_SOON_DAYS + 1),
        )
        .select_related("assigned_to", "office")
    )
    soon = []
    for case in candidates:
        days_before = (case.departure_date - _local_today(now, case.office.timezone)).days
        if 0 <= days_before <= DEPARTURE_SOON_DAYS:
            soon.append((case, days_before))
    coordinators = _coordinators(case.office_id for case, _days in soon if case.assigned_to_id is None)
    rows = [
        row
        for case, days_before in soon
        for user in _paralegal_or_coordinators(case, coordinators)
        for row in _reminders(
            key=f"departure:{case.pk}:{case.departure_date.isoformat()}",
            case=case,
            template=StaffReminderKind.DEPARTURE,
            due_at=now,
            user=user,
            urgent=True,
            context=contexts.departure_context(case, days_before=days_before, zone=case.office.timezone),
        )
    ]
    return _write(rows)


def instalment_reminders(now: datetime) -> int:
    """Unpaid instalments: a reminder 2 days before the due date (office time), and one the day after a missed one
    (no amounts)."""
    # Every office's local date is within a day of UTC's: narrow in SQL, decide in the office's zone.
    utc_today = now.astimezone(UTC).date()
    instalments = list(
        Instalment.objects.unpaid()
        .filter(due_date__lte=utc_today + timedelta(days=INSTALMENT_DUE_DAYS_BEFORE + 1))
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
            template, day = StaffReminderKind.INSTALMENT_MISSED, instalment.due_date + timedelta(days=1)
        elif (instalment.due_date - local_today).days <= INSTALMENT_DUE_DAYS_BEFORE:
            template, day = (
                StaffReminderKind.INSTALMENT_DUE,
                instalment.due_date - timedelta(days=INSTALMENT_DUE_DAYS_BEFORE),
            )
        else:
            continue
        due_at = max(_morning(day, zone_name), now) if day >= local_today else now
        if template == StaffReminderKind.INSTALMENT_DUE:
            # A plan made a day before the due date is reminded of now: say "tomorrow", not "in 2 days".
            days_before = (instalment.due_date - due_at.astimezone(office_zone(zone_name)).date()).days
            context = contexts.instalment_context(instalment, zone=zone_name, days_before=days_before)
        else:
            context = contexts.instalment_context(instalment, zone=zone_name)
        for user in _paralegal_or_coordinators(case, coordinators):
            rows += _reminders(
                key=f"{template}:{instalment.pk}:{instalment.due_date.isoformat()}",
                case=case,
                template=template,
                due_at=due_at,
                user=user,
                context=context,
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
            template=contexts.STATUS_NOTICE,
            context=contexts.status_notice_context(new_stage),
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
