"""The status check in a real browser at 360 px: Arabic right-to-left, Burmese left-to-right, nothing wider than the
screen, tap targets of at least 48 px, no script at all. Screenshots are kept in var/test-results."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from .conftest import PIN

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(settings.BASE_DIR) / "var" / "test-results"


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size({"width": 360, "height": 740})
    return page


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("my", "ltr")])
def test_the_status_check_at_360_px(live_server, phone: Page, worker_case, hearing, lang, direction):
    worker_case.claimant.preferred_language = lang
    worker_case.claimant.save(update_fields=["preferred_language"])
    scripts = []
    phone.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)

    phone.goto(f"{live_server.url}/status/")
    phone.locator("#reference").fill(worker_case.reference.lower())
    phone.locator("#pin").fill(PIN)
    phone.locator("button[type=submit]").click()

    expect(phone).to_have_url(f"{live_server.url}/status/claim/")
    expect(phone.locator("html")).to_have_attribute("lang", lang)
    assert phone.evaluate("getComputedStyle(document.body).direction") == direction
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    smallest_target = phone.evaluate(
        "Math.min(...[...document.querySelectorAll('a, button, input:not([type=hidden])')]"
        ".map(e => e.getBoundingClientRect().height))"
    )
    assert smallest_target >= 48
    if direction == "rtl":  # mirrored: the "Now" box's heading starts at the right edge
        heading = phone.locator("#now").bounding_box()
        assert heading["x"] + heading["width"] > 300
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / f"portal-status-{lang}-360.png"), full_page=True)
    assert scripts == []

    phone.get_by_role("button", name=phone.locator("form[action$='/done/'] button").inner_text()).click()
    expect(phone.locator("#reference")).to_be_visible()
    assert worker_case.reference not in phone.content()
