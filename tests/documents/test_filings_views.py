"""The filings panel and page, asking for a document, retrying, polling a pending row, downloading."""

import hashlib
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.core.stages import Stage
from cases.models import CaseEvent, EventKind
from documents import filings, pdf
from documents.models import Document, DocumentKind, DocumentStatus

from .filings_support import calculate, request_and_render

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def filing_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def filing_case(make_case):
    return make_case(Stage.EVIDENCE)


@pytest.fixture
def filing_client(client, paralegal_a):
    client.force_login(paralegal_a)
    return client


@pytest.fixture
def filing_ready(filing_case, paralegal_a, django_capture_on_commit_callbacks):
    """A rendered complaint of ``filing_case``."""
    calculate(filing_case, paralegal_a)
    return request_and_render(
        django_capture_on_commit_callbacks,
        actor=paralegal_a,
        case_id=filing_case.pk,
        kind=DocumentKind.COMPLAINT,
        language="en",
    )


def pending(case, actor, django_capture_on_commit_callbacks) -> Document:
    with django_capture_on_commit_callbacks(execute=False):
        return filings.document_request(actor=actor, case_id=case.pk, kind=DocumentKind.INTAKE_RECEIPT, language="en")


def form_data(case, **values) -> dict:
    return {
        "kind": DocumentKind.INTAKE_RECEIPT,
        "language": "",
        "respondent": "",
        "request_key": uuid.uuid4(),
        **values,
    }


