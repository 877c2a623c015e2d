"""A real Celery worker, fed through Redis, renders a requested filing into the shared private storage.

Needs PostgreSQL (the worker process must reach the test database) and REDIS_URL; skipped otherwise.
"""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from cases.stages import Stage
from config import celery_app
from documents import filings
from documents.models import Document, DocumentKind, DocumentStatus

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REDIS_URL, reason="needs a Redis broker: set REDIS_URL"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the worker process must reach the test database, which SQLite keeps in memory",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def filing_not_eager():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def filing_worker(settings, tmp_path):
    """A worker on the test database, writing PDFs where this test reads them."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDRESS_VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    yield process, log_path
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def test_a_worker_renders_a_requested_receipt(make_case, paralegal_a, filing_worker, filing_not_eager):
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
