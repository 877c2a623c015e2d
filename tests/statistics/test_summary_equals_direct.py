"""The dashboard reads the summary tables; every figure must equal the direct computation from the raw rows."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
@pytest.mark.parametrize("all_offices_rows", [True, False], ids=["all-offices-rows", "per-office-rows"])
def test_summary_figures_equal_the_direct_computation(
    dataset, global_coordinator, start, end, filters, all_offices_rows
):
    refresh = statistics_refresh(now=timezone.now())
    offices = tuple(Office.objects.values_list("pk", flat=True))
    assert set(refresh.offices) <= set(offices)
    selection = Selection(start=start, end=end, offices=offices, **filters)
    summary = summary_figures(selection, refresh.offices if all_offices_rows else ())
    assert summary == direct_figures(selection, global_coordinator, now=refresh.refreshed_at)


def test_one_office_summary_equals_what_its_coordinator_sees_directly(dataset, office_a, coordinator_a):
    refresh = statistics_refresh()
    selection = Selection(start=date(2026, 1, 1), end=date(2026, 12, 1), offices=(office_a.pk,))
    # Office B's cases are summed into the all-offices rows too: this reader must not read them.
    summary = summary_figures(selection, refresh.offices)
    assert summary == direct_figures(selection, coordinator_a, now=refresh.refreshed_at)


def test_the_all_offices_rows_are_read_only_by_a_reader_who_sees_every_office(dataset, office_a):
    refresh = statistics_refresh()
    everyone = Selection(start=date(2026, 1, 1), end=date(2026, 12, 1), offices=tuple(refresh.offices))
    one_office = Selection(start=date(2026, 1, 1), end=date(2026, 12, 1), offices=(office_a.pk,))
    for selection, expected in ((everyone, 5), (one_office, 0)):
        with CaptureQueriesContext(connection) as queries:
            summary_figures(selection, refresh.offices)
        reads = [q["sql"] for q in queries.captured_queries if re.search(r'"?office_id"? = 0\b', q["sql"])]
        assert len(reads) == expected, reads  # stages/outcomes, corridors/genders, two median reads, respondents
