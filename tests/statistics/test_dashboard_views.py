"""The dashboard page: who may see it, what each coordinator sees, and a fixed number of queries."""

import pytest
from django.urls import reverse

from cases.statistics.refresh import statistics_refresh
from tests.factories import PASSWORD

URL = reverse("statistics_dashboard")
YEAR_2026 = {"preset": "custom", "start": "2026-01", "end": "2026-12"}


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_paralegals_may_not_see_statistics(client, paralegal_a):
    _login(client, paralegal_a)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("statistics_export_all")).status_code == 403


def test_a_global_coordinator_sees_every_office(client, dataset, global_coordinator):
    statistics_refresh()
    _login(client, global_coordinator)
    response = client.get(URL, YEAR_2026)
    assert response.status_code == 200
    assert "As of" in response.content.decode()
    offices = next(t for t in response.context["tables"] if t.name == "offices")
    assert [row[0] for row in offices.screen_rows()] == ["Kuala Lumpur", "Bishkek"] or len(offices.rows) == 2
    assert response.context["tables"][0].rows[0][1].value == 5  # opened


def test_an_office_coordinator_sees_only_their_office(client, dataset, coordinator_b, office_a):
    statistics_refresh()
    _login(client, coordinator_b)
    response = client.get(URL, YEAR_2026)
    assert response.context["tables"][0].rows[0][1].value == 1  # case 4 only
    # Asking for another office is refused by the form (not a choice), and the default (own office) is shown.
    response = client.get(URL, {**YEAR_2026, "office": office_a.pk})
    assert response.status_code == 400
    assert response.context["selection"].offices == (coordinator_b.office_id,)


def test_the_navigation_shows_statistics_to_coordinators_only(client, coordinator_a, paralegal_a):
    _login(client, coordinator_a)
    assert URL in client.get(reverse("home")).content.decode()
    client.logout()
    _login(client, paralegal_a)
    assert URL not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("extra_cases", [0, 6])
def test_the_dashboard_takes_a_fixed_number_of_queries(
    client, dataset, make_case, global_coordinator, django_assert_num_queries, extra_cases
):
    for _ in range(extra_cases):
        make_case()
    statistics_refresh()
    _login(client, global_coordinator)
    # session, user, visible offices (also the filter form's choices and the office names), refresh row; summary:
    # totals (headline, offices, countries, sectors), corridors and genders, stages and outcomes, trend, duration
    # bands, durations, respondents, paralegals; labels: respondent names, aliases, successors, paralegal names;
    # the header's counts
    with django_assert_num_queries(17):
        assert client.get(URL, YEAR_2026).status_code == 200


def test_a_chosen_respondent_is_counted_from_the_cases(client, dataset, global_coordinator):
    _login(client, global_coordinator)
    response = client.get(URL, {**YEAR_2026, "respondent": dataset["employer"].pk})
    assert response.context["result"].direct
    # Cases 1, 5 (the employer) and 2 (its renamed company).
    assert response.context["tables"][0].rows[0][1].value == 3
