"""At 360 and 390 px wide no staff page scrolls sideways: tables stack or scroll in their own box, long tokens wrap,
buttons in rows wrap onto their own line. The case page is a demo-like case with every section filled in."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.core.stages import Stage
from cases.deadlines.services.deadlines import task_add
from tests.e2e.builders import populated_case
from tests.e2e.test_case_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (360, 390)

# The elements and text that reach past the right edge outside a scrolling box, to say what to fix when it fails.
OVERFLOWING = """() => {
  const width = window.innerWidth, found = [];
  const scrolls = (node) => {
    for (let p = node.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    const free = !scrolls(element) || getComputedStyle(element).position === 'absolute';  // may escape its box
    if (box.width && box.right > width + 0.5 && free)
      found.push(`${name(element)} (right edge ${Math.round(box.right)})`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    const text = walker.currentNode;
    if (range.getBoundingClientRect().right > width + 0.5 && !scrolls(text))
      found.push(`text in ${name(text.parentElement)}: ${text.textContent.trim().slice(0, 40)}`);
  }
  return found.slice(0, 15);
}"""


def assert_fits(page: Page, width: int, what: str) -> None:
    page.wait_for_load_state("networkidle")
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert inner_width == width
    assert scroll_width <= inner_width, f"{what} at {width} px is {scroll_width} px wide: {page.evaluate(OVERFLOWING)}"


@pytest.fixture
def phone_page(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def at_each_width(page: Page, url: str, what: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        assert_fits(page, width, what)


def test_the_case_page_of_a_case_well_under_way_fits_a_phone(
    live_server, phone_page: Page, make_case, paralegal_a, settings, tmp_path
):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    case = populated_case(make_case, paralegal_a)
    sign_in(phone_page, live_server, paralegal_a.username)

    phone_page.goto(f"{live_server.url}/cases/{case.pk}/")
    for section in ("#calculation", ".timeline"):
        expect(phone_page.locator(section).first).to_be_visible()
    expect(phone_page.get_by_role("button", name="Mark met").first).to_be_visible()
    at_each_width(phone_page, f"{live_server.url}/cases/{case.pk}/", "the case page")


def test_the_lists_intake_my_work_calendar_inbox_home_and_statistics_fit_a_phone(
    live_server, phone_page: Page, make_case, coordinator_a, paralegal_a, settings, tmp_path
):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    case = populated_case(make_case, paralegal_a)
    make_case(Stage.EVIDENCE)
    task_add(  # given by someone else: a notification in the paralegal's inbox too
        actor=coordinator_a,
        case_id=case.pk,
        title="Call the worker back about the hearing and the interpreter for the Burmese-speaking witnesses",
        assignee=paralegal_a,
        due_at=timezone.now() + timedelta(days=1),
    )
    sign_in(phone_page, live_server, paralegal_a.username)
    phone_page.goto(f"{live_server.url}/my-work/?when=week")
    expect(phone_page.get_by_text("Call the worker back about the hearing")).to_be_visible()
    pages = {
        "Home": "/",
        "the case list": "/cases/",
        "intake": "/cases/new/",
        "My work": "/my-work/?when=week",
        "the inbox": "/inbox/",
        "the calendar month": "/calendar/",
        "the calendar week": "/calendar/week/",
    }
    for what, path in pages.items():
        at_each_width(phone_page, f"{live_server.url}{path}", what)

    sign_in(phone_page, live_server, coordinator_a.username)
    at_each_width(phone_page, f"{live_server.url}/statistics/", "the statistics dashboard")
    # The coordinators' pages of #16: a case's access log (five columns) and the erasure request, the two-factor page.
    phone_page.goto(f"{live_server.url}/cases/{case.pk}/")
    at_each_width(phone_page, f"{live_server.url}/cases/{case.pk}/access-log/", "the access log")
    at_each_width(phone_page, f"{live_server.url}/cases/{case.pk}/erase-worker/", "the erasure request")
    at_each_width(phone_page, f"{live_server.url}/accounts/two-factor/", "the two-factor page")


def test_favicon_ico_answers_with_the_svg_icon(live_server, page: Page):
    response = page.request.get(f"{live_server.url}/favicon.ico")

    assert response.ok
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()
