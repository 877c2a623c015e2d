"""Every staff page is in the signed-in person's office time, at no extra query; nobody else's request changes."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from cases.core.services.cases import case_add_note
from cases.statistics.refresh import statistics_refresh
from paralegals.backends import OfficeModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LATE_EVENING_UTC = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)


@pytest.fixture
def late_case(make_case, bangkok, paralegal_bangkok):
    """A Bangkok case opened, and noted, at 23:30 UTC on 7 December: 06:30 on the 8th in Bangkok."""
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        case = make_case(office=bangkok)
        case_add_note(actor=paralegal_bangkok, case_id=case.pk, text="Called the worker back.")
    return case


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_a_timeline_event_at_2330_utc_shows_on_the_next_day_for_a_bangkok_paralegal(
    client, late_case, paralegal_bangkok
):
    client.force_login(paralegal_bangkok)

    html = page(client, "case_detail", late_case.pk)

    assert '<time datetime="2026-12-08T06:30:00+07:00">8 December 2026, 06:30</time>' in html
    assert "7 December 2026" not in html
    assert "Times in Asia/Bangkok, UTC+7." in html


def test_someone_without_an_office_sees_the_same_event_in_utc(client, late_case, global_coordinator):
    client.force_login(global_coordinator)

    html = page(client, "case_detail", late_case.pk)

    assert '<time datetime="2026-12-07T23:30:00+00:00">7 December 2026, 23:30</time>' in html
    assert "Times in UTC." in html


def test_the_case_list_dates_the_case_in_the_readers_office_time(client, late_case, paralegal_bangkok):
    client.force_login(paralegal_bangkok)

    html = page(client, "case_list")

    assert '<time datetime="2026-12-08T06:30:00+07:00">8 Dec 2026</time>' in html


def test_spanish_dates_come_from_djangos_spanish_formats(client, late_case, paralegal_bangkok):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.force_login(paralegal_bangkok)

    html = page(client, "case_detail", late_case.pk)

    assert ">8 de diciembre de 2026 a las 06:30</time>" in html


def test_the_statistics_stamp_is_in_the_coordinators_office_time_and_named(client, bangkok):
    coordinator = UserFactory(coordinator=True, office=bangkok)
    statistics_refresh(now=LATE_EVENING_UTC)
    client.force_login(coordinator)

    html = page(client, "statistics_dashboard")

    assert "As of 06:30 (8 Dec 2026, Asia/Bangkok, UTC+7)." in html


def test_the_zone_is_the_requests_only(client, late_case, paralegal_bangkok):
    client.force_login(paralegal_bangkok)
    page(client, "case_detail", late_case.pk)

    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_the_worker_status_check_and_the_login_page_still_answer(client, paralegal_bangkok):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("portal_lookup")).status_code == 200
    client.force_login(paralegal_bangkok)
    assert client.get(reverse("portal_lookup")).status_code == 200


def test_the_office_comes_with_the_user_row(paralegal_bangkok, django_assert_num_queries):
    with django_assert_num_queries(1):  # the user joined with their office
        user = OfficeModelBackend().get_user(paralegal_bangkok.pk)
        assert user.office.timezone == "Asia/Bangkok"


def test_an_inactive_or_unknown_user_is_nobody(paralegal_bangkok):
    paralegal_bangkok.is_active = False
    paralegal_bangkok.save(update_fields=["is_active"])

    assert OfficeModelBackend().get_user(paralegal_bangkok.pk) is None
    assert OfficeModelBackend().get_user(10**9) is None


def test_office_time_costs_no_query(client, late_case, paralegal_bangkok):
    client.force_login(paralegal_bangkok)
    url = reverse("case_detail", args=[late_case.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    with_office_time = queries()
    without = [name for name in settings.MIDDLEWARE if name != "config.middleware.OfficeTimeMiddleware"]
    with override_settings(MIDDLEWARE=without):
        assert queries() == with_office_time
