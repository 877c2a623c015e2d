"""Coordinators read a case's access log, newest first, in the office's time; paralegals and other offices cannot."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.audit.models import AccessKind, Via
from cases.audit.services import record_access
from cases.core.stages import Stage
from cases.models import AccessRecord

pytestmark = pytest.mark.django_db


def log_url(case) -> str:
    return reverse("case_access_log", args=[case.pk])


def test_a_coordinator_sees_who_read_the_case_newest_first(client, make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    record_access(user=paralegal_a, address="192.0.2.10", what=AccessKind.CASE_PAGE, via=Via.WEB, case=case)
    record_access(user=paralegal_a, address="192.0.2.11", what=AccessKind.CASE_API, via=Via.API, case=case)
    client.force_login(coordinator_a)

    response = client.get(log_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("192.0.2.11") < html.index("192.0.2.10")  # the API read came last: first on the page
    assert "Case (API)" in html and "Case page" in html
    assert (paralegal_a.get_full_name() or paralegal_a.username) in html


def test_times_are_shown_in_the_offices_time_zone(client, make_case, coordinator_a, paralegal_a):
    case = make_case()
    case.office.timezone = "Asia/Kuala_Lumpur"
    case.office.save(update_fields=["timezone"])
    AccessRecord.objects.create(
        user=paralegal_a, case=case, what=AccessKind.CASE_PAGE, via=Via.WEB, at=datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    )
    client.force_login(coordinator_a)

    html = client.get(log_url(case)).content.decode()

    assert 'datetime="2026-03-02T09:30:00+08:00"' in html


def test_the_log_shows_only_this_cases_rows(client, make_case, coordinator_a, paralegal_a, paralegal_b, office_b):
    case, other, elsewhere = make_case(), make_case(), make_case(office=office_b)
    record_access(user=paralegal_a, address="192.0.2.1", what=AccessKind.CASE_PAGE, via=Via.WEB, case=case)
    record_access(user=paralegal_a, address="192.0.2.2", what=AccessKind.CASE_PAGE, via=Via.WEB, case=other)
    record_access(user=paralegal_b, address="192.0.2.3", what=AccessKind.CASE_PAGE, via=Via.WEB, case=elsewhere)
    client.force_login(coordinator_a)

    html = client.get(log_url(case)).content.decode()

    assert "192.0.2.1<" in html
    assert "192.0.2.2" not in html and "192.0.2.3" not in html and "paralegal_b" not in html


def test_a_paralegal_who_sees_the_case_gets_403(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)
    assert client.get(log_url(case)).status_code == 403


def test_a_coordinator_of_another_office_gets_404(client, make_case, coordinator_b):
    case = make_case()
    client.force_login(coordinator_b)
    assert client.get(log_url(case)).status_code == 404


def test_the_case_page_links_to_the_log_for_coordinators_only(client, make_case, coordinator_a, paralegal_a):
    case = make_case()
    page = reverse("case_detail", args=[case.pk])
    client.force_login(coordinator_a)
    assert log_url(case) in client.get(page).content.decode()
    client.force_login(paralegal_a)
    assert log_url(case) not in client.get(page).content.decode()


def test_the_log_is_paginated_and_costs_the_same_queries_for_a_short_or_long_log(
    client, make_case, coordinator_a, paralegal_a
):
    case = make_case()
    client.force_login(coordinator_a)
    url = log_url(case)
    AccessRecord.objects.bulk_create(
        AccessRecord(user=paralegal_a, case=case, what=AccessKind.CASE_PAGE, via=Via.WEB) for _ in range(3)
    )
    client.get(url)

    with CaptureQueriesContext(connection) as short:
        client.get(url)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    AccessRecord.objects.bulk_create(
        AccessRecord(
            user=paralegal_a, case=case, what=AccessKind.CASE_PAGE, via=Via.WEB, at=base + timedelta(minutes=n)
        )
        for n in range(120)
    )
    with CaptureQueriesContext(connection) as long:
        response = client.get(url, {"page": 3})

    # session, user, case with its office, the log's count, the header's counts, the page of rows with their readers
    assert len(long) == len(short) == 6
    assert response.status_code == 200
    assert "Page 3 of 3" in response.content.decode()
