"""The calendar in a real browser on a phone-sized screen: the month, the next one, a day's week, the feed address."""

import re
from datetime import datetime, time

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from cases.core.office_time import office_zone
from cases.core.stages import Stage
from cases.deadlines.calendar.dates import add_month
from cases.deadlines.services.deadlines import deadline_add
from cases.models import DeadlineKind

from .test_case_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_calendar_on_a_phone_next_month_a_days_week_and_the_feed(live_server, page: Page, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    zone = office_zone(case.office.timezone)
    next_month = add_month(timezone.localdate(timezone=zone).replace(day=1), 1)
    due = datetime.combine(next_month.replace(day=15), time(9, 30), tzinfo=zone)
    deadline_add(actor=paralegal_a, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=due)
    day_id = f"day-{next_month:%Y-%m}-15"

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, paralegal_a.username)
    page.goto(f"{live_server.url}/calendar/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Calendar")
    expect(page.locator('[aria-current="date"]')).to_be_visible()  # today, even with nothing on it
    assert page.evaluate(NO_OVERFLOW)

    page.get_by_role("link", name=re.compile("Next month")).click()
    expect(page).to_have_url(re.compile(rf"month={next_month:%Y-%m}"))
    day = page.locator(f"#{day_id}")
    expect(day.get_by_role("link", name=case.reference)).to_be_visible()
    expect(day).to_contain_text("Hearing")
    expect(page.locator(f"#day-{next_month:%Y-%m}-14")).to_be_hidden()  # a phone lists only days with something
    assert page.evaluate(NO_OVERFLOW)

    day.locator(".cal-date a").click()
    expect(page).to_have_url(re.compile(rf"/calendar/week/\?day={next_month:%Y-%m}-15"))
    expect(page.locator(f"#{day_id}").get_by_role("link", name=case.reference)).to_be_visible()
    expect(page.locator(".cal-week > li")).to_have_count(7)
    assert page.evaluate(NO_OVERFLOW)

    page.get_by_role("link", name="Month view").click()
    page.get_by_role("button", name="Create my private address").click()
    address = page.get_by_label(re.compile("Your private address"))
    expect(address).to_be_visible()
    url = address.input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/calendar/feed/[A-Za-z0-9_-]{{43}}\.ics", url)
    assert page.evaluate(NO_OVERFLOW)

    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    (event,) = Calendar.from_ical(response.body()).events
    assert str(event["SUMMARY"]) == f"Hearing · {case.reference}"
    assert event.start == due

    page.reload()  # shown once: afterwards only its beginning
    expect(page.get_by_label(re.compile("Your private address"))).to_have_count(0)
    expect(page.locator("#subscribe")).to_contain_text(url.rsplit("/", 1)[1][:6] + "…")


def test_the_month_is_a_seven_column_grid_on_a_wide_screen(live_server, page: Page, make_case, paralegal_a):
    make_case(Stage.REDRESS)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, paralegal_a.username)
    page.goto(f"{live_server.url}/calendar/")

    tops = page.locator(".cal-month > li").evaluate_all(
        "days => days.slice(0, 8).map(d => d.getBoundingClientRect().top)"
    )
    assert len(set(tops[:7])) == 1  # the first week on one row
    assert tops[7] > tops[0]  # the second week below it
    assert page.evaluate(NO_OVERFLOW)
