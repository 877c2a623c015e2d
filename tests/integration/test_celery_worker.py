"""A real Celery worker, fed through Redis, runs the session clean-up against the test database."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from config import celery_app
from paralegals.tasks import clear_expired_sessions

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
def not_eager():
    """Send tasks to the broker for this test (the test settings run them eagerly)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


def worker_database_url() -> str:
    """The test database (not the development one), as a URL for the worker process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": worker_database_url(),
        "REDRESS_VAR_DIR": str(tmp_path / "var"),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                "celery",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    yield process, log_path
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def test_a_worker_clears_expired_sessions_sent_through_redis(worker, not_eager):
    process, log_path = worker
    expired = Session.objects.create(
        session_key="integration" * 3, session_data="e30:1", expire_date=timezone.now() - timedelta(hours=1)
    )

    sent = clear_expired_sessions.apply_async()

    deadline = time.monotonic() + 30
    while Session.objects.filter(pk=expired.pk).exists():
        assert process.poll() is None, f"the worker exited:\n{log_path.read_text()}"
        assert time.monotonic() < deadline, f"the session was not cleared in 30 s:\n{log_path.read_text()}"
        time.sleep(0.25)
    # The worker, not this process, ran this very message.
    done = f"Task paralegals.tasks.clear_expired_sessions[{sent.id}] succeeded"
    while done not in log_path.read_text():
        assert time.monotonic() < deadline, f"the worker did not report the task:\n{log_path.read_text()}"
        time.sleep(0.25)
