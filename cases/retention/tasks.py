"""The daily retention sweep (beat: ``retention-sweep`` in config/settings.py)."""

from celery import shared_task

from cases.retention.services import retention_sweep as sweep


@shared_task(name="cases.tasks.retention_sweep")
def retention_sweep() -> int:
    """Anonymise the closed cases whose retention period has ended; returns how many. Idempotent: a case already
    anonymised is no longer due, and a repeated or overlapping run finds nothing more to do (the row locks serialise
    two runs on one case)."""
    return sweep()
