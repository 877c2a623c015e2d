"""The case page writes one access record per full page view, with one more query than the page had."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.audit.models import AccessKind, Via
from cases.core.stages import Stage
from cases.models import AccessRecord
from cases.pages import case_page

from .conftest import ADDRESS

pytestmark = pytest.mark.django_db


def test_a_case_page_view_writes_one_row_naming_who_what_and_from_where(client, make_case, paralegal_a, only_record):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)

    assert client.get(reverse("case_detail", args=[case.pk]), REMOTE_ADDR=ADDRESS).status_code == 200

    record = only_record()
    assert (record.user, record.case, record.claimant_id) == (paralegal_a, case, case.claimant_id)
    assert (record.what, record.via, record.address) == (AccessKind.CASE_PAGE, Via.WEB, ADDRESS)


def test_each_view_is_a_row(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)
    for _ in range(3):
        client.get(reverse("case_detail", args=[case.pk]))
    assert AccessRecord.objects.filter(case=case, what=AccessKind.CASE_PAGE).count() == 3


def test_the_address_is_the_proxys_last_hop_when_one_is_configured(client, make_case, paralegal_a, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    case = make_case()
    client.force_login(paralegal_a)
    client.get(reverse("case_detail", args=[case.pk]), HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.40")
    assert AccessRecord.objects.get().address == "203.0.113.40"


def test_an_address_that_is_not_one_is_kept_empty_and_the_page_still_answers(client, make_case, paralegal_a, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    case = make_case()
    client.force_login(paralegal_a)
    assert client.get(reverse("case_detail", args=[case.pk]), HTTP_X_FORWARDED_FOR="unknown").status_code == 200
    assert AccessRecord.objects.get().address is None


def test_another_offices_case_is_a_404_and_writes_nothing(client, make_case, office_b, paralegal_a):
    case = make_case(office=office_b)
    client.force_login(paralegal_a)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    assert not AccessRecord.objects.exists()


def test_the_sections_and_panels_a_page_loads_add_no_row_to_its_view(client, make_case, paralegal_a, only_record):
    """htmx loads the evidence and filings panels with the page and reloads sections after a write: one page view
    is one row, not a dozen."""
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)
    client.get(reverse("case_detail", args=[case.pk]))
    for name in ("evidence_panel", "filings_panel", "section_stage", "section_details", "section_money"):
        assert client.get(reverse(name, args=[case.pk]), HTTP_HX_REQUEST="true").status_code == 200
    assert only_record().what == AccessKind.CASE_PAGE


@pytest.mark.parametrize(
    "name",
    [
        "section_stage",
        "section_assignment",
        "section_details",
        "section_notes",
        "section_calculation",
        "section_money",
        "section_deadlines",
        "section_reminders",
        "section_status_check",
        "case_edit",
        "calculation",
        "evidence_list",
        "evidence_panel",
        "filings_page",
        "filings_panel",
    ],
)
def test_a_part_of_the_case_read_on_its_own_writes_one_row(client, make_case, paralegal_a, only_record, name):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)

    assert client.get(reverse(name, args=[case.pk]), REMOTE_ADDR=ADDRESS).status_code == 200
    assert client.get(reverse(name, args=[case.pk]), REMOTE_ADDR=ADDRESS).status_code == 200  # again: no new row

    record = only_record()
    assert (record.user, record.case_id, record.what, record.via) == (
        paralegal_a,
        case.pk,
        AccessKind.CASE_PART,
        Via.WEB,
    )
    assert (record.detail, record.address) == (name, ADDRESS)


def test_a_part_read_again_after_half_an_hour_is_a_new_row(client, make_case, paralegal_a, settings):
    settings.SESSION_IDLE_MINUTES = 120
    case = make_case()
    url = reverse("section_details", args=[case.pk])
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=UTC), tick=False) as traveller:
        client.force_login(paralegal_a)
        client.get(url)
        traveller.shift(timedelta(minutes=29))
        client.get(url)
        traveller.shift(timedelta(minutes=2))
        client.get(url)
    assert AccessRecord.objects.filter(case=case).count() == 2


def test_a_part_of_another_offices_case_is_a_404_and_writes_nothing(client, make_case, office_b, paralegal_a):
    case = make_case(office=office_b)
    client.force_login(paralegal_a)
    assert client.get(reverse("section_details", args=[case.pk])).status_code == 404
    assert client.get(reverse("evidence_panel", args=[case.pk])).status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_write_to_a_section_adds_no_read(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)
    assert client.post(reverse("case_note", args=[case.pk]), {"text": "Called the worker."}).status_code == 302
    assert not AccessRecord.objects.exists()


def test_the_log_adds_exactly_one_query_to_the_page(client, make_case, coordinator_a, monkeypatch):
    case = make_case(Stage.EVIDENCE)
    client.force_login(coordinator_a)
    url = reverse("case_detail", args=[case.pk])
    client.get(url)  # warm: the session's first save, cached content types

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    with_log = queries()
    monkeypatch.setattr(case_page, "record_access", lambda **kwargs: None)
    without_log = queries()

    assert with_log == without_log + 1  # + access log: one INSERT
    assert AccessRecord.objects.filter(case=case).count() == 2
