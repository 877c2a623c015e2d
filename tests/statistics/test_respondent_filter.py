"""The dashboard filtered by a respondent: computed from the raw rows of the respondent's cases (its renamed
companies included), equal to the summary wherever the summary holds the same cases, in a fixed number of queries,
and kept in the cache until the next refresh of the summary, apart for each reader.

In the data set (``conftest``), the employer and its renamed company name exactly the cases of Malaysia (1, 2, 5),
and the agency exactly the case in Thailand (3): the summary filtered by that country counts the same cases.
"""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.statistics.direct import respondent_family
from cases.statistics.refresh import statistics_refresh
from cases.tasks import refresh_statistics
from tests.factories import PASSWORD, RespondentFactory

URL = reverse("statistics_dashboard")
YEAR_2026 = {"preset": "custom", "start": "2026-01", "end": "2026-12"}


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _reads_cases(queries) -> bool:
    return any('FROM "cases_case"' in query["sql"] for query in queries.captured_queries)


def test_a_family_is_found_from_any_of_its_companies(dataset):
    employer, renamed, agency = dataset["employer"], dataset["renamed"], dataset["agency"]
    renamed_again = RespondentFactory(name="Sunrise Holdings", successor_of=renamed)
    family = sorted([employer.pk, renamed.pk, renamed_again.pk])
    assert respondent_family(employer.pk) == respondent_family(renamed_again.pk) == family
    assert respondent_family(agency.pk) == [agency.pk]


@pytest.mark.parametrize(
    "reader, respondent, country",
    [
        ("global_coordinator", "renamed", "MY"),
        ("global_coordinator", "agency", "TH"),
        ("coordinator_a", "employer", "MY"),
    ],
)
def test_a_respondent_s_figures_equal_the_summary_of_the_same_cases(
    request, client, dataset, reader, respondent, country
):
    statistics_refresh()
    _login(client, request.getfixturevalue(reader))
    by_respondent = client.get(URL, {**YEAR_2026, "respondent": dataset[respondent].pk}).context["result"]
    by_country = client.get(URL, {**YEAR_2026, "country": country}).context["result"]
    assert by_respondent.direct and not by_country.direct
    assert by_respondent.figures == by_country.figures
    assert by_respondent.figures.headline.opened == (3 if country == "MY" else 1)


def test_the_csv_export_with_a_respondent_agrees_with_the_dashboard(client, dataset, global_coordinator):
    statistics_refresh()
    _login(client, global_coordinator)
    query = {**YEAR_2026, "respondent": dataset["renamed"].pk}
    page = client.get(URL, query)
    for name in ("headline", "respondents", "countries"):
        table = next(table for table in page.context["tables"] if table.name == name)
        response = client.get(reverse("statistics_export_table", args=[name]), query)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == len(table.rows) + 1
        same_cases = client.get(reverse("statistics_export_table", args=[name]), {**YEAR_2026, "country": "MY"})
        assert response.content == same_cases.content


@pytest.mark.parametrize("extra_cases", [0, 6])
def test_a_respondent_s_dashboard_takes_a_fixed_number_of_queries(
    client, dataset, make_case, global_coordinator, django_assert_num_queries, extra_cases
):
    for _ in range(extra_cases):
        make_case(respondents=[(dataset["employer"], "employer")])
    statistics_refresh()
    _login(client, global_coordinator)
    # session, user, visible offices, refresh row; direct: the family, (PostgreSQL: its case links, the cases
    # chosen, then passed on by id; SQLite: subqueries), cases by slice and stage, money by slice and month, two
    # medians, respondents, paralegals; labels: respondent names, aliases, successors, paralegal names; the header's
    # counts
    with django_assert_num_queries(18 if connection.vendor == "postgresql" else 16):
        assert client.get(URL, {**YEAR_2026, "respondent": dataset["employer"].pk}).status_code == 200


def test_a_second_look_at_a_respondent_reads_no_case_until_the_next_refresh(
    cached, client, dataset, make_case, global_coordinator
):
    statistics_refresh()
    _login(client, global_coordinator)
    query = {**YEAR_2026, "respondent": dataset["employer"].pk}
    first = client.get(URL, query).context["result"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL, query).context["result"]
    assert not _reads_cases(queries)
    assert second.figures == first.figures and second.as_of == first.as_of

    make_case(respondents=[(dataset["employer"], "employer")])
    assert client.get(URL, query).context["result"].figures == first.figures  # as of the same refresh
    statistics_refresh()
    after = client.get(URL, query).context["result"]
    assert after.figures.headline.opened == first.figures.headline.opened + 1


def test_a_respondent_s_figures_are_kept_apart_for_each_reader(
    cached, client, dataset, global_coordinator, coordinator_a, office_a
):
    statistics_refresh()
    query = {**YEAR_2026, "office": office_a.pk, "respondent": dataset["employer"].pk}
    _login(client, global_coordinator)
    seen_by_global = client.get(URL, query).context["result"]
    client.logout()
    _login(client, coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        seen_by_coordinator = client.get(URL, {**YEAR_2026, "respondent": dataset["employer"].pk}).context["result"]
    # The same offices and filters, but counted again over what this coordinator may see.
    assert _reads_cases(queries)
    assert seen_by_coordinator.figures == seen_by_global.figures


def test_a_respondent_with_no_case_the_reader_may_see_shows_zeros(client, dataset, coordinator_b):
    statistics_refresh()
    _login(client, coordinator_b)  # office B: the employer's cases are all in office A
    response = client.get(URL, {**YEAR_2026, "respondent": dataset["employer"].pk})
    figures = response.context["result"].figures
    assert response.status_code == 200
    assert figures.headline.is_zero and not figures.respondents and figures.median_days_to_close is None


def test_the_refresh_task_computes_the_busiest_respondents_dashboards_ahead(
    cached, settings, client, dataset, global_coordinator, coordinator_a
):
    """After the refresh (through its Celery task), a global reader's first look at a busy respondent's default
    dashboard reads no case; a respondent under the threshold, and an office coordinator's own view, are computed
    on first look as before."""
    settings.STATISTICS_WARM_MIN_CASES = 2  # the employer's family has 3 case links here, the agency 1
    refresh_statistics.delay().get()
    _login(client, global_coordinator)
    for respondent, warmed in ((dataset["renamed"], True), (dataset["agency"], False)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"respondent": respondent.pk}).status_code == 200
        assert _reads_cases(queries) is not warmed, respondent.name
    client.logout()
    _login(client, coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"respondent": dataset["employer"].pk})
    assert _reads_cases(queries)
