"""In a real browser, the calculation editor works in place (htmx): errors swap in, rows appear, the result shows."""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import PayPeriodRow
from tests.e2e.conftest import CHROMIUM, browser_type_launch_args  # noqa: F401 (the e2e browser settings)
from tests.e2e.test_case_journey import sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_add_a_period_fix_a_mistake_and_calculate_without_reloading(live_server, page: Page, calc_case, paralegal_a):
    sign_in(page, live_server, paralegal_a.username)
    page.goto(f"{live_server.url}/cases/{calc_case.pk}/")
    page.evaluate("window.notReloaded = true")
    section = page.locator("#calculation")

    section.get_by_text("Add a pay period").click()
    form = section.locator("form[action$='/calculation/periods/']")
    for name, value in {
        "label": "January 2025",
        "start": "2025-01-01",
        "end": "2025-01-31",
        "days_worked": "26",
        "normal_hours": "208",
        "agreed_rate": "1200",
        "amount_paid": "1000",
    }.items():
        form.locator(f"[name='period-{name}']").fill(value)
    form.locator("[name='period-agreed_basis']").select_option("month")
    form.locator("[name='period-end']").fill("2024-12-31")
    form.get_by_role("button", name="Add pay period").click()

    expect(section.get_by_text("The period ends before it starts.")).to_be_visible()
    assert not PayPeriodRow.objects.exists()

    section.locator("[name='period-end']").fill("2025-01-31")
    section.locator("[name='period-overtime_hours']").fill("10")
    section.get_by_role("button", name="Add pay period").click()
    expect(section.get_by_role("cell", name=re.compile(r"^January 2025"))).to_be_visible()

    section.get_by_role("button", name="Calculate").click()
    expect(section.get_by_text("615.38 MYR", exact=True)).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
