"""The reminder sweep: claim due outbox rows, send each through its channel, record the outcome.

Celery beat runs ``cases.tasks.send_due_reminders`` every ``REMINDER_SWEEP_SECONDS``; a lost, repeated or concurrent run
is harmless. Why nothing is sent twice (and the one window where it could be), and the safety checks made at claim
time: docs/reminders.md, "The sweep".
"""

import logging
import re
import time
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.core.office_time import office_zone
from cases.deadlines.models import (
    Deadline,
    DeadlineStatus,
    Notification,
    NotificationSetting,
    Reminder,
    ReminderChannel,
    ReminderStatus,
    StaffReminderKind,
)
from cases.deadlines.reminders.channels import ChannelError, Message, get_backend
from cases.deadlines.reminders.messages import UnknownTemplate, reminder_language, render_reminder
from claimants.models import ChannelKind, ConsentPurpose

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, 3rd and later failed attempts.
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=60)]
# Batches per run, so one task cannot run for ever behind a flood of reminders; the next run carries on.
MAX_BATCHES = 20

_ABOUT_A_DEADLINE = (StaffReminderKind.DEADLINE, StaffReminderKind.OVERDUE)
_CHANNEL_KIND = {
    ReminderChannel.SMS: ChannelKind.PHONE,
    ReminderChannel.WHATSAPP: ChannelKind.WHATSAPP,
    ReminderChannel.EMAIL: ChannelKind.EMAIL,
}


def send_due_reminders(*, now: datetime | None = None, batch: int = 100) -> Counter:
    """Send every reminder due at ``now`` (default: the clock), at most once per claim; returns counts by outcome.

    Idempotent: running it twice, or twice at once, sends each due reminder once.
    """
    outcomes: Counter = Counter()
    for _ in range(MAX_BATCHES):
        moment = now or timezone.now()
        claimed, settled = _claim(moment, batch)
        outcomes.update(settled)
        started = time.monotonic()
        for index, reminder in enumerate(claimed):
            # Send only while well inside the lease; give the rest back rather than risk a second worker's send.
            elapsed = time.monotonic() - started
            if index and elapsed + settings.REMINDER_SEND_TIMEOUT > settings.REMINDER_LEASE_SECONDS:
                _release(claimed[index:])
                outcomes["released"] += len(claimed) - index
                return outcomes
            outcomes[_deliver(reminder, moment)] += 1
        if len(claimed) + sum(settled.values()) < batch:
            break
    return outcomes


def _claim(now: datetime, batch: int) -> tuple[list[Reminder], Counter]:
    """Lease up to ``batch`` due reminders; deliver the in-app ones, cancel the unsafe or unwanted ones and retire
    the exhausted ones on the way."""
    claimed: list[Reminder] = []
    settled: Counter = Counter()
    lease_until = now + timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    with transaction.atomic():
        rows = list(
            Reminder.objects.due(now)
            .select_related("case", "recipient_user", "recipient_channel__claimant")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("due_at", "id")[:batch]
        )
        app_only, closed = _app_only(rows), _closed_deadlines(rows)
        in_app = []
        for reminder in rows:
            reason = unsafe_reason(reminder) or unwanted_reason(reminder, now, app_only=app_only, closed=closed)
            if reason:
                reminder.status = ReminderStatus.CANCELLED
                reminder.last_error = reason
                reminder.save(update_fields=["status", "last_error"])
                settled["cancelled"] += 1
            elif reminder.channel == ReminderChannel.APP:
                in_app.append(reminder)
            elif reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
                # The last attempt's worker died mid-send; its outcome is unknown, so staff must look.
                reminder.status = ReminderStatus.FAILED
                reminder.last_error = f"gave up after {reminder.attempts} attempts; the last was interrupted"
                reminder.save(update_fields=["status", "last_error"])
                settled["failed"] += 1
            else:
                reminder.attempts += 1
                reminder.next_attempt_at = lease_until
                reminder.last_error = f"attempt {reminder.attempts} started {now:%Y-%m-%d %H:%M:%S %Z}; not finished"
                reminder.save(update_fields=["attempts", "next_attempt_at", "last_error"])
                claimed.append(reminder)
        if in_app:
            settled["sent"] += _deliver_in_app(in_app, now)
    return claimed, settled


