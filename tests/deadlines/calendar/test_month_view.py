"""The month view: the right items on the right local days, only what the person may see, four a day at most."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.formats import time_format

from cases.core.services.cases import case_assign
from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_set_status
from cases.models import DeadlineKind
from tests.factories import UserFactory

from .conftest import add_deadline, add_task, day_html

BANGKOK = ZoneInfo("Asia/Bangkok")
URL = reverse("calendar_month")


def test_a_deadline_at_1am_in_bangkok_on_the_15th_shows_on_the_15th_not_the_14th(client, paralegal_a, case_a):
    due = datetime(2027, 3, 15, 1, 0, tzinfo=BANGKOK)  # 14 March 18:00 UTC
    deadline = add_deadline(case_a, actor=paralegal_a, due_at=due)
    client.force_login(paralegal_a)

    response = client.get(URL, {"month": "2027-03"})

    assert response.status_code == 200
    fifteenth = day_html(response.content, "2027-03-15")
    assert case_a.reference in fifteenth
    assert f'href="/cases/{case_a.pk}/#deadline-{deadline.pk}"' in fifteenth
    assert "Hearing" in fifteenth
    assert f">{time_format(due)}</time>" in fifteenth  # the language's TIME_FORMAT, in the office's zone
    assert 'datetime="2027-03-15T01:00:00+07:00"' in fifteenth
    assert case_a.reference not in day_html(response.content, "2027-03-14")


def test_a_global_coordinator_without_an_office_sees_days_of_the_sites_zone(client, global_coordinator, case_a):
    # settings.TIME_ZONE is UTC: 01:00 in Bangkok on the 15th is the 14th there, and the time says its zone.
    add_deadline(case_a, actor=global_coordinator, due_at=datetime(2027, 3, 15, 1, 0, tzinfo=BANGKOK))
    client.force_login(global_coordinator)

    response = client.get(URL, {"month": "2027-03", "show": "all"})

    fourteenth = day_html(response.content, "2027-03-14")
    assert case_a.reference in fourteenth
    assert "Asia/Bangkok" in fourteenth
    assert case_a.reference not in day_html(response.content, "2027-03-15")


def test_other_offices_items_never_appear(client, paralegal_a, paralegal_b, global_coordinator, case_a, case_b):
    add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 16, 9, 0, tzinfo=BANGKOK))
    add_deadline(case_b, actor=paralegal_b, due_at=datetime(2027, 3, 16, 9, 0, tzinfo=UTC))

    client.force_login(paralegal_a)
    for show in ("mine", "all"):
        content = client.get(URL, {"month": "2027-03", "show": show}).content.decode()
        assert case_a.reference in content
        assert case_b.reference not in content

    client.force_login(global_coordinator)
    content = client.get(URL, {"month": "2027-03", "show": "all"}).content.decode()
    assert case_a.reference in content
    assert case_b.reference in content


def test_mine_shows_what_i_answer_for_and_everything_shows_the_office(
    client, paralegal_a, coordinator_a, case_a, make_case, office_a
):
    colleague = UserFactory(office=office_a)
    other = make_case(Stage.INTAKE)
    case_assign(actor=coordinator_a, case_id=other.pk, assignee=colleague)
    add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 17, 9, 0, tzinfo=BANGKOK))
    add_deadline(other, actor=colleague, due_at=datetime(2027, 3, 18, 9, 0, tzinfo=BANGKOK))
    add_task(
        other,
        actor=colleague,
        assignee=paralegal_a,
        title="Collect payslips",
        due_at=datetime(2027, 3, 19, 9, 0, tzinfo=BANGKOK),
    )
    client.force_login(paralegal_a)

    mine = client.get(URL, {"month": "2027-03"}).content.decode()  # "mine" is the default
    everything = client.get(URL, {"month": "2027-03", "show": "all"}).content.decode()

    assert case_a.reference in day_html(mine, "2027-03-17")
    assert other.reference not in day_html(mine, "2027-03-18")
    assert "Collect payslips" in day_html(mine, "2027-03-19")  # the task's title: the person may see the case
    assert other.reference in day_html(everything, "2027-03-18")
    assert 'value="all" selected' in everything


def test_a_busy_day_shows_four_items_and_a_link_to_the_rest_in_its_week(client, paralegal_a, case_a):
    day = datetime(2027, 3, 22, 8, 0, tzinfo=BANGKOK)
    for hour in range(7):
        add_deadline(case_a, actor=paralegal_a, due_at=day + timedelta(hours=hour))
    client.force_login(paralegal_a)

    month = client.get(URL, {"month": "2027-03"}).content.decode()
    week = client.get(reverse("calendar_week"), {"day": "2027-03-22"}).content.decode()

    busy = day_html(month, "2027-03-22")
    assert busy.count('<li class="cal-item') == 4
    assert f">{time_format(day)}</time>" in busy
    assert f">{time_format(day + timedelta(hours=3))}</time>" in busy  # the soonest four
    assert f">{time_format(day + timedelta(hours=4))}</time>" not in busy
    assert "+3 more" in busy
    assert 'href="/calendar/week/?day=2027-03-22&amp;show=mine#day-2027-03-22"' in busy
    assert day_html(week, "2027-03-22").count('<li class="cal-item') == 7


def _month_with(count, client, paralegal_a, case_a, django_assert_num_queries):
    for index in range(count):
        add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 11 + index % 15, 9, 0, tzinfo=BANGKOK))
    client.force_login(paralegal_a)
    with django_assert_num_queries(6):  # session, user with office, first ids of each day, their rows, feed, header
        response = client.get(URL, {"month": "2027-03"})
    return response


@pytest.mark.parametrize("count", [1, 40])
def test_the_month_costs_the_same_queries_for_one_item_and_many(
    count, client, paralegal_a, case_a, django_assert_num_queries
):
    response = _month_with(count, client, paralegal_a, case_a, django_assert_num_queries)
    assert response.content.decode().count('<li class="cal-item') == min(count, 15 * 4)


def test_the_global_coordinators_month_costs_the_same_queries(
    client, global_coordinator, case_a, case_b, django_assert_num_queries
):
    for case in (case_a, case_b):
        for day in range(1, 29):
            add_deadline(case, actor=global_coordinator, due_at=datetime(2027, 3, day, 12, 0, tzinfo=UTC))
    client.force_login(global_coordinator)
    with django_assert_num_queries(6):  # session, user, first ids of each day, their rows, feed, header (no office)
        response = client.get(URL, {"month": "2027-03", "show": "all"})
    assert response.content.decode().count('<li class="cal-item') == 2 * 28  # two a day, 1 to 28 March


def test_today_is_highlighted_and_the_navigation_moves_by_month(client, paralegal_a, case_a):
    client.force_login(paralegal_a)

    content = client.get(URL).content.decode()

    assert re.search(r'id="day-2027-03-10" class="cal-day[^"]* today[^"]*" aria-current="date"', content)
    assert content.count('aria-current="date"') == 1
    assert 'href="/calendar/?month=2027-02&amp;show=mine" rel="prev"' in content
    assert 'href="/calendar/?month=2027-04&amp;show=mine" rel="next"' in content
    december = client.get(URL, {"month": "2026-12"}).content.decode()
    assert 'href="/calendar/?month=2027-01&amp;show=mine" rel="next"' in december
    assert 'aria-current="date"' not in december


def test_the_grid_covers_whole_weeks_and_marks_the_neighbouring_months_days(client, paralegal_a, case_a):
    client.force_login(paralegal_a)

    content = client.get(URL, {"month": "2027-03"}).content.decode()

    # March 2027 starts on a Monday and ends on a Wednesday: 1 March to 4 April, five weeks.
    assert content.count('<li id="day-') == 35
    assert 'id="day-2027-03-01" class="cal-day empty"' in content
    assert 'id="day-2027-04-04" class="cal-day outside empty"' in content


def test_met_cancelled_and_overdue_items_are_marked(client, paralegal_a, case_a):
    overdue = add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 8, 9, 0, tzinfo=BANGKOK))
    met = add_deadline(case_a, actor=paralegal_a, due_at=datetime(2027, 3, 20, 9, 0, tzinfo=BANGKOK))
    deadline_set_status(actor=paralegal_a, deadline_id=met.pk, status="met")
    client.force_login(paralegal_a)

    content = client.get(URL, {"month": "2027-03", "show": "all"}).content.decode()

    assert '<li class="cal-item overdue">' in day_html(content, "2027-03-08")
    assert "(overdue)" in day_html(content, "2027-03-08")
    assert '<li class="cal-item done">' in day_html(content, "2027-03-20")
    assert "(met)" in day_html(content, "2027-03-20")
    assert overdue.pk != met.pk


@pytest.mark.parametrize("month", ["2027-13", "March", "0001-01", "2027-3"])
def test_a_month_that_cannot_be_read_is_a_field_error_and_today_s_month_shows(client, paralegal_a, case_a, month):
    client.force_login(paralegal_a)

    response = client.get(URL, {"month": month})

    assert response.status_code == 400
    assert "Give the month as YYYY-MM, e.g. 2026-12." in response.content.decode()
    assert 'aria-current="date"' in response.content.decode()


def test_an_unknown_show_value_is_a_field_error(client, paralegal_a, case_a):
    client.force_login(paralegal_a)

    response = client.get(URL, {"show": "someone-else"})

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_month_is_a_list_of_days_on_a_narrow_screen(client, paralegal_a, case_a):
    # No table with a fixed width: an ordered list of days laid out by a CSS grid that becomes one column under 60rem,
    # where the days without items and the neighbouring months' days are hidden (the browser test measures it).
    client.force_login(paralegal_a)

    content = client.get(URL).content.decode()

    assert "<table" not in content
    assert '<ol class="cal-days cal-month">' in content
    styles = content[content.index("<style>") : content.index("</style>")]
    narrow = styles[styles.index("@media (max-width: 60rem)") :]
    assert "grid-template-columns: minmax(0, 1fr)" in narrow
    assert ".cal-month .cal-day.outside, .cal-month .cal-day.empty:not(.today) { display: none; }" in narrow
    assert "overflow-wrap: anywhere" in styles
    assert "min-width: 0" in styles


def test_the_calendar_needs_a_sign_in(client):
    assert client.get(URL).status_code == 302
    assert client.get(reverse("calendar_week")).status_code == 302


def test_a_deadline_kind_label_shows_for_deadlines_and_the_title_for_tasks(client, paralegal_a, case_a):
    add_deadline(
        case_a, actor=paralegal_a, due_at=datetime(2027, 3, 25, 9, 0, tzinfo=BANGKOK), kind=DeadlineKind.FILING_DUE
    )
    add_task(
        case_a,
        actor=paralegal_a,
        assignee=paralegal_a,
        title="Call the worker back",
        due_at=datetime(2027, 3, 25, 11, 0, tzinfo=BANGKOK),
    )
    client.force_login(paralegal_a)

    day = day_html(client.get(URL, {"month": "2027-03"}).content, "2027-03-25")

    assert "Filing due" in day
    assert "Call the worker back" in day
