"""The whole journey in a real browser: intake, reference and PIN, a move, an assignment, a note, the timeline."""

import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case
from paralegals.models import User
from tests.factories import PASSWORD
from tests.paralegals.two_factor_support import code_for, give_app

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, live_server, username: str) -> None:
    """The password, and for those who must have it (coordinators, administrators) the code from their app."""
    user = User.objects.select_related("office").get(username=username)
    device = None
    if user.two_factor_required:
        device = user.totpdevice_set.filter(confirmed=True).first() or give_app(user)
        # A fresh code each time: the test signs the same person in more often than the app's 30-second step.
        device.last_t = -1
        device.save(update_fields=["last_t"])
    # Leave the page first: a panel still loading on it could answer after the cookies are cleared and put the old
    # CSRF cookie back over the login page's (seen once under load: "CSRF token from POST incorrect").
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
        page.get_by_label("Code from your authenticator app").fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/")  # the home page (a refused login stays on /accounts/login/)


def test_intake_move_assign_note_and_timeline(live_server, page: Page, paralegal_a, coordinator_a):
    sign_in(page, live_server, paralegal_a.username)
    page.get_by_role("link", name="New intake").click()

    page.locator("[name=full_name]").fill("Hnin Aye")
    page.locator("[name=preferred_language]").select_option("my")
    page.locator("[name=nationality]").select_option("MM")
    page.locator("[name=whatsapp]").fill("+66 81 234 5678")
    page.locator("[name=whatsapp_consent]").check()
    page.locator("[name=whatsapp_safe]").check()
    page.locator("input[name=consents][value=data_processing]").check()
    page.locator("[name=consent_method]").select_option("verbal")
    page.locator("[name='respondent-0-name']").fill("Siam Coastal Seafood Co.")
    page.locator("[name='respondent-0-kind']").select_option("employer")
    page.locator("[name='respondent-0-country']").select_option("TH")
    page.locator("[name=country_of_work]").select_option("TH")
    page.locator("[name=sector]").select_option("fishing")
    page.locator("[name=summary]").fill("Four months unpaid on a fishing boat.")
    page.get_by_role("button", name="Open the case").click()

    case = Case.objects.get(claimant__full_name="Hnin Aye")
    expect(page.locator("#reference")).to_have_text(case.reference)
    expect(page.locator("#pin")).to_have_text(re.compile(r"^\s*\d{4}\s?\d{4}\s*$"))
    assert case.pin_hash and page.locator("#pin").inner_text().replace(" ", "") not in case.pin_hash

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("button", name="Move to Evidence").click()
    expect(page.get_by_text("The case moved to Evidence.")).to_be_visible()
    # Assignment needs a respondent (there is one), so the next move is open; redress needs a paralegal.
    page.get_by_role("button", name="Move to Assignment").click()
    expect(page.get_by_role("button", name="Move to Redress")).to_be_disabled()
    expect(page.get_by_text("Assign a paralegal before starting redress.")).to_be_visible()

    sign_in(page, live_server, coordinator_a.username)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_label("Paralegal").select_option(str(paralegal_a.pk))
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("Assigned to")).to_be_visible()

    sign_in(page, live_server, paralegal_a.username)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_label("Note", exact=True).fill("Worker sent payslips by WhatsApp.")
    page.get_by_role("button", name="Add note").click()
    # The note is added in place; its answer also brings the stage's forms with the case's new version.
    expect(page.locator("#notes [role=status]")).to_have_text("Note added.")
    page.get_by_role("button", name="Move to Redress").click()

    timeline = page.locator(".timeline")
    for text in ["Case opened", "Evidence", "Assigned", "Worker sent payslips by WhatsApp.", "Redress"]:
        expect(timeline).to_contain_text(text)
    case.refresh_from_db()
    assert (case.stage, case.assigned_to_id) == ("redress", paralegal_a.pk)


def test_the_spanish_ui_renders_in_the_browser(live_server, page: Page, paralegal_a):
    sign_in(page, live_server, paralegal_a.username)
    page.locator("#language-switcher").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name="Casos", exact=True)).to_be_visible()
