"""GET /api/v1/statistics/: the dashboard's figures for coordinators, with the CSV export's small-number rule, the
dashboard's filters (a bad one is a 400 naming the field) and a fixed number of queries."""

import csv
import io

import pytest
from django.urls import reverse

from cases.statistics.refresh import statistics_refresh
from tests.factories import PASSWORD
from tests.statistics import conftest as statistics

URL = "/api/v1/statistics/"
YEAR_2026 = {"preset": "custom", "start": "2026-01", "end": "2026-12"}
# Five cases in 2026 (office A: 1-3 and 5, office B: 4), worked out by hand in tests/statistics/conftest.py.
dataset = statistics.dataset


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_anonymous_is_401_and_paralegals_are_403(anonymous, api_for, paralegal_a, db):
    assert anonymous.get(URL).status_code == 401
    refused = api_for(paralegal_a).get(URL)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"


def test_a_global_coordinator_gets_the_headline_and_every_table(api_for, dataset, global_coordinator):
    statistics_refresh()

    response = api_for(global_coordinator).get(URL, YEAR_2026)

    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] is not None
    assert data["counted_from_cases"] is False
    assert data["selection"]["start"] == "2026-01" and data["selection"]["end"] == "2026-12"
    assert len(data["selection"]["offices"]) == 2
    assert data["reporting_currency"] == "USD" and data["min_cell"] == 5
    headline = data["headline"]
    assert headline["opened"] == "5"
    assert headline["closed"] == "< 5"  # three cases: the small-number rule
    assert headline["disbursed"] == "600.00"  # from five active cases: shown
    assert headline["median_days_to_close"] == "54.0"
    names = [table["name"] for table in data["tables"]]
    assert names == [
        "funnel",
        "now",
        "corridors",
        "countries",
        "sectors",
        "offices",
        "genders",
        "respondents",
        "paralegals",
        "trend",
    ]


def test_every_cell_is_what_the_csv_export_says(api_for, client, dataset, global_coordinator):
    statistics_refresh()
    data = api_for(global_coordinator).get(URL, YEAR_2026).json()
    assert client.login(username=global_coordinator.username, password=PASSWORD)

    for table in [{"name": "headline", "rows": None}, *data["tables"]]:
        exported = _csv_rows(client.get(reverse("statistics_export_table", args=[table["name"]]), YEAR_2026).content)
        if table["rows"] is None:  # the headline, by name
            assert [value or "" for value in data["headline"].values()] == [row[1] for row in exported[1:]]
            continue
        assert table["headers"] == exported[0]
        assert [[cell or "" for cell in row] for row in table["rows"]] == exported[1:], table["name"]


def test_small_groups_hide_counts_and_money(api_for, dataset, global_coordinator):
    statistics_refresh()
    tables = {table["name"]: table for table in api_for(global_coordinator).get(URL, YEAR_2026).json()["tables"]}

    nepal = next(row for row in tables["corridors"]["rows"] if row[0] == "Nepal → Thailand")

    assert nepal[1:4] == ["< 5", "< 5", "< 5"]
    assert nepal[4:6] == ["suppressed", "suppressed"]
    assert nepal[6] is None  # no award: no recovery rate


def test_an_office_coordinator_gets_their_office_only(api_for, dataset, coordinator_b, office_a):
    statistics_refresh()
    client = api_for(coordinator_b)

    data = client.get(URL, YEAR_2026).json()
    assert data["selection"]["offices"] == [coordinator_b.office_id]
    assert data["headline"]["opened"] == "< 5"  # case 4 only
    assert data["headline"]["awarded"] == "suppressed"

    other_office = client.get(URL, {**YEAR_2026, "office": office_a.pk})
    assert other_office.status_code == 400
    assert set(other_office.json()) == {"office"}


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"preset": "custom"}, {"non_field_errors"}),
        ({"preset": "custom", "start": "2026-12", "end": "2026-01"}, {"non_field_errors"}),
        ({"preset": "custom", "start": "2026-13", "end": "2026-12"}, {"start", "non_field_errors"}),
        ({"preset": "someday"}, {"preset"}),
        ({"sector": "space"}, {"sector"}),
        ({"country": "XX"}, {"country"}),
        ({"respondent": "0"}, {"respondent"}),
        ({"office": "abc"}, {"office"}),
    ],
)
def test_bad_filters_are_a_field_map(api_for, coordinator_a, params, fields):
    response = api_for(coordinator_a).get(URL, params)

    assert response.status_code == 400
    assert set(response.json()) == fields


def test_a_chosen_respondent_is_counted_from_the_cases(api_for, dataset, global_coordinator):
    response = api_for(global_coordinator).get(URL, {**YEAR_2026, "respondent": dataset["employer"].pk})

    data = response.json()
    assert data["counted_from_cases"] is True
    assert data["headline"]["opened"] == "< 5"  # cases 1, 5 and 2 (the renamed company)


def test_no_filter_means_the_last_twelve_months_of_every_visible_office(
    api_for, global_coordinator, office_a, office_b
):
    data = api_for(global_coordinator).get(URL).json()
    assert sorted(data["selection"]["offices"]) == sorted([office_a.pk, office_b.pk])
    assert data["selection"]["respondent"] is None


@pytest.mark.parametrize("extra_cases", [0, 6])
def test_the_figures_take_a_fixed_number_of_queries(
    api_for, dataset, make_case, global_coordinator, django_assert_num_queries, extra_cases
):
    for _ in range(extra_cases):
        make_case()
    statistics_refresh()
    client = api_for(global_coordinator)
    # the sign-in lockout check of the address (django-axes, paralegals.signin: one indexed read, so that a flood of
    # guessed keys from an address is refused even when one is right); token and its user, its last-used stamp;
    # visible offices (also the office names), refresh row; summary:
    # totals (headline, offices, countries, sectors), corridors and genders, stages and outcomes, trend, duration
    # bands, durations, respondents, paralegals; labels: respondent names, aliases, successors, paralegal names
    with django_assert_num_queries(17):
        assert client.get(URL, YEAR_2026).status_code == 200


def test_another_office_is_a_field_map_as_the_exports_and_the_dashboard_refuse_it(api_for, coordinator_b, office_a):
    response = api_for(coordinator_b).get(URL, {"office": office_a.pk})

    assert response.status_code == 400
    assert response.json() == {"office": ["Select a valid choice. That choice is not one of the available choices."]}
