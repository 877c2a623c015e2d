"""The case page in a real browser at 1280 px: a note and a payment are added in place — no navigation, the
scroll position kept, the timeline updated — and an action in another section then works (no stale version)."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from cases.core.stages import Stage
from cases.models import Case, ExchangeRate, LedgerEntry
from cases.money.services.ledger import ledger_record
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")


@pytest.fixture
def awarded_case(make_case, administrator):
    """A case in redress with an award of 5,000 MYR and exchange rates for its dates, as the ledger tests set up."""
    for day in (date(2025, 1, 1), date(2025, 6, 1)):
        ExchangeRate.objects.create(currency="MYR", date=day, rate=Decimal("0.2200000000"), source="test")
    case = make_case(Stage.REDRESS)
    ledger_record(
        actor=administrator,
        case_id=case.pk,
        kind="awarded",
        amount=Decimal("5000"),
        currency="MYR",
        entry_date=date(2025, 3, 1),
        source="negotiation",
    )
    return case


def open_case(page: Page, live_server, case: Case) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    # The documents app's sections load after the page: wait for them so nothing moves while we measure.
    expect(page.locator("section#evidence-panel")).to_be_visible()
    expect(page.locator("section#filings-panel")).to_be_visible()
    page.evaluate("window.__marker = 1")


def scroll_to(page: Page, anchor: str) -> float:
    page.evaluate(f"document.getElementById('{anchor}').scrollIntoView()")
    return page.evaluate("window.scrollY")


def assert_stayed(page: Page, url: str, scroll_y: float) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was loaded again"
    assert page.url == url
    assert abs(page.evaluate("window.scrollY") - scroll_y) <= 5


def test_a_note_and_a_payment_in_place_then_a_move_in_another_section(
    live_server, page: Page, paralegal_a, awarded_case
):
    sign_in(page, live_server, paralegal_a.username)
    open_case(page, live_server, awarded_case)
    url = page.url
    assert scroll_to(page, "notes") > 500  # far down the page: a reload would land at the top

    scroll_to(page, "notes")
    page.locator("#notes").get_by_label("Note", exact=True).fill("Worker called about the first payment.")
    button = page.locator("#notes").get_by_role("button", name="Add note")
    button.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")  # where the user is when they press the button
    button.click()
    expect(page.locator("#notes [role=status]")).to_have_text("Note added.")
    expect(page.locator("#timeline")).to_contain_text("Worker called about the first payment.")
    assert_stayed(page, url, before)

    scroll_to(page, "money")
    money = page.locator("#money")
    money.get_by_text("Record money").click()
    record = money.locator("#record-money")
    record.get_by_label("What happened").select_option("paid_by_respondent")
    record.get_by_label("Date").fill("2025-03-15")
    record.get_by_label("Amount").fill("1200.00")
    record.get_by_label("Currency").select_option("MYR")
    # Bad input first: the section comes back in place (a 400) with the field's error and what was typed.
    record.get_by_label("Amount").fill("-5")
    record.get_by_role("button", name="Record", exact=True).click()
    expect(record.locator(".errorlist")).to_contain_text("greater than zero")
    assert page.evaluate("window.__marker") == 1 and page.url == url
    record.get_by_label("Amount").fill("1200.00")
    button = record.get_by_role("button", name="Record", exact=True)
    button.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    button.click()
    expect(money.locator("[role=status]")).to_have_text("Recorded: Paid by the respondent.")
    expect(money.locator(".ledger-entries")).to_contain_text("1,200.00")
    expect(page.locator("#timeline li").first).not_to_contain_text("Worker called")  # the payment's event is newer
    assert_stayed(page, url, before)
    assert LedgerEntry.objects.filter(case=awarded_case, kind="paid_by_respondent").count() == 1

    # The stage section's forms carry the case's version: the answers above sent them back with the new one.
    scroll_to(page, "stage")
    stage = page.locator("#stage")
    stage.get_by_text("Close the case").first.click()
    stage.get_by_label("Outcome").select_option("nothing")
    stage.get_by_label("Why").fill("The employer left the country.")
    stage.get_by_role("button", name="Close the case").click()
    expect(stage.locator("[role=status]")).to_have_text("The case is closed.")
    expect(stage.locator("[aria-current=step]")).to_have_text("Closed")
    # The other sections reload themselves after a stage change: money can no longer be recorded.
    expect(page.locator("#money").get_by_text("Record money")).to_have_count(0)
    assert page.evaluate("window.__marker") == 1 and page.url == url
    awarded_case.refresh_from_db()
    assert awarded_case.stage == Stage.CLOSED
