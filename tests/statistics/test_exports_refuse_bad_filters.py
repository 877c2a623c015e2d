"""The exports answer a filter exactly as the dashboard does: an office the user may not see (or any other bad
filter) is a 400 with the form's message, never the user's own offices' figures under another office's name.
(The API's answer, a field map, is in tests/api/test_statistics.py.)"""

import pytest
from django.urls import reverse

from documents.models import StatisticsReport

YEAR_2026 = {"preset": "custom", "start": "2026-01", "end": "2026-12"}
NOT_A_CHOICE = "Select a valid choice. That choice is not one of the available choices."

pytestmark = pytest.mark.django_db


@pytest.fixture
def exports():
    return [reverse("statistics_export_table", args=["headline"]), reverse("statistics_export_all")]


def test_another_office_is_refused_by_the_dashboard_the_csv_and_the_zip_alike(
    client, dataset, coordinator_b, office_a, exports
):
    client.force_login(coordinator_b)
    params = {**YEAR_2026, "office": office_a.pk}

    dashboard = client.get(reverse("statistics_dashboard"), params)
    assert dashboard.status_code == 400
    assert dashboard.context["form"].errors["office"] == [NOT_A_CHOICE]
    for url in exports:
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode() == f"Office: {NOT_A_CHOICE}\n"
        assert "Content-Disposition" not in response


def test_other_bad_filters_are_refused_with_the_dashboards_message(client, coordinator_a, exports):
    client.force_login(coordinator_a)

    for url in exports:
        backwards = client.get(url, {"preset": "custom", "start": "2026-12", "end": "2026-01"})
        assert backwards.status_code == 400
        assert backwards.content.decode() == "The first month must not be after the last.\n"
        assert client.get(url, {"sector": "space"}).status_code == 400


def test_the_own_office_and_no_filter_still_export(client, coordinator_b, exports):
    client.force_login(coordinator_b)

    for url in exports:
        assert client.get(url, {**YEAR_2026, "office": coordinator_b.office_id}).status_code == 200
        assert client.get(url).status_code == 200


def test_a_pdf_report_for_another_office_is_not_made(client, coordinator_b, office_a):
    client.force_login(coordinator_b)

    response = client.post(reverse("statistics_report_request"), {**YEAR_2026, "office": office_a.pk}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("statistics_dashboard")
    assert "The filters were not valid; the report was not made." in response.content.decode()
    assert not StatisticsReport.objects.exists()