def test_the_panel_lists_documents_with_their_status(
    filing_client, filing_case, filing_ready, paralegal_a, django_capture_on_commit_callbacks
):
    waiting = pending(filing_case, paralegal_a, django_capture_on_commit_callbacks)

    response = filing_client.get(reverse("filings_panel", args=[filing_case.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="filings-panel"')  # the panel alone, for htmx to swap in
    assert reverse("filing_download", args=[filing_ready.pk]) in html
    assert "Complaint / claim statement" in html
    # The pending row polls itself every 2 s; the ready row does not.
    pending_row = re.search(rf'<tr id="filing-{waiting.pk}"[^>]*>', html)[0]
    assert f'hx-get="{reverse("filing_row", args=[waiting.pk])}"' in pending_row
    assert 'hx-trigger="every 2s"' in pending_row
    assert "hx-get" not in re.search(rf'<tr id="filing-{filing_ready.pk}"[^>]*>', html)[0]


def test_the_filings_page_works_without_javascript(filing_client, filing_case):
    response = filing_client.get(reverse("filings_page", args=[filing_case.pk]))

    assert response.status_code == 200
    assert b"<html" in response.content
    assert b'id="filings-panel"' in response.content


def test_a_pending_row_stops_polling_once_ready(
    filing_client, filing_case, paralegal_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = filings.document_request(
            actor=paralegal_a, case_id=filing_case.pk, kind=DocumentKind.INTAKE_RECEIPT, language="en"
        )
    url = reverse("filing_row", args=[document.pk])
    assert b'hx-trigger="every 2s"' in filing_client.get(url).content

    callbacks[0]()

    row = filing_client.get(url).content.decode()
    assert "hx-trigger" not in row
    assert reverse("filing_download", args=[document.pk]) in row


def test_asking_for_a_receipt_with_htmx_answers_with_the_panel(filing_client, filing_case):
    response = filing_client.post(reverse("filing_request", args=[filing_case.pk]), form_data(filing_case), **HTMX)

    assert response.status_code == 200
    document = Document.objects.get(case=filing_case)
    assert document.kind == DocumentKind.INTAKE_RECEIPT
    assert document.language == "ky"  # automatic: the worker's language
    assert f'id="filing-{document.pk}"'.encode() in response.content


def test_asking_without_javascript_redirects_to_the_filings_page(filing_client, filing_case):
    response = filing_client.post(reverse("filing_request", args=[filing_case.pk]), form_data(filing_case))

    assert response.status_code == 302
    assert response["Location"] == reverse("filings_page", args=[filing_case.pk])


def test_a_double_submitted_form_makes_one_document(filing_client, filing_case):
    data = form_data(filing_case)

    for _ in range(2):
        filing_client.post(reverse("filing_request", args=[filing_case.pk]), data, **HTMX)

    assert Document.objects.filter(case=filing_case).count() == 1


def test_a_demand_letter_without_a_calculation_answers_409_with_the_reason(filing_client, filing_case):
    respondent = filing_case.case_respondents.get().respondent_id
    data = form_data(filing_case, kind=DocumentKind.DEMAND_LETTER, respondent=respondent)

    response = filing_client.post(reverse("filing_request", args=[filing_case.pk]), data, **HTMX)

    assert response.status_code == 409
    assert b"Calculate what is owed first" in response.content
    assert not Document.objects.exists()


def test_a_demand_letter_without_an_addressee_answers_400(filing_client, filing_case):
    data = form_data(filing_case, kind=DocumentKind.DEMAND_LETTER)

    response = filing_client.post(reverse("filing_request", args=[filing_case.pk]), data, **HTMX)

    assert response.status_code == 400
    assert b"Choose who the letter is addressed to." in response.content


def test_the_download_is_an_attachment_with_a_safe_name_and_no_caching(filing_client, filing_case, filing_ready):
    response = filing_client.get(reverse("filing_download", args=[filing_ready.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filing_case.reference}-complaint.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert hashlib.sha256(response.content).hexdigest() == filing_ready.sha256
    event = CaseEvent.objects.get(case=filing_case, kind=EventKind.DOCUMENT_DOWNLOADED)
    assert event.actor.username == "paralegal_a"
    assert event.payload == {"document": filing_ready.pk, "kind": "complaint"}


def test_another_offices_documents_are_not_found(client, paralegal_b, filing_case, filing_ready):
    client.force_login(paralegal_b)

    for url in (
        reverse("filings_panel", args=[filing_case.pk]),
        reverse("filings_page", args=[filing_case.pk]),
        reverse("filing_row", args=[filing_ready.pk]),
        reverse("filing_download", args=[filing_ready.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("filing_request", args=[filing_case.pk]), form_data(filing_case)).status_code == 404
    assert client.post(reverse("filing_retry", args=[filing_ready.pk])).status_code == 404
    assert not CaseEvent.objects.filter(kind=EventKind.DOCUMENT_DOWNLOADED).exists()


def test_a_document_not_ready_cannot_be_downloaded(
    filing_client, filing_case, paralegal_a, django_capture_on_commit_callbacks
):
    document = pending(filing_case, paralegal_a, django_capture_on_commit_callbacks)

    assert filing_client.get(reverse("filing_download", args=[document.pk])).status_code == 409


def test_a_pdf_altered_on_disk_is_refused(filing_client, filing_ready):
    filing_ready.path.write_bytes(filing_ready.path.read_bytes() + b"%tampered")

    response = filing_client.get(reverse("filing_download", args=[filing_ready.pk]))

    assert response.status_code == 409
    assert b"SHA-256" in response.content


def test_a_failed_document_shows_its_error_and_can_be_retried(
    filing_client, filing_case, paralegal_a, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pdf, "render", lambda html, base_url=pdf.BASE_URL: 1 / 0)
    failed = request_and_render(
        django_capture_on_commit_callbacks,
        actor=paralegal_a,
        case_id=filing_case.pk,
        kind=DocumentKind.INTAKE_RECEIPT,
        language="en",
    )
    panel = filing_client.get(reverse("filings_panel", args=[filing_case.pk])).content.decode()
    assert "ZeroDivisionError: division by zero" in panel
    assert reverse("filing_retry", args=[failed.pk]) in panel

    response = filing_client.post(reverse("filing_retry", args=[failed.pk]), **HTMX)

    assert response.status_code == 200
    assert Document.objects.get(pk=failed.pk).status == DocumentStatus.PENDING


def test_a_ready_document_cannot_be_retried(filing_client, filing_ready):
    response = filing_client.post(reverse("filing_retry", args=[filing_ready.pk]), **HTMX)

    assert response.status_code == 409


def test_the_panel_costs_the_same_queries_with_2_and_8_documents(
    filing_client, filing_case, paralegal_a, django_capture_on_commit_callbacks
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert filing_client.get(reverse("filings_panel", args=[filing_case.pk])).status_code == 200
        return len(captured)

    filing_client.get(reverse("case_detail", args=[filing_case.pk]))  # the page's read is in the access log
    for _ in range(2):
        pending(filing_case, paralegal_a, django_capture_on_commit_callbacks)
    with_two = queries()
    for _ in range(6):
        pending(filing_case, paralegal_a, django_capture_on_commit_callbacks)

    # session, user, case, its respondents, the documents (requester and respondent joined);
    # + access log: the page's read is recent (one SELECT)
    assert queries() == with_two == 6


def test_signed_out_visitors_are_sent_to_log_in(client, filing_case):
    response = client.get(reverse("filings_panel", args=[filing_case.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
