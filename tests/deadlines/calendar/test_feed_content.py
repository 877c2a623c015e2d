"""The private iCalendar feed, parsed back with icalendar: what it holds, what it never says, and its times."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from cases.core.services.cases import case_assign
from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_set_status
from cases.models import DeadlineKind
from paralegals.models import CalendarFeed
from tests.factories import UserFactory

from .conftest import NOW, add_deadline, add_task

BANGKOK = ZoneInfo("Asia/Bangkok")
MADRID = ZoneInfo("Europe/Madrid")


def _feed_url(user) -> str:
    _feed, key = CalendarFeed.renew(user)
    return reverse("calendar_feed", args=[key])


def _fetch(client, user):
    response = client.get(_feed_url(user))
    assert response.status_code == 200
    return response, Calendar.from_ical(response.content)


def _events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.events}


def test_the_feed_holds_the_open_items_i_answer_for_from_30_days_ago(
    client, paralegal_a, paralegal_b, coordinator_a, case_a, case_b, make_case, office_a
):
    hearing = add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 15, 9, 30, tzinfo=BANGKOK))
    recent = add_deadline(case_a, actor=paralegal_a, due_at=NOW - timedelta(days=10))  # overdue, still open
    add_deadline(case_a, actor=paralegal_a, due_at=NOW - timedelta(days=31))  # too old
    met = add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 16, 9, 0, tzinfo=BANGKOK))
    deadline_set_status(actor=paralegal_a, deadline_id=met.pk, status="met")
    add_deadline(case_b, actor=paralegal_b, due_at=datetime(2027, 3, 15, 9, 0, tzinfo=UTC))  # another office
    colleague = UserFactory(office=office_a)
    colleagues_case = make_case(Stage.INTAKE)
    case_assign(actor=coordinator_a, case_id=colleagues_case.pk, assignee=colleague)
    add_deadline(colleagues_case, actor=colleague, due_at=datetime(2027, 3, 17, 9, 0, tzinfo=BANGKOK))
    task = add_task(
        colleagues_case,
        actor=colleague,
        assignee=paralegal_a,
        title="Collect payslips",
        due_at=datetime(2027, 3, 18, 9, 0, tzinfo=BANGKOK),
    )

    _response, calendar = _fetch(client, paralegal_a)

    assert set(_events_by_uid(calendar)) == {
        f"deadline-{hearing.pk}@testserver",
        f"deadline-{recent.pk}@testserver",
        f"deadline-{task.pk}@testserver",
    }


def test_an_event_names_the_kind_and_the_case_but_never_the_worker_nor_the_task_title(client, paralegal_a, case_a):
    hearing = add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 15, 9, 30, tzinfo=BANGKOK))
    worker = case_a.claimant.full_name
    task = add_task(
        case_a,
        actor=paralegal_a,
        assignee=paralegal_a,
        title=f"Call {worker} back about the 4,500 owed",
        due_at=datetime(2027, 3, 18, 9, 0, tzinfo=BANGKOK),
    )

    response, calendar = _fetch(client, paralegal_a)

    events = _events_by_uid(calendar)
    hearing_event = events[f"deadline-{hearing.pk}@testserver"]
    task_event = events[f"deadline-{task.pk}@testserver"]
    assert str(hearing_event["SUMMARY"]) == f"Hearing · {case_a.reference}"
    assert str(task_event["SUMMARY"]) == f"Task · {case_a.reference}"
    assert str(hearing_event["URL"]) == f"http://testserver/cases/{case_a.pk}/#deadline-{hearing.pk}"
    body = response.content.decode()
    for secret in (worker, *worker.split(), "Call", "4,500", case_a.claimant.id_document_number):
        assert secret not in body


def test_the_calendar_is_a_published_redress_calendar(client, paralegal_a, case_a):
    add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 15, 9, 30, tzinfo=BANGKOK))

    response, calendar = _fetch(client, paralegal_a)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="redress.ics"'
    assert response["Cache-Control"] == "private, no-store"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Redress//Calendar feed//EN"
    assert str(calendar["X-WR-CALNAME"]) == "Redress"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    (event,) = calendar.events
    assert event["DTSTAMP"].dt == NOW
    assert event["DURATION"].dt == timedelta(minutes=30)
    (alarm,) = event.walk("VALARM")
    # The morning before, 09:00 in Bangkok: a day and half an hour before a 09:30 hearing.
    assert alarm["TRIGGER"].dt == -timedelta(days=1, minutes=30)


def test_a_time_is_the_right_instant_in_the_offices_zone_with_its_vtimezone(client, paralegal_a, case_a):
    due = datetime(2027, 3, 15, 1, 0, tzinfo=BANGKOK)
    add_deadline(case_a, actor=paralegal_a, due_at=due)

    response, calendar = _fetch(client, paralegal_a)

    (event,) = calendar.events
    assert event.start == due
    assert event.start == datetime(2027, 3, 14, 18, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Asia/Bangkok"
    assert "DTSTART;TZID=Asia/Bangkok:20270315T010000" in response.content.decode()
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    assert calendar.get_missing_tzids() == set()


def test_madrid_times_stay_right_across_the_change_to_summer_time(client, paralegal_b, case_b, office_b):
    office_b.timezone = "Europe/Madrid"
    office_b.save(update_fields=["timezone"])
    before = add_deadline(case_b, actor=paralegal_b, due_at=datetime(2027, 3, 27, 10, 0, tzinfo=MADRID))
    after = add_deadline(case_b, actor=paralegal_b, due_at=datetime(2027, 3, 29, 10, 0, tzinfo=MADRID))
    on_the_day = add_deadline(case_b, actor=paralegal_b, due_at=datetime(2027, 3, 28, 10, 0, tzinfo=MADRID))
    add_deadline(case_b, actor=paralegal_b, due_at=datetime(2028, 4, 3, 10, 0, tzinfo=MADRID))  # next spring too

    response, calendar = _fetch(client, paralegal_b)

    events = _events_by_uid(calendar)
    winter = events[f"deadline-{before.pk}@testserver"]
    summer = events[f"deadline-{after.pk}@testserver"]
    assert winter.start == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)  # CET, UTC+1
    assert summer.start == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)  # CEST, UTC+2
    assert winter["DTSTART"].params["TZID"] == summer["DTSTART"].params["TZID"] == "Europe/Madrid"
    assert "DTSTART;TZID=Europe/Madrid:20270329T100000" in response.content.decode()
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Madrid"
    assert {component.name for component in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    daylight = next(component for component in zone.subcomponents if component.name == "DAYLIGHT")
    assert daylight["DTSTART"].dt == datetime(2027, 3, 28, 2, 0)  # clocks go forward at 02:00 local
    assert [entry.dt for entry in daylight["RDATE"].dts] == [datetime(2028, 3, 26, 2, 0)]
    standard = [component for component in zone.subcomponents if component.name == "STANDARD"]
    assert datetime(2027, 10, 31, 3, 0) in [component["DTSTART"].dt for component in standard]  # back at 03:00
    # Alarms ring at 09:00 local the day before: 25 hours before a 10:00 hearing, but 24 hours before the one on
    # the Sunday the clocks go forward (the alarm rings on the Saturday, in winter time).
    (alarm,) = summer.walk("VALARM")
    assert alarm["TRIGGER"].dt == -timedelta(hours=25)
    (alarm,) = events[f"deadline-{on_the_day.pk}@testserver"].walk("VALARM")
    assert alarm["TRIGGER"].dt == -timedelta(hours=24)


def test_a_limitation_period_ending_at_23_59_is_an_all_day_event(client, paralegal_a, case_a):
    limitation = add_deadline(
        case_a, actor=paralegal_a, kind=DeadlineKind.LIMITATION, due_at=datetime(2027, 6, 30, 23, 59, tzinfo=BANGKOK)
    )

    _response, calendar = _fetch(client, paralegal_a)

    (event,) = calendar.events
    assert str(event["UID"]) == f"deadline-{limitation.pk}@testserver"
    assert event.start == date(2027, 6, 30)
    assert event.end == date(2027, 7, 1)
    assert str(event["SUMMARY"]) == f"Limitation period · {case_a.reference}"


def test_the_summary_is_in_the_persons_language(client, paralegal_a, case_a):
    paralegal_a.language = "es"
    paralegal_a.save(update_fields=["language"])
    add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 15, 9, 30, tzinfo=BANGKOK))

    _response, calendar = _fetch(client, paralegal_a)

    (event,) = calendar.events
    assert str(event["SUMMARY"]) == f"Audiencia · {case_a.reference}"


@pytest.mark.parametrize("count", [1, 25])
def test_the_feed_costs_the_same_queries_for_one_item_and_many(
    count, client, paralegal_a, case_a, django_assert_num_queries
):
    for index in range(count):
        add_deadline(
            case_a, actor=paralegal_a, due_at=datetime(2027, 3, 15, 9, 0, tzinfo=BANGKOK) + timedelta(days=index)
        )
    url = _feed_url(paralegal_a)

    with django_assert_num_queries(3):  # the feed by its digest with its user, last read, the items
        response = client.get(url)

    assert len(Calendar.from_ical(response.content).events) == count


def test_the_feed_is_capped(client, paralegal_a, case_a, monkeypatch):
    monkeypatch.setattr("cases.deadlines.calendar.feed.MAX_EVENTS", 3)
    first = [add_deadline(case_a, actor=paralegal_a, due_at=NOW + timedelta(days=day)) for day in range(1, 6)]

    _response, calendar = _fetch(client, paralegal_a)

    assert set(_events_by_uid(calendar)) == {f"deadline-{row.pk}@testserver" for row in first[:3]}


def test_the_last_read_time_is_written_at_most_once_a_minute(client, paralegal_a, case_a):
    url = _feed_url(paralegal_a)

    client.get(url)
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        client.get(url)
    after_half_a_minute = CalendarFeed.objects.get(user=paralegal_a).last_used_at
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        client.get(url)

    assert after_half_a_minute == NOW
    assert CalendarFeed.objects.get(user=paralegal_a).last_used_at == NOW + timedelta(minutes=2)


def _assert_plain_404(response):
    assert response.status_code == 404
    assert response.content == b""
    assert response["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize("key", ["x", "A" * 42, "A" * 44, "A" * 43, "a" * 40 + "%2F.", "..%2F..%2Fetc"])
def test_a_wrong_or_malformed_key_is_a_plain_404(client, paralegal_a, key):
    CalendarFeed.renew(paralegal_a)

    _assert_plain_404(client.get(f"/calendar/feed/{key}.ics"))


def test_a_revoked_key_and_a_deactivated_persons_key_are_the_same_plain_404(client, paralegal_a, paralegal_b):
    revoked = _feed_url(paralegal_a)
    CalendarFeed.renew(paralegal_a)
    deactivated = _feed_url(paralegal_b)
    paralegal_b.is_active = False
    paralegal_b.save(update_fields=["is_active"])

    _assert_plain_404(client.get(revoked))
    _assert_plain_404(client.get(deactivated))


def test_a_signed_in_session_changes_nothing(client, paralegal_b, paralegal_a, case_a):
    add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 15, 9, 30, tzinfo=BANGKOK))
    url = _feed_url(paralegal_a)
    client.force_login(paralegal_b)

    response = client.get(url)

    assert len(Calendar.from_ical(response.content).events) == 1  # paralegal_a's feed, whoever asks
