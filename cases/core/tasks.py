"""The core's periodic task: folding the case tally (``cases.core.tally``)."""

import logging

from celery import shared_task

from cases.core.tally import compact

logger = logging.getLogger(__name__)


@shared_task(name="cases.tasks.compact_case_tallies")
def compact_case_tallies() -> int:
    """Fold the tally's appended rows into one per (office, assignee, stage); returns how many rows it removed."""
    removed = compact()
    logger.info("case tally compacted: %d rows folded", removed)
    return removed
