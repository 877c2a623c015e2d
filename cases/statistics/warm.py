"""The busiest respondents' dashboards ready before anyone asks.

A chosen respondent's figures are computed from its cases and kept in the cache until the next refresh
(``dashboard._direct``). For a typical respondent that takes tens of milliseconds; for the few employers with
thousands of cases it took 0.6–1.2 s at 1M cases. After each refresh this task computes, for the readers who see
every office (who share one cache entry), the default dashboard of each respondent family with at least
``STATISTICS_WARM_MIN_CASES`` cases, at most ``STATISTICS_WARM_RESPONDENTS`` of them, busiest first, and keeps them
``STATISTICS_WARM_KEEP_SECONDS`` (the next refresh changes the cache key, so they are never read once obsolete).
An office coordinator's view of such a respondent is computed on first view (its own entry, fewer cases).
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from cases.core.models import CaseRespondent
from cases.statistics.dashboard import dashboard_figures
from cases.statistics.direct import respondent_family
from cases.statistics.forms import StatisticsFilterForm
from cases.statistics.selection import visible_offices
from paralegals.models import Role, User

logger = logging.getLogger(__name__)


def _reader() -> User | None:
    """Someone who sees every office (their figures are shared by all such readers), or nobody to warm for."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role=Role.ADMIN) | Q(role=Role.COORDINATOR, is_global_coordinator=True))
        .order_by("pk")
        .first()
    )


def busiest_families(limit: int, min_cases: int) -> list[list[int]]:
    """The ``limit`` respondent families whose busiest member has the most case links (at least ``min_cases``),
    each as the list of its members (the dashboard can be asked for any of them)."""
    seen: set[int] = set()
    families = []
    rows = (
        CaseRespondent.objects.values("respondent_id")
        .annotate(links=Count("pk"))
        .filter(links__gte=min_cases)
        .order_by("-links", "respondent_id")[: limit * 3]
    )
    for row in rows:
        if row["respondent_id"] in seen:
            continue
        family = respondent_family(row["respondent_id"])
        seen.update(family)
        families.append(family)
        if len(families) == limit:
            break
    return families


@shared_task(name="cases.tasks.warm_respondent_statistics")
def warm_respondent_statistics() -> int:
    """Compute (and so cache) the busiest families' default dashboards, for each member; returns how many."""
    limit = settings.STATISTICS_WARM_RESPONDENTS
    reader = _reader() if limit and settings.STATISTICS_CACHE_SECONDS else None
    if reader is None:
        return 0
    offices = visible_offices(reader)
    warmed = 0
    for family in busiest_families(limit, settings.STATISTICS_WARM_MIN_CASES):
        for respondent in family:
            form = StatisticsFilterForm({"respondent": respondent}, offices=offices)
            selection = form.selection(timezone.localdate())
            dashboard_figures(selection, reader, keep=settings.STATISTICS_WARM_KEEP_SECONDS)
            warmed += 1
    logger.info("statistics: %d busy respondents' dashboards computed ahead", warmed)
    return warmed
