"""Idle sessions end after SESSION_IDLE_MINUTES; activity keeps them, at most one session write a minute."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _idle(settings):
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 12 * 60 * 60


def test_a_session_idle_for_longer_than_the_limit_ends(client, paralegal_a):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(paralegal_a)
        assert client.get("/").status_code == 200

        traveller.shift(timedelta(minutes=31))
        response = client.get("/", follow=True)

    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "Your session has ended after a time without activity" in response.content.decode()
    assert client.get("/").status_code == 302  # still signed out: the session was ended, not just skipped


def test_activity_keeps_the_session(client, paralegal_a):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(paralegal_a)
        for _ in range(9):  # three hours, a page every twenty minutes
            traveller.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200


def test_a_session_ends_after_its_full_age_even_when_busy(client, paralegal_a, settings):
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(paralegal_a)
        for _ in range(5):  # 100 minutes, a page every twenty
            traveller.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=25))
        assert client.get("/").status_code == 302


def _session_writes(client, path="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return sum(
        1
        for query in queries.captured_queries
        if "django_session" in query["sql"] and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def test_pages_write_the_activity_stamp_at_most_once_a_minute(client, paralegal_a):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(paralegal_a)
        assert _session_writes(client) == 0  # the stamp was set at sign-in
        traveller.shift(timedelta(seconds=59))
        assert _session_writes(client) == 0
        traveller.shift(timedelta(seconds=2))
        assert _session_writes(client) == 1
        assert _session_writes(client) == 0
