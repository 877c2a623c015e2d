"""axe-core finds no serious or critical violation on the staff pages people use most: the case page after an action
(a note added through the form, so the messages show), Home, the case list, intake and My work. Also the skip link."""

import pytest
from playwright.sync_api import Page, expect

from cases.core.stages import Stage
from tests.e2e.axe import axe_violations
from tests.e2e.builders import populated_case
from tests.e2e.test_case_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_case_page_after_adding_a_note_has_no_serious_violations(
    live_server, page: Page, make_case, paralegal_a, settings, tmp_path
):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    case = populated_case(make_case, paralegal_a)
    sign_in(page, live_server, paralegal_a.username)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_label("Note", exact=True).fill("Called the worker: the hearing is confirmed.")
    page.get_by_role("button", name="Add note").click()
    # The notes section answers in place, with its message in its own live region.
    expect(page.locator("#notes").get_by_role("status")).to_have_text("Note added.")
    page.wait_for_load_state("networkidle")

    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone, wide tables scroll in their own boxes
    page.reload()
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["/", "/cases/", "/cases/new/", "/my-work/?when=week"])
def test_home_the_case_list_intake_and_my_work_have_no_serious_violations(
    live_server, page: Page, make_case, paralegal_a, path, width
):
    make_case(Stage.REDRESS)
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, live_server, paralegal_a.username)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")

    assert axe_violations(page) == []


def test_the_skip_link_is_the_first_stop_and_moves_the_focus_to_the_content(live_server, page: Page, paralegal_a):
    sign_in(page, live_server, paralegal_a.username)
    page.goto(f"{live_server.url}/cases/")
    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
