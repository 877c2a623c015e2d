import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_blocked_move_shows_its_reason_in_the_browser(live_server, page: Page, make_case, paralegal_a):
    case = make_case()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(paralegal_a.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_role("heading", name=re.compile(case.reference))).to_be_visible()
    expect(page.get_by_role("button", name="Move to Evidence")).to_be_disabled()
    expect(page.get_by_text("consent to use their information has not been recorded")).to_be_visible()
