"""A real Celery worker, fed through Redis, runs the session clean-up against the test database."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from paralegals.tasks import clear_expired_sessions
from tests.integration.worker import NEEDS_WORKER, not_eager, running_worker

pytestmark = NEEDS_WORKER


@pytest.fixture
def worker(tmp_path):
    with not_eager(), running_worker(tmp_path) as running:
        yield running


def test_a_worker_clears_expired_sessions_sent_through_redis(worker):
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
