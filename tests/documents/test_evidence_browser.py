"""In a real browser: the case page loads the evidence panel (htmx), several files upload at once, one is removed."""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from documents.models import EvidenceFile
from tests.e2e.conftest import CHROMIUM, browser_type_launch_args  # noqa: F401 (the e2e browser settings)
from tests.e2e.test_case_journey import sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_upload_two_files_from_the_case_page_then_remove_one(
    live_server, page: Page, evidence_case, evidence_samples, evidence_store, paralegal_a
):
    sign_in(page, live_server, paralegal_a.username)
    page.goto(f"{live_server.url}/cases/{evidence_case.pk}/")
    panel = page.locator("section#evidence-panel")
    expect(panel.get_by_role("heading", name="Evidence")).to_be_visible()  # swapped in by htmx

    panel.get_by_label("Files").set_input_files(
        [
            {"name": "contract.pdf", "mimeType": "application/pdf", "buffer": evidence_samples.pdf()},
            {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": evidence_samples.jpeg_with_gps()},
        ]
    )
    panel.get_by_label("Kind").select_option("contract")
    panel.get_by_label("Description").fill("Contract and the dormitory photo")
    panel.get_by_role("button", name="Upload").click()

    expect(page.get_by_text("2 files added to the evidence.")).to_be_visible()
    panel = page.locator("section#evidence-panel")
    expect(panel.get_by_role("link", name="contract.pdf")).to_be_visible()
    photo = EvidenceFile.objects.get(display_name="photo.jpg")
    expect(panel.get_by_text(photo.sha256)).to_be_visible()

    row = panel.locator(f"#evidence-{photo.pk}")
    row.get_by_text("Remove…").click()
    row.get_by_label("Why remove it?").fill("Photo of another worker's room")
    row.get_by_role("button", name="Remove from the evidence").click()

    expect(page.get_by_text(re.compile("The file is removed from the list"))).to_be_visible()
    expect(page.locator("section#evidence-panel").get_by_role("link", name="photo.jpg")).to_have_count(0)
