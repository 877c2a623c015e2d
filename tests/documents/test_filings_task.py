"""The render task: idempotent, retried with backoff, failing visibly (for staff) and quietly (for the logs)."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.core.errors import GuardFailed
from cases.core.stages import Stage
from cases.models import CaseEvent, EventKind
from documents import filings, filings_print, pdf, tasks
from documents.models import Document, DocumentKind, DocumentStatus

from .filings_support import request_and_render


@pytest.fixture(autouse=True)
def filing_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def filing_case(make_case):
    return make_case(Stage.EVIDENCE)


@pytest.fixture
def filing_receipt(filing_case, paralegal_a, django_capture_on_commit_callbacks):
    """Ask for the worker's receipt and render it (eagerly, after commit)."""

    def make() -> Document:
        return request_and_render(
            django_capture_on_commit_callbacks,
            actor=paralegal_a,
            case_id=filing_case.pk,
            kind=DocumentKind.INTAKE_RECEIPT,
            language="es",
        )

    return make


def events(case, kind) -> int:
    return CaseEvent.objects.filter(case=case, kind=kind).count()


def test_a_rendered_document_is_ready_with_its_hash_size_pages_and_time(filing_case, filing_receipt):
    document = filing_receipt()

    data = document.path.read_bytes()
    assert document.status == DocumentStatus.READY
    assert data.startswith(b"%PDF-")
    assert document.sha256 == __import__("hashlib").sha256(data).hexdigest()
    assert document.size == len(data)
    assert document.pages == 1
    assert document.render_ms > 0
    assert document.attempts == 1
    assert document.ready_at is not None
    assert events(filing_case, EventKind.DOCUMENT_READY) == 1


def test_running_the_task_again_on_a_ready_document_does_nothing(filing_case, filing_receipt):
    document = filing_receipt()
    modified = document.path.stat().st_mtime_ns

    tasks.render_document.delay(document.pk)
    tasks.render_document.delay(document.pk)

    again = Document.objects.get(pk=document.pk)
    assert Document.objects.filter(case=filing_case).count() == 1
    assert again.sha256 == document.sha256
    assert again.attempts == 1
    assert again.path.stat().st_mtime_ns == modified
    assert events(filing_case, EventKind.DOCUMENT_READY) == 1


def test_the_same_snapshot_renders_to_the_same_bytes(filing_receipt):
    document = filing_receipt()

    again = pdf.render(filings_print.render_html(document))

    assert __import__("hashlib").sha256(again).hexdigest() == document.sha256


def test_a_render_that_keeps_failing_is_tried_three_times_then_marked_failed(
    filing_case, filing_receipt, monkeypatch, caplog
):
    calls = []

    def broken(html, base_url=pdf.BASE_URL):
        calls.append(html)
        raise RuntimeError("the font cache is gone")

    monkeypatch.setattr(pdf, "render", broken)
    with caplog.at_level(logging.WARNING, logger="documents"):
        document = filing_receipt()

    assert len(calls) == tasks.MAX_ATTEMPTS == 3
    assert document.status == DocumentStatus.FAILED
    assert document.attempts == 3
    assert document.error == "RuntimeError: the font cache is gone"
    assert not document.path.exists()
    assert events(filing_case, EventKind.DOCUMENT_FAILED) == 1
    assert events(filing_case, EventKind.DOCUMENT_READY) == 0
    # The log says which document and what kind of error, never the case's data.
    logged = caplog.text
    assert f"filing {document.pk}" in logged and "RuntimeError" in logged
    assert filing_case.reference not in logged
    assert filing_case.claimant.full_name not in logged
    assert "font cache" not in logged


def test_a_failure_that_clears_up_on_the_next_attempt_ends_ready(filing_case, filing_receipt, monkeypatch):
    real = pdf.render
    calls = []

    def flaky(html, base_url=pdf.BASE_URL):
        calls.append(html)
        if len(calls) == 1:
            raise OSError("disk busy")
        return real(html, base_url)

    monkeypatch.setattr(pdf, "render", flaky)
    document = filing_receipt()

    assert document.status == DocumentStatus.READY
    assert document.attempts == 2
    assert document.error == ""
    assert events(filing_case, EventKind.DOCUMENT_FAILED) == 0


def test_a_failed_document_can_be_tried_again_by_staff(
    filing_case, filing_receipt, paralegal_a, monkeypatch, django_capture_on_commit_callbacks
):
    real = pdf.render
    monkeypatch.setattr(pdf, "render", lambda html, base_url=pdf.BASE_URL: 1 / 0)
    failed = filing_receipt()
    assert failed.status == DocumentStatus.FAILED
    monkeypatch.setattr(pdf, "render", real)

    with django_capture_on_commit_callbacks(execute=True):
        filings.document_retry(actor=paralegal_a, document_id=failed.pk)

    document = Document.objects.get(pk=failed.pk)
    assert document.status == DocumentStatus.READY
    assert document.error == ""
    assert document.attempts == 4
    requested = CaseEvent.objects.filter(case=filing_case, kind=EventKind.DOCUMENT_REQUESTED).order_by("id")
    assert [event.payload.get("retry", False) for event in requested] == [False, True]


def test_a_ready_or_freshly_pending_document_cannot_be_retried(
    filing_case, filing_receipt, paralegal_a, django_capture_on_commit_callbacks
):
    ready = filing_receipt()
    with django_capture_on_commit_callbacks(execute=False):
        pending = filings.document_request(
            actor=paralegal_a, case_id=filing_case.pk, kind=DocumentKind.INTAKE_RECEIPT, language="en"
        )

    with pytest.raises(GuardFailed, match="ready"):
        filings.document_retry(actor=paralegal_a, document_id=ready.pk)
    with pytest.raises(GuardFailed, match="still being prepared"):
        filings.document_retry(actor=paralegal_a, document_id=pending.pk)


def test_another_offices_document_cannot_be_retried(filing_receipt, paralegal_b):
    document = filing_receipt()

    with pytest.raises(Document.DoesNotExist):
        filings.document_retry(actor=paralegal_b, document_id=document.pk)


def test_a_lost_render_is_queued_again_by_the_sweep(filing_case, paralegal_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost it
        lost = filings.document_request(
            actor=paralegal_a, case_id=filing_case.pk, kind=DocumentKind.INTAKE_RECEIPT, language="en"
        )
    Document.objects.filter(pk=lost.pk).update(queued_at=timezone.now() - filings.STUCK_AFTER - timedelta(minutes=1))
    assert Document.objects.get(pk=lost.pk).is_stuck

    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.requeue_stuck_documents.delay().get()

    assert queued == 1
    assert Document.objects.get(pk=lost.pk).status == DocumentStatus.READY
