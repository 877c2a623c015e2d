"""The dashboard reads the summary tables; every figure must equal the direct computation from the raw rows."""

from datetime import date

import pytest
from django.utils import timezone

from cases.statistics.direct import direct_figures
from cases.statistics.refresh import statistics_refresh
from cases.statistics.selection import Selection
from cases.statistics.summary import summary_figures
from paralegals.models import Office


@pytest.mark.parametrize(
    "start, end, filters",
    [
        (date(2026, 1, 1), date(2026, 12, 1), {}),
        (date(2026, 2, 1), date(2026, 3, 1), {}),
        (date(2026, 3, 1), date(2026, 3, 1), {"country": "MY"}),
        (date(2026, 1, 1), date(2026, 6, 1), {"sector": "construction"}),
        (date(2025, 1, 1), date(2025, 12, 1), {}),
    ],
)
def test_summary_figures_equal_the_direct_computation(dataset, global_coordinator, start, end, filters):
    refresh = statistics_refresh(now=timezone.now())
    offices = tuple(Office.objects.values_list("pk", flat=True))
    selection = Selection(start=start, end=end, offices=offices, **filters)
    assert summary_figures(selection) == direct_figures(selection, global_coordinator, now=refresh.refreshed_at)


def test_one_office_summary_equals_what_its_coordinator_sees_directly(dataset, office_a, coordinator_a):
    refresh = statistics_refresh()
    selection = Selection(start=date(2026, 1, 1), end=date(2026, 12, 1), offices=(office_a.pk,))
    assert summary_figures(selection) == direct_figures(selection, coordinator_a, now=refresh.refreshed_at)
