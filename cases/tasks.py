"""The cases app's Celery tasks, for Celery's autodiscovery (which imports ``<app>.tasks``): each package keeps its
own in its ``tasks`` module (docs/architecture.md)."""

from cases.core.tasks import compact_case_tallies
from cases.deadlines.tasks import mark_missed_deadlines, run_reminder_rules, send_due_reminders
from cases.retention.tasks import retention_sweep
from cases.statistics.tasks import rebuild_statistics, refresh_statistics
from cases.statistics.warm import warm_respondent_statistics

__all__ = [
    "compact_case_tallies",
    "mark_missed_deadlines",
    "rebuild_statistics",
    "refresh_statistics",
    "retention_sweep",
    "run_reminder_rules",
    "send_due_reminders",
    "warm_respondent_statistics",
]
