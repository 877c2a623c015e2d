"""Celery tasks for cases: each takes ids (or nothing), calls a service and is idempotent."""

from celery import shared_task


@shared_task(name="cases.tasks.send_due_reminders")
def send_due_reminders() -> dict:
    """Beat's outbox sweep: send the reminders that are due (see ``cases.deadlines.sweep``). Safe to run at any time,
    any number of times, on any number of workers."""
    from cases.deadlines.sweep import send_due_reminders as sweep

    return dict(sweep())


# Reminder rules (cases.deadlines.rules) -----------------------------------------------------------------------------


@shared_task(name="cases.tasks.run_reminder_rules")
def run_reminder_rules():
    """The periodic reminder rules (escalations, missed deadlines, inactivity, departures, instalments).

    Idempotent: every reminder row has a unique key, so a second run (or two beats at once) writes nothing new.
    """
    from django.utils import timezone

    from cases.deadlines.rules import run_periodic_rules

    return run_periodic_rules(timezone.now())


@shared_task(name="cases.tasks.mark_missed_deadlines")
def mark_missed_deadlines():
    """Open deadlines whose time has passed become missed (also done by run_reminder_rules)."""
    from django.utils import timezone

    from cases.deadlines.services.deadlines import deadline_mark_missed

    return deadline_mark_missed(timezone.now())


# Statistics (cases.statistics): the summary refresh, run by beat and (debounced) after changes.
from cases.statistics.tasks import rebuild_statistics, refresh_statistics  # noqa: E402, F401
