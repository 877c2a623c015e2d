"""Sixty wrong attempts at once with a limit of five: at most five reach the PIN check.

Needs real concurrency: PostgreSQL (row-level locking of the upsert) and, when configured, Redis (INCR). On SQLite
the test is skipped: SQLite serialises writers anyway and the test database is in memory per connection.
"""

import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.test import Client

from cases.portal import limiter

from .conftest import look_up

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
        reason="needs PostgreSQL (and Redis when REDIS_URL is set) for real concurrent writers",
    ),
]

ATTEMPTS = 60
LIMIT = 5


@pytest.fixture(params=["configured", "database"])
def store_kind(request, monkeypatch):
    """The configured store (Redis with REDIS_URL) and, always, the database store."""
    if request.param == "database":
        monkeypatch.setattr(limiter, "store", limiter.DatabaseStore)
    return request.param


def test_sixty_concurrent_wrong_attempts_let_at_most_five_through(store_kind, settings, worker_case):
    settings.PORTAL_REFERENCE_LIMIT = LIMIT
    barrier = threading.Barrier(ATTEMPTS)
    statuses = []
    lock = threading.Lock()

    def attempt(number: int) -> None:
        try:
            client = Client(REMOTE_ADDR=f"10.1.{number // 250}.{number % 250}")
            barrier.wait()
            status = look_up(client, worker_case.reference, "11111111").status_code
            with lock:
                statuses.append(status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(statuses) == ATTEMPTS
    passed = statuses.count(400)  # reached the PIN check and were told "not right"
    assert passed == LIMIT, statuses
    assert statuses.count(429) == ATTEMPTS - LIMIT
    assert connection.vendor == "postgresql"
