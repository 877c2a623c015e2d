"""Opening an evidence file or a filing, on the pages or through the API, writes one access row beside its event."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.audit.models import AccessKind, Via
from cases.core.stages import Stage
from cases.models import AccessRecord, CaseEvent, EventKind
from documents.evidence import evidence_upload
from documents.models import DocumentKind
from tests.documents.filings_support import calculate, request_and_render
from tests.pdf_samples import real_pdf

from .conftest import ADDRESS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def case(make_case):
    return make_case(Stage.EVIDENCE)


@pytest.fixture
def evidence(case, paralegal_a):
    (row,) = evidence_upload(
        actor=paralegal_a,
        case_id=case.pk,
        files=[SimpleUploadedFile("Payslip March.pdf", real_pdf())],
        kind="payslip",
        document_date=None,
        description="",
        provided_by="worker",
        received_on=date(2025, 3, 1),
    )
    return row


@pytest.fixture
def filing(case, paralegal_a, django_capture_on_commit_callbacks):
    calculate(case, paralegal_a)
    return request_and_render(
        django_capture_on_commit_callbacks,
        actor=paralegal_a,
        case_id=case.pk,
        kind=DocumentKind.COMPLAINT,
        language="en",
    )


def read(client, url: str) -> None:
    response = client.get(url, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    if response.streaming:  # read the file to the end, as a browser does, which closes it
        b"".join(response.streaming_content)


def test_an_evidence_download_on_the_page_writes_one_row(client, case, evidence, paralegal_a, only_record):
    client.force_login(paralegal_a)

    read(client, reverse("evidence_download", args=[evidence.pk]) + "?original=1")

    record = only_record()
    assert (record.user, record.case_id, record.what, record.via) == (
        paralegal_a,
        case.pk,
        AccessKind.EVIDENCE_FILE,
        Via.WEB,
    )
    assert (record.object_id, record.detail, record.address) == (evidence.pk, "original", ADDRESS)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.EVIDENCE_DOWNLOADED).count() == 1


def test_an_evidence_download_through_the_api_writes_one_row(api_for, case, evidence, paralegal_a, only_record):
    read(api_for(paralegal_a), f"/api/v1/evidence/{evidence.pk}/download/")

    record = only_record()
    assert (record.what, record.via, record.object_id, record.detail) == (
        AccessKind.EVIDENCE_FILE,
        Via.API,
        evidence.pk,
        "staff",
    )
    assert (record.case_id, record.address) == (case.pk, ADDRESS)


def test_another_offices_evidence_is_a_404_and_writes_nothing(client, evidence, paralegal_b):
    client.force_login(paralegal_b)
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_filing_download_on_the_page_writes_one_row(client, case, filing, paralegal_a, only_record):
    client.force_login(paralegal_a)

    read(client, reverse("filing_download", args=[filing.pk]))

    record = only_record()
    assert (record.user, record.case_id, record.what, record.via) == (paralegal_a, case.pk, AccessKind.FILING, Via.WEB)
    assert (record.object_id, record.detail, record.address) == (filing.pk, DocumentKind.COMPLAINT, ADDRESS)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DOCUMENT_DOWNLOADED).count() == 1


def test_a_filing_download_through_the_api_writes_one_row(api_for, case, filing, paralegal_a, only_record):
    read(api_for(paralegal_a), f"/api/v1/filings/{filing.pk}/download/")

    record = only_record()
    assert (record.what, record.via, record.object_id, record.case_id) == (
        AccessKind.FILING,
        Via.API,
        filing.pk,
        case.pk,
    )
