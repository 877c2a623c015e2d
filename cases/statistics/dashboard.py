"""What the dashboard reads: the summary tables, or the raw rows when a respondent is chosen; either kept in the
cache until the next refresh of the summary (or ``STATISTICS_CACHE_SECONDS``)."""

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from cases.statistics.direct import direct_figures
from cases.statistics.figures import Figures
from cases.statistics.models import StatRefresh
from cases.statistics.selection import Selection
from cases.statistics.summary import summary_figures
from cases.statistics.tasks import schedule_refresh


@dataclass(frozen=True)
class Result:
    figures: Figures
    as_of: datetime | None  # None: the summary has never been built (a refresh has been asked for)
    direct: bool


def _cache_key(selection: Selection, refresh: StatRefresh, reader: tuple = ()) -> str:
    """The summary as of this refresh (any refresh changes the stamp) and exactly this selection, the offices
    included: figures are shared only by readers asking for the same offices. The names of ``Figures``' fields are
    in it too, so figures kept by an older release are not read back by a newer one. ``reader``: whose cases were
    counted, for figures computed from ``visible_to`` (a chosen respondent)."""
    parts = (
        reader,
        tuple(field.name for field in fields(Figures)),
        refresh.pk,
        refresh.refreshed_at.isoformat(),
        refresh.duration_ms,
        selection.start.isoformat(),
        selection.end.isoformat(),
        selection.offices,
        selection.country,
        selection.sector,
        selection.respondent,
    )
    return "statistics:figures:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _summary(selection: Selection, refresh: StatRefresh | None) -> Figures:
    """``summary_figures``, kept in the cache for ``STATISTICS_CACHE_SECONDS`` (0: not kept)."""
    seconds = settings.STATISTICS_CACHE_SECONDS
    if not seconds or refresh is None or refresh.refreshed_at is None:
        return summary_figures(selection, refresh.offices if refresh else ())
    key = _cache_key(selection, refresh)
    figures = cache.get(key)
    if figures is None:
        figures = summary_figures(selection, refresh.offices)
        cache.set(key, figures, seconds)
    return figures


def _reader(user) -> tuple:
    """Who ``visible_to`` counts cases for: everyone who sees every office alike; anyone else on their own."""
    return ("every office",) if user.sees_all_offices else ("one reader", user.pk, user.office_id)


def _direct(
    selection: Selection, user, refresh: StatRefresh | None, keep: int | None = None
) -> tuple[Figures, datetime]:
    """A chosen respondent's figures from the raw rows and when they were computed, kept in the cache like the
    summary's (``keep`` seconds instead of ``STATISTICS_CACHE_SECONDS`` when given): a change to the cases is shown
    after the refresh it causes, as on the unfiltered dashboard (the refresh is part of the key)."""
    seconds = keep or settings.STATISTICS_CACHE_SECONDS
    if not seconds or refresh is None or refresh.refreshed_at is None:
        now = timezone.now()
        return direct_figures(selection, user, now=now), now
    key = _cache_key(selection, refresh, reader=_reader(user))
    kept = cache.get(key)
    if kept is None:
        now = timezone.now()
        kept = (direct_figures(selection, user, now=now), now)
        cache.set(key, kept, seconds)
    return kept


@contextmanager
def _one_snapshot():
    """Every read of one dashboard sees the same refresh: one transaction, REPEATABLE READ on PostgreSQL (a refresh
    committing between two of the reads would otherwise mix old and new rows). Inside a caller's transaction (a
    task, a test) the reads run in that one."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def dashboard_figures(selection: Selection, user, *, keep: int | None = None) -> Result:
    """The figures for ``selection`` (whose offices the caller has limited to what ``user`` may see); ``keep``: how
    long a chosen respondent's figures stay in the cache (``cases.statistics.warm`` keeps them until the next
    refresh makes them obsolete)."""
    with _one_snapshot():
        return _figures(selection, user, keep)


def _figures(selection: Selection, user, keep: int | None = None) -> Result:
    refresh = StatRefresh.objects.filter(pk=1).only("refreshed_at", "duration_ms", "offices").first()
    as_of = refresh.refreshed_at if refresh else None
    if selection.respondent:
        # Per-respondent figures are not kept in the summary; a respondent's cases are few: count them (by primary
        # key, see ``direct``).
        figures, computed_at = _direct(selection, user, refresh, keep)
        return Result(figures, computed_at, direct=True)
    if as_of is None:
        schedule_refresh()
    return Result(_summary(selection, refresh), as_of, direct=False)
