"""A real Celery worker, fed through Redis, renders a requested filing into the shared private storage.

Needs PostgreSQL (the worker process must reach the test database) and REDIS_URL; skipped otherwise.
"""

import hashlib
import time

import pytest

from cases.core.stages import Stage
from documents import filings
from documents.models import Document, DocumentKind, DocumentStatus
from tests.integration.worker import NEEDS_WORKER, not_eager, running_worker

pytestmark = NEEDS_WORKER


@pytest.fixture
def filing_worker(settings, tmp_path):
    """A worker on the test database, writing PDFs where this test reads them."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    with not_eager(), running_worker(tmp_path, PRIVATE_STORAGE_ROOT=str(settings.PRIVATE_STORAGE_ROOT)) as running:
        yield running


def test_a_worker_renders_a_requested_receipt(make_case, paralegal_a, filing_worker):
    process, log_path = filing_worker
    case = make_case(Stage.INTAKE)

    document = filings.document_request(
        actor=paralegal_a, case_id=case.pk, kind=DocumentKind.INTAKE_RECEIPT, language="km"
    )  # its own transaction: committed, so the render is sent to Redis now

    deadline = time.monotonic() + 60
    while Document.objects.get(pk=document.pk).status == DocumentStatus.PENDING:
        assert process.poll() is None, f"the worker exited:\n{log_path.read_text()}"
        assert time.monotonic() < deadline, f"the document was not rendered in 60 s:\n{log_path.read_text()}"
        time.sleep(0.25)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    assert hashlib.sha256(document.path.read_bytes()).hexdigest() == document.sha256
    assert "documents.tasks.render_document" in log_path.read_text()
