"""In a real browser, a coordinator reads the statistics: the funnel, a filter, a table's CSV download."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cases.statistics.refresh import statistics_refresh
from tests.e2e.conftest import CHROMIUM, browser_type_launch_args  # noqa: F401 (the e2e browser settings)
from tests.e2e.test_case_journey import sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def _row(page: Page, table: str, label: str):
    return page.locator(f"section[aria-labelledby='table-{table}'] tr", has=page.get_by_text(label, exact=True))


def test_the_funnel_a_filter_and_a_csv_download(live_server, page: Page, dataset, global_coordinator, office_b):
    statistics_refresh()
    sign_in(page, live_server, global_coordinator.username)
    page.goto(f"{live_server.url}/statistics/?preset=this_year")

    expect(page.locator("p.as-of")).to_contain_text("As of")
    expect(_row(page, "funnel", "Opened")).to_contain_text("5")
    expect(_row(page, "funnel", "Reached Redress")).to_contain_text("3")
    expect(_row(page, "now", "Intake")).to_contain_text("1")
    expect(page.locator("section[aria-labelledby='table-funnel'] svg")).to_be_visible()  # the chart beside it

    page.get_by_label("Office", exact=True).select_option(str(office_b.pk))
    page.get_by_role("button", name="Show").click()
    expect(_row(page, "funnel", "Opened")).to_contain_text("1")  # office B has case 4 only
    expect(_row(page, "funnel", "Reached Evidence")).to_contain_text("0")

    with page.expect_download() as download:
        page.locator("section[aria-labelledby='table-funnel']").get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.endswith("-funnel.csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Reached Redress" in text and "< 5" in text  # the small-number rule applies to exports