def _app_only(rows: list[Reminder]) -> set[tuple[int, str]]:
    """(user id, template) pairs whose person chose "in the app only", for the staff emails among ``rows``."""
    users = {row.recipient_user_id for row in rows if row.channel == ReminderChannel.EMAIL and row.recipient_user_id}
    if not users:
        return set()
    return set(NotificationSetting.objects.filter(user_id__in=users, by_email=False).values_list("user_id", "template"))


def _closed_deadlines(rows: list[Reminder]) -> set[int]:
    """Ids of the deadlines named by ``rows`` that are no longer open or missed (met, cancelled) — one query."""
    ids = {row.context.get("deadline") for row in rows if row.template in _ABOUT_A_DEADLINE}
    ids = {pk for pk in ids if isinstance(pk, int) and not isinstance(pk, bool)}
    if not ids:
        return set()
    open_statuses = [DeadlineStatus.OPEN, DeadlineStatus.MISSED]
    return set(Deadline.objects.filter(pk__in=ids).exclude(status__in=open_statuses).values_list("pk", flat=True))


def unwanted_reason(reminder: Reminder, now: datetime, *, app_only=frozenset(), closed=frozenset()) -> str:
    """Why a staff reminder must not go out now, or "" (reminders to the worker: always "")."""
    user = reminder.recipient_user
    if user is None or reminder.recipient_channel_id is not None:
        return ""
    if not user.is_active:
        return "the staff member's account is no longer active"
    context = reminder.context or {}
    if reminder.template in _ABOUT_A_DEADLINE and context.get("deadline") in closed:
        return "the deadline was marked met or cancelled before this reminder went out"
    if "days_before" in context:
        # "Tomorrow" is true only on the day it was meant for: a reminder that could not go out that day (the
        # workers were down) says nothing true later; the next reminder, or the overdue escalation, follows.
        zone = office_zone(str(context.get("zone") or ""))
        meant_for = reminder.due_at.astimezone(zone).date()
        if now.astimezone(zone).date() != meant_for:
            return f"meant for {meant_for.isoformat()} ({zone.key}); sent later it would name the wrong day"
    if reminder.channel == ReminderChannel.EMAIL:
        if (user.pk, reminder.template) in app_only:
            return "the staff member chose to get this kind of reminder in the app only"
        if not user.email:
            return "the staff member has no email address; the reminder is in their inbox in the app"
    return ""


def _deliver_in_app(reminders: list[Reminder], now: datetime) -> int:
    """The inbox rows and the SENT marks, in the claim's transaction: exactly once (a repeat finds the inbox row:
    the reminder is its unique key). Two statements for the whole batch, however many rows (it was five per row);
    the caller skips an empty batch."""
    Notification.objects.bulk_create(
        [
            Notification(
                reminder=reminder,
                user_id=reminder.recipient_user_id,
                case_id=reminder.case_id,
                template=reminder.template,
                context=reminder.context,
                urgent=reminder.urgent,
                created_at=now,
            )
            for reminder in reminders
        ],
        ignore_conflicts=True,
    )
    # One UPDATE for the batch (bulk_update's CASE per row took most of the sweep's time for 1,000 rows).
    Reminder.objects.filter(pk__in=[reminder.pk for reminder in reminders]).update(
        status=ReminderStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
    )
    return len(reminders)


