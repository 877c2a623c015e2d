"""Field exposure on web pages: lists never carry a worker's identity document number or phone number, and a
paralegal of another office cannot fetch a case's evidence or filing files (404, so their existence does not leak)."""

import re

import pytest

LIST_PAGES = ["/", "/cases/", "/cases/?stage=redress", "/respondents/{respondent_a}/", "/respondents/{respondent_b}/"]
STAFF = ["paralegal_a", "paralegal_b", "coordinator_a", "admin"]


def _spellings(phone: str) -> re.Pattern:
    """The phone's digits with any spacing or punctuation between them: "+60 12-345 6797", "60123456797"…"""
    return re.compile(r"[\s\-().]?".join(re.sub(r"\D", "", phone)))


@pytest.mark.parametrize("persona", STAFF)
@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_pages_show_no_document_or_phone_number(world, db, client, persona, page):
    client.force_login(world.users[persona])
    response = client.get(world.fill(page))
    html = response.content.decode()

    assert response.status_code == 200
    # The pages do list the cases (else this test would prove nothing) …
    if page.startswith("/cases/") and persona in ("paralegal_a", "admin"):
        assert "Worker A" in html
    # … but never a document number or a phone number, in any spelling.
    for name, secret in world.secrets.items():
        assert secret not in html, name
        if name.startswith("phone"):
            assert not _spellings(secret).search(html), name


@pytest.mark.parametrize(
    "url", ["/evidence/{evidence_a}/download/", "/filings/{document_a}/download/", "/filings/{document_a}/row/"]
)
def test_a_paralegal_of_office_b_cannot_fetch_office_a_files(world, db, client, url):
    client.force_login(world.users["paralegal_b"])
    response = client.get(world.fill(url))

    assert response.status_code == 404
    assert b"%PDF" not in response.content


@pytest.mark.parametrize("url", ["/evidence/{evidence_a}/download/", "/filings/{document_a}/download/"])
def test_the_same_files_download_for_a_paralegal_of_office_a(world, db, client, url):
    """The other half: the 404 above is about who asks, not a broken download."""
    client.force_login(world.users["paralegal_a"])
    response = client.get(world.fill(url))
    content = b"".join(response.streaming_content) if response.streaming else response.content

    assert response.status_code == 200
    assert content.startswith(b"%PDF")
