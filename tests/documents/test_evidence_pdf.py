"""A PDF is accepted only when a real parser (pypdf) opens it: ``%PDF-`` followed by anything else is damaged."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from rest_framework.test import APIClient

from cases.models import CaseEvent, EventKind
from documents.models import EvidenceFile
from documents.pdf import render
from documents.validation import EvidenceRejected
from paralegals.models import ApiToken

pytestmark = pytest.mark.django_db

DAMAGED = "is damaged: it does not open as a PDF."

NOT_PDFS = {
    "html": b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n",
    "nul": b"%PDF-\x00",
    "nuls": b"%PDF-1.4\n" + b"\x00" * 2048,
    "stub without xref": (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    ),
}


def _pdf_without_pages() -> bytes:
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    return buffer.getvalue()


def _encrypted(user_password: str, owner_password: str, real: bytes) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(real))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("content", NOT_PDFS.values(), ids=NOT_PDFS.keys())
def test_pdf_magic_followed_by_anything_else_is_refused_as_damaged(
    evidence_add, evidence_case, evidence_store, content
):
    with pytest.raises(EvidenceRejected, match=r"“scan\.pdf” is damaged: it does not open as a PDF"):
        evidence_add(evidence_case, ("scan.pdf", content))

    assert not EvidenceFile.objects.exists() and evidence_store.files() == []


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_pdf_without_pages(), id="no pages"),
        pytest.param(None, id="cut in half"),
    ],
)
def test_a_pdf_without_pages_or_cut_short_is_damaged(evidence_add, evidence_case, evidence_samples, content):
    if content is None:
        whole = evidence_samples.pdf(pages=3)
        content = whole[: len(whole) // 2]
    with pytest.raises(EvidenceRejected, match=DAMAGED):
        evidence_add(evidence_case, ("scan.pdf", content))


def test_real_pdfs_are_accepted_as_pdfs(evidence_add, evidence_case, evidence_samples):
    rendered = bytes(render("<h1>Payslip, March 2025</h1><p>Hours: 212</p>"))
    blank, filing = evidence_add(
        evidence_case, ("blank.pdf", evidence_samples.pdf(pages=2)), ("rendered.pdf", rendered)
    )

    assert blank.content_type == filing.content_type == "application/pdf"


def test_a_pdf_locked_by_an_owner_password_only_is_accepted(evidence_add, evidence_case, evidence_samples):
    (row,) = evidence_add(evidence_case, ("statement.pdf", _encrypted("", "bank-owner", evidence_samples.pdf())))

    assert row.content_type == "application/pdf"


def test_a_pdf_that_needs_a_password_to_open_is_refused(evidence_add, evidence_case, evidence_samples):
    locked = _encrypted("secret", "secret", evidence_samples.pdf())

    with pytest.raises(EvidenceRejected, match="needs a password to open"):
        evidence_add(evidence_case, ("statement.pdf", locked))


def test_the_upload_page_says_the_file_is_damaged_in_spanish(
    evidence_client, evidence_case, evidence_form, evidence_store
):
    evidence_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = evidence_client.post(
        reverse("evidence_upload", args=[evidence_case.pk]),
        {**evidence_form(), "files": [_upload("nomina.pdf", NOT_PDFS["html"])]},
    )

    assert response.status_code == 400
    assert "“nomina.pdf” está dañado: no se abre como PDF." in response.content.decode()
    assert not CaseEvent.objects.filter(kind=EventKind.EVIDENCE_ADDED).exists()
    assert evidence_store.files() == []


def test_the_api_refuses_a_fake_pdf_with_the_same_message(evidence_case, paralegal_a, evidence_store):
    _token, key = ApiToken.objects.issue(user=paralegal_a, name="test")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    response = api.post(
        f"/api/v1/cases/{evidence_case.pk}/evidence/",
        {
            "files": [_upload("p.pdf", NOT_PDFS["nul"])],
            "kind": "payslip",
            "provided_by": "worker",
            "received_on": "2025-04-01",
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "“p.pdf” is damaged: it does not open as a PDF." in response.content.decode()
    assert not EvidenceFile.objects.exists() and evidence_store.files() == []


def _upload(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="application/pdf")
