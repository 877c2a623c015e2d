"""My work in a real browser on a phone-sized screen: mark one item met, cancel another with a reason, no sideways
scrolling."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_add, task_add
from cases.models import Deadline
from tests.e2e.test_case_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_paralegal_marks_one_item_met_and_cancels_another_with_a_reason_at_390px(
    live_server, page: Page, make_case, paralegal_a
):
    case = make_case(Stage.REDRESS)
    now = timezone.now()
    hearing = deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=now + timedelta(days=2))
    task = task_add(
        actor=paralegal_a,
        case_id=case.pk,
        title="Collect the payslips from the recruitment agency in Johor Bahru",
        assignee=paralegal_a,
        due_at=now + timedelta(days=3),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, paralegal_a.username)

    page.goto(f"{live_server.url}/my-work/?when=week")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(page.locator(f"#item-{hearing.pk}")).to_contain_text(case.reference)
    _no_sideways_scroll(page)

    page.locator(f"#item-{hearing.pk}").get_by_role("button", name="Mark met").click()
    expect(page.get_by_text("Deadline marked met.")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/my-work/?when=week")
    expect(page.locator(f"#item-{hearing.pk}")).to_have_count(0)

    item = page.locator(f"#item-{task.pk}")
    item.get_by_text("Cancel…").click()
    _no_sideways_scroll(page)
    item.get_by_label("Why is it cancelled?").fill("The agency sent them by post.")
    item.get_by_role("button", name="Cancel the task").click()
    expect(page.get_by_text("Task cancelled.")).to_be_visible()
    expect(page.locator(f"#item-{task.pk}")).to_have_count(0)
    _no_sideways_scroll(page)

    assert Deadline.objects.get(pk=hearing.pk).status == "met"
    cancelled = Deadline.objects.get(pk=task.pk)
    assert (cancelled.status, cancelled.status_reason) == ("cancelled", "The agency sent them by post.")
