"""What the dashboard reads: the summary tables, or the raw rows when a respondent is chosen."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from cases.models import StatRefresh

from .direct import direct_figures
from .figures import Figures
from .selection import Selection
from .summary import summary_figures
from .tasks import schedule_refresh


@dataclass(frozen=True)
class Result:
    figures: Figures
    as_of: datetime | None  # None: the summary has never been built (a refresh has been asked for)
    direct: bool


def dashboard_figures(selection: Selection, user) -> Result:
    """The figures for ``selection`` (whose offices the caller has limited to what ``user`` may see)."""
    refresh = StatRefresh.objects.filter(pk=1).only("refreshed_at").first()
    as_of = refresh.refreshed_at if refresh else None
    if selection.respondent:
        # Per-respondent figures are not kept in the summary; a respondent's cases are few: count them now.
        return Result(direct_figures(selection, user, now=timezone.now()), timezone.now(), direct=True)
    if as_of is None:
        schedule_refresh()
    return Result(summary_figures(selection), as_of, direct=False)