def unsafe_reason(reminder: Reminder) -> str:
    """Why this reminder must not be sent to the worker now, or "" (staff reminders are always allowed)."""
    channel = reminder.recipient_channel
    if channel is None:
        return ""
    if channel.kind != _CHANNEL_KIND[reminder.channel]:
        return f"the worker's contact is a {channel.kind} channel, not {reminder.channel}"
    if not channel.consent:
        return "the worker has not consented to contact on this channel"
    if not channel.safe_to_contact:
        return "this channel is not marked safe to contact"
    if reminder.case_id and reminder.case.flag_unsafe_contact:
        return "the case is flagged: someone who could retaliate may read the worker's messages"
    latest = channel.claimant.consents.filter(purpose=ConsentPurpose.CONTACT).order_by("-recorded_at", "-pk").first()
    if latest is not None and not latest.given:
        return "the worker withdrew consent to be contacted"
    return ""


def _address(reminder: Reminder) -> str:
    if reminder.recipient_channel_id:
        return reminder.recipient_channel.value
    if reminder.channel == ReminderChannel.EMAIL and reminder.recipient_user.email:
        return reminder.recipient_user.email
    raise ChannelError(f"the staff member has no {reminder.channel} address", transient=False)


def _deliver(reminder: Reminder, now: datetime) -> str:
    """Send one leased reminder and record the outcome; returns "sent", "retry" or "failed"."""
    language = reminder_language(reminder)
    try:
        rendered = render_reminder(reminder)
        message = Message(
            channel=reminder.channel,
            to=_address(reminder),
            subject=rendered.subject,
            body=rendered.body,
            idempotency_key=reminder.idempotency_key,
        )
        reference = get_backend(reminder.channel).send(message)
    except (UnknownTemplate, ValueError) as exc:
        return _record_failure(reminder, now, f"cannot render: {exc}", transient=False)
    except ChannelError as exc:
        return _record_failure(reminder, now, str(exc), transient=exc.transient)
    except Exception as exc:  # a backend bug must not leave the row leased without a word
        logger.exception("reminder %s: unexpected error while sending", reminder.pk)
        return _record_failure(reminder, now, f"{exc.__class__.__name__}: {exc}", transient=True)
    with transaction.atomic():
        # The language is recorded as sent: a staff reminder's is the recipient's choice at this moment.
        Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.PENDING).update(
            status=ReminderStatus.SENT,
            sent_at=timezone.now(),
            provider_reference=reference[:200],
            last_error="",
            language=language,
        )
    return "sent"


# A provider's error often names the address it refused ("The 'To' number +60... is not a valid phone number"): the
# reminder's row keeps the whole error for staff; the log line gets it with numbers and email addresses masked.
_NUMBER = re.compile(r"\+?\d[\d\s().-]{4,}\d")
_EMAIL = re.compile(r"[^\s@'\"<>:]+@[^\s@'\"<>]+")


def _loggable(error: str) -> str:
    return _EMAIL.sub("[email]", _NUMBER.sub("[number]", error))


def _record_failure(reminder: Reminder, now: datetime, error: str, *, transient: bool) -> str:
    error = f"attempt {reminder.attempts}: {error}"[:2000]
    if transient and reminder.attempts < settings.REMINDER_MAX_ATTEMPTS:
        wait = BACKOFF[min(reminder.attempts, len(BACKOFF)) - 1]
        Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.PENDING).update(
            next_attempt_at=now + wait, last_error=error
        )
        logger.warning("reminder %s: %s; retrying in %s", reminder.pk, _loggable(error), wait)
        return "retry"
    Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.FAILED, last_error=error
    )
    logger.error("reminder %s: gave up: %s", reminder.pk, _loggable(error))
    return "failed"


def _release(reminders: list[Reminder]) -> None:
    """Give back leased rows that were not sent: due again now, the attempt not counted."""
    Reminder.objects.filter(pk__in=[r.pk for r in reminders], status=ReminderStatus.PENDING).update(
        attempts=F("attempts") - 1, next_attempt_at=timezone.now(), last_error=""
    )
