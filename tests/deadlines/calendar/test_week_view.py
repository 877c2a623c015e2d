"""The week view: Monday to Sunday of the person's zone, every item of each day (up to a cap), by week or by day."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from .conftest import add_deadline, day_html

BANGKOK = ZoneInfo("Asia/Bangkok")
URL = reverse("calendar_week")


def test_the_week_of_a_day_runs_monday_to_sunday_on_local_days(client, paralegal_a, case_a):
    early = add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 15, 0, 30, tzinfo=BANGKOK))
    late = add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 21, 23, 30, tzinfo=BANGKOK))
    outside = add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 22, 0, 30, tzinfo=BANGKOK))
    client.force_login(paralegal_a)

    response = client.get(URL, {"day": "2027-03-17"})

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('<li id="day-') == 7
    assert f"#deadline-{early.pk}" in day_html(content, "2027-03-15")
    assert f"#deadline-{late.pk}" in day_html(content, "2027-03-21")
    assert f"#deadline-{outside.pk}" not in content


def test_a_week_by_iso_number_and_by_day_show_the_same_days(client, paralegal_a, case_a):
    add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 16, 9, 0, tzinfo=BANGKOK))
    client.force_login(paralegal_a)

    by_week = client.get(URL, {"week": "2027-W11"}).content.decode()
    by_day = client.get(URL, {"day": "2027-03-21"}).content.decode()

    assert day_html(by_week, "2027-03-16") == day_html(by_day, "2027-03-16")
    assert 'href="/calendar/week/?week=2027-W10&amp;show=mine" rel="prev"' in by_week
    assert 'href="/calendar/week/?week=2027-W12&amp;show=mine" rel="next"' in by_week


def test_this_week_is_the_default_with_today_highlighted(client, paralegal_a, case_a):
    client.force_login(paralegal_a)

    content = client.get(URL).content.decode()

    assert 'id="day-2027-03-10" class="cal-day today empty" aria-current="date"' in content
    assert 'id="day-2027-03-08"' in content  # Monday
    assert 'id="day-2027-03-14"' in content  # Sunday
    assert 'href="/calendar/?month=2027-03&amp;show=mine">Month view' in content


def test_the_week_shows_the_status_in_words(client, paralegal_a, case_a):
    add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 9, 9, 0, tzinfo=BANGKOK))
    client.force_login(paralegal_a)

    day = day_html(client.get(URL).content, "2027-03-09")

    assert '<span class="help">(overdue)</span>' in day


@pytest.mark.parametrize("count", [2, 30])
def test_the_week_costs_the_same_queries_for_few_items_and_many(
    count, client, paralegal_a, case_a, django_assert_num_queries
):
    for index in range(count):
        add_deadline(
            case_a,
            actor=paralegal_a,
            due_at=datetime(2027, 3, 15, 8, 0, tzinfo=BANGKOK) + timedelta(hours=index % 40, minutes=index),
        )
    client.force_login(paralegal_a)

    with django_assert_num_queries(5):  # session, user with office, the first ids of each day, their rows, header
        response = client.get(URL, {"week": "2027-W11"})

    assert response.content.decode().count('<li class="cal-item') == count


def test_a_day_busier_than_the_cap_says_how_many_are_not_shown(client, paralegal_a, case_a, monkeypatch):
    monkeypatch.setattr("cases.deadlines.views.calendar.WEEK_PER_DAY", 3)
    for minutes in range(5):
        add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 16, 9, minutes, tzinfo=BANGKOK))
    client.force_login(paralegal_a)

    day = day_html(client.get(URL, {"day": "2027-03-16"}).content, "2027-03-16")

    assert day.count('<li class="cal-item') == 3
    assert "and 2 more on this day, not shown" in day


@pytest.mark.parametrize(("name", "value"), [("week", "2027-W54"), ("week", "2027-11"), ("day", "2027-02-30")])
def test_a_week_or_day_that_cannot_be_read_is_a_field_error(client, paralegal_a, case_a, name, value):
    client.force_login(paralegal_a)

    response = client.get(URL, {name: value})

    assert response.status_code == 400
    assert 'aria-current="date"' in response.content.decode()  # this week instead
