"""The inbox in a phone-sized browser: a reminder shows as an unread line linking to the case, it can be marked read
without opening the case, and nothing overflows at 390 px."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.deadlines.reminders.rules import departure_soon
from cases.deadlines.reminders.sweep import send_due_reminders
from tests.e2e.test_case_journey import sign_in
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_inbox_at_390_px_marks_a_notification_read_and_links_to_the_case(
    live_server, page: Page, office_a, coordinator_a
):
    case = CaseFactory(office=office_a, actor=coordinator_a, departure_date=timezone.localdate() + timedelta(days=3))
    departure_soon(timezone.now())
    send_due_reminders()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, coordinator_a.username)

    page.goto(f"{live_server.url}/inbox/")
    line = page.get_by_role("link", name=f"Urgent: the worker on case {case.reference} leaves the country in 3 days")
    expect(line).to_be_visible()
    expect(page.locator("main").get_by_text("1 unread")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Mark read").click()
    expect(page.locator("main").get_by_text("0 unread")).to_be_visible()
    expect(page.get_by_role("button", name="Mark read")).to_have_count(0)

    line.click()
    expect(page.get_by_role("heading", name=re.compile(case.reference))).to_be_visible()

    page.goto(f"{live_server.url}/settings/notifications/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("group", name="A case has had no activity").get_by_label("In the app only").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
