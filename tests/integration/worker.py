"""A real Celery worker process on Redis and the test database, for integration tests."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from config import celery_app

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")

# Marks for a module whose tests need the worker: Redis, and PostgreSQL (the worker must reach the test database,
# which SQLite keeps in this process's memory), with committed transactions the worker can see.
NEEDS_WORKER = [
    pytest.mark.integration,
    pytest.mark.skipif(not REDIS_URL, reason="needs a Redis broker: set REDIS_URL"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the worker process must reach the test database, which SQLite keeps in memory",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_database_url() -> str:
    """The test database (not the development one), as a URL for the worker process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@contextmanager
def not_eager():
    """Send tasks to the broker (the test settings run them eagerly)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


@contextmanager
def running_worker(tmp_path: Path, *, beat: bool = False, **extra_env: str):
    """Start ``celery worker`` (solo pool) with its log in ``tmp_path``; yields (process, log path); stops it after.

    With ``beat=True`` the worker also runs the beat scheduler (``--beat``, its schedule file in ``tmp_path``), so
    periodic tasks such as the reminder sweep run as in production; ``extra_env`` overrides settings.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": test_database_url(),
        "REDRESS_VAR_DIR": str(tmp_path / "var"),
        **extra_env,
    }
    log_path = tmp_path / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
               "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
    if beat:
        command += ["--beat", f"--schedule={tmp_path / 'celerybeat-schedule'}"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
