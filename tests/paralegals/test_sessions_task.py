"""The hourly task deletes expired login sessions and keeps live ones."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from paralegals.tasks import clear_expired_sessions


def make_session(key: str, *, expires_in: timedelta) -> Session:
    return Session.objects.create(session_key=key, session_data="e30:1", expire_date=timezone.now() + expires_in)


def test_clear_expired_sessions_deletes_only_expired_rows(db, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    make_session("expired" * 4, expires_in=-timedelta(minutes=1))
    make_session("live" * 8, expires_in=timedelta(hours=1))

    clear_expired_sessions.delay()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live" * 8]


def test_clear_expired_sessions_is_idempotent(db):
    make_session("expired" * 4, expires_in=-timedelta(days=3))

    clear_expired_sessions.delay()
    clear_expired_sessions.delay()

    assert not Session.objects.exists()
