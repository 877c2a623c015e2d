"""The dashboard's figures are kept in the cache for one refresh of the summary and one exact selection."""

from datetime import date

from django.core.cache import cache
from django.urls import reverse

from cases.statistics.dashboard import dashboard_figures
from cases.statistics.refresh import statistics_refresh
from cases.statistics.selection import Selection
from cases.statistics.summary import summary_figures
from tests.factories import PASSWORD

URL = reverse("statistics_dashboard")
YEAR_2026 = {"preset": "custom", "start": "2026-01", "end": "2026-12"}


def _year(offices) -> Selection:
    return Selection(start=date(2026, 1, 1), end=date(2026, 12, 1), offices=tuple(sorted(offices)))


def test_a_second_look_at_the_same_selection_reads_no_summary_table(
    cached, client, dataset, global_coordinator, django_assert_num_queries
):
    statistics_refresh()
    assert client.login(username=global_coordinator.username, password=PASSWORD)
    first = client.get(URL, YEAR_2026)
    # session, user, visible offices, refresh row; labels: respondent names, aliases, successors, paralegal names;
    # the header's counts
    with django_assert_num_queries(9):
        second = client.get(URL, YEAR_2026)
    assert second.context["result"].figures == first.context["result"].figures


def test_a_refresh_makes_the_figures_computed_again(cached, dataset, make_case, global_coordinator, office_a):
    statistics_refresh()
    selection = _year([office_a.pk])
    before = dashboard_figures(selection, global_coordinator).figures
    make_case()
    statistics_refresh()
    after = dashboard_figures(selection, global_coordinator).figures
    assert after == summary_figures(selection)
    assert after.headline.opened == before.headline.opened + 1


def test_figures_are_kept_apart_for_each_set_of_offices_and_filters(
    cached, dataset, global_coordinator, coordinator_b, office_a, office_b
):
    statistics_refresh()
    everything = dashboard_figures(_year([office_a.pk, office_b.pk]), global_coordinator).figures
    only_b = dashboard_figures(_year([office_b.pk]), coordinator_b).figures
    assert only_b == summary_figures(_year([office_b.pk])) != everything
    in_malaysia = Selection(start=date(2026, 1, 1), end=date(2026, 12, 1), offices=(office_a.pk,), country="MY")
    assert dashboard_figures(in_malaysia, global_coordinator).figures == summary_figures(in_malaysia)


def test_nothing_is_kept_when_the_cache_is_off(
    settings, dataset, global_coordinator, office_a, django_assert_num_queries
):
    settings.STATISTICS_CACHE_SECONDS = 0
    statistics_refresh()
    cache.clear()
    dashboard_figures(_year([office_a.pk]), global_coordinator)
    # refresh row; summary: totals, corridors and genders, stages and outcomes, duration bands, durations, trend,
    # respondents, paralegals
    with django_assert_num_queries(9):
        dashboard_figures(_year([office_a.pk]), global_coordinator)
