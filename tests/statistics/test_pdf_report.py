"""The PDF report: asked for from the dashboard, rendered after commit, downloaded only by those allowed."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from cases.statistics.refresh import statistics_refresh
from documents.models import DocumentStatus, StatisticsReport
from tests.factories import PASSWORD

YEAR_2026 = {"preset": "custom", "start": "2026-01", "end": "2026-12"}


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path


def _request(client, user, django_capture_on_commit_callbacks, **filters):
    assert client.login(username=user.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("statistics_report_request"), {**YEAR_2026, **filters})
    assert response.status_code == 302
    return StatisticsReport.objects.get(requested_by=user)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_report_renders_with_tables_small_numbers_and_page_numbers(
    client, dataset, global_coordinator, django_capture_on_commit_callbacks
):
    statistics_refresh()
    report = _request(client, global_coordinator, django_capture_on_commit_callbacks)
    assert report.status == DocumentStatus.READY, report.error
    response = client.get(reverse("statistics_report_download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Recovery statistics" in text
    assert "By corridor (origin → country of work)" in text or "By corridor" in text
    assert "< 5" in text and "suppressed" in text
    assert "Page 1 /" in text
    assert "Sunrise Builders" in text


def test_another_office_coordinator_may_not_download_it(
    client, dataset, coordinator_a, coordinator_b, global_coordinator, django_capture_on_commit_callbacks
):
    statistics_refresh()
    report = _request(client, coordinator_a, django_capture_on_commit_callbacks)
    assert report.parameters["offices"] == [coordinator_a.office_id]
    url = reverse("statistics_report_download", args=[report.pk])
    client.logout()
    assert client.login(username=coordinator_b.username, password=PASSWORD)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.login(username=global_coordinator.username, password=PASSWORD)
    assert client.get(url).status_code == 200


def test_paralegals_cannot_ask_for_a_report(client, paralegal_a):
    assert client.login(username=paralegal_a.username, password=PASSWORD)
    assert client.post(reverse("statistics_report_request"), YEAR_2026).status_code == 403
    assert not StatisticsReport.objects.exists()


def test_the_reports_panel_lists_the_users_reports(client, global_coordinator):
    StatisticsReport.objects.create(
        requested_by=global_coordinator, parameters={"start": "2026-01-01", "end": "2026-12-01"}
    )
    assert client.login(username=global_coordinator.username, password=PASSWORD)
    response = client.get(reverse("statistics_reports_panel"))
    assert "January 2026 to December 2026" in response.content.decode()  # the months, in the language's format
    assert 'hx-trigger="every 2s"' in response.content.decode()
