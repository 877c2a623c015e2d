"""The refresh task and its debounced scheduling."""

import logging

from celery import current_app, shared_task
from django.conf import settings
from django.core.cache import cache

from cases.statistics.incremental import statistics_update
from cases.statistics.refresh import statistics_refresh, vacuum_summary

logger = logging.getLogger(__name__)

# Present while a refresh is scheduled and not yet started: further changes need not schedule another.
SCHEDULED_MARKER = "statistics:refresh-scheduled"


@shared_task(name="cases.tasks.refresh_statistics")
def refresh_statistics() -> int:
    """Take the changes marked since the last refresh into the summary tables (``cases.statistics.incremental``);
    returns how long it took (ms).

    Idempotent; run, debounced, after changes, by beat every few minutes and by "Refresh now". The marker is
    cleared first, so a change committed while the refresh runs schedules the next one.
    """
    cache.delete(SCHEDULED_MARKER)
    refresh = statistics_update()
    logger.info("statistics refreshed in %d ms", refresh.duration_ms)
    _warm_busy_respondents()
    return refresh.duration_ms


@shared_task(name="cases.tasks.rebuild_statistics")
def rebuild_statistics() -> int:
    """Rebuild every summary table from the raw rows (``cases.statistics.refresh``); returns how long it took (ms).

    Nightly by beat: it also makes good a change whose mark was lost (a crash between its commit and the mark).
    """
    refresh = statistics_refresh()
    vacuum_summary()
    logger.info("statistics rebuilt in %d ms", refresh.duration_ms)
    _warm_busy_respondents()
    return refresh.duration_ms


def _warm_busy_respondents() -> None:
    """Queue the warming of the busiest respondents' dashboards (``cases.statistics.warm``, which reads the dashboard
    and so imports this module: it is looked up by name)."""
    if settings.STATISTICS_WARM_RESPONDENTS:
        current_app.tasks["cases.tasks.warm_respondent_statistics"].delay()


def schedule_refresh() -> bool:
    """Queue a refresh to run after the debounce delay, unless one is already waiting; True when one was queued."""
    if current_app.conf.task_always_eager and not settings.STATISTICS_REFRESH_WHEN_EAGER:
        return False
    delay = settings.STATISTICS_REFRESH_DEBOUNCE_SECONDS
    # cache.add is atomic: of many changes at once, one wins and queues the refresh. The marker outlives the delay
    # a little, so a refresh that is late to start does not get a twin.
    if not cache.add(SCHEDULED_MARKER, 1, timeout=delay + 60):
        return False
    refresh_statistics.apply_async(countdown=delay)
    return True
