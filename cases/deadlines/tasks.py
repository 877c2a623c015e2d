"""The deadlines package's Celery tasks and what beat runs on a schedule. Each task is idempotent and takes ids or
nothing; the task names are stable (queued messages and beat's schedule name them), so they keep their old
``cases.tasks.`` prefix."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from cases.deadlines.reminders import rules, sweep
from cases.deadlines.services.deadlines import deadline_mark_missed


def run_periodic_rules(now: datetime) -> dict[str, int]:
    """Everything beat runs on a schedule, in order: escalate overdue deadlines before marking them missed."""
    return {
        "escalated": rules.escalate_overdue(now),
        "missed": deadline_mark_missed(now),
        "inactive": rules.flag_inactive_cases(now),
        "departures": rules.departure_soon(now),
        "instalments": rules.instalment_reminders(now),
    }


@shared_task(name="cases.tasks.send_due_reminders")
def send_due_reminders() -> dict:
    """Beat's outbox sweep: send the reminders that are due (``cases.deadlines.reminders.sweep``). Safe to run at any
    time, any number of times, on any number of workers."""
    return dict(sweep.send_due_reminders())


@shared_task(name="cases.tasks.run_reminder_rules")
def run_reminder_rules() -> dict:
    """The periodic reminder rules (escalations, missed deadlines, inactivity, departures, instalments).

    Idempotent: every reminder row has a unique key, so a second run (or two beats at once) writes nothing new.
    """
    return run_periodic_rules(timezone.now())


@shared_task(name="cases.tasks.mark_missed_deadlines")
def mark_missed_deadlines():
    """Open deadlines whose time has passed become missed (also done by run_reminder_rules)."""
    return deadline_mark_missed(timezone.now())
