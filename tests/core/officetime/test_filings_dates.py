"""PDF filings date a case's moments in its office's zone, whoever asks for them and wherever they are made."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from documents import filings, filings_print
from documents.models import DocumentKind

pytestmark = pytest.mark.django_db

LATE_EVENING_UTC = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)  # 8 December, 06:30 in Bangkok


@pytest.mark.parametrize("active_zone", ["UTC", "America/New_York"])
def test_a_case_summary_dates_a_late_evening_case_on_the_offices_next_day(
    make_case, bangkok, paralegal_bangkok, active_zone
):
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        case = make_case(office=bangkok)
        # The person asking (or the background task) may be in any zone: the case's office decides the dates.
        with timezone.override(active_zone):
            document = filings.document_request(
                actor=paralegal_bangkok, case_id=case.pk, kind=DocumentKind.CASE_SUMMARY, language="en"
            )

    snapshot = document.snapshot
    assert snapshot["requested_on"] == "2026-12-08"
    assert snapshot["opened_on"] == "2026-12-08"
    assert {event["on"] for event in snapshot["timeline"]} == {"2026-12-08"}
    html = filings_print.render_html(document)
    assert "8 December 2026" in html and "7 December 2026" not in html
    assert "<td>8 Dec 2026</td>" in html  # the timeline, in the short format


def test_the_timeline_of_a_spanish_summary_uses_the_spanish_short_date(make_case, bangkok, paralegal_bangkok):
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        case = make_case(office=bangkok)
        document = filings.document_request(
            actor=paralegal_bangkok, case_id=case.pk, kind=DocumentKind.CASE_SUMMARY, language="es"
        )

    html = filings_print.render_html(document)

    assert "<td>08/12/2026</td>" in html
    assert "8 de diciembre de 2026" in html
