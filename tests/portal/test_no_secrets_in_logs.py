"""No reference and no PIN in any log line: lookups right and wrong, locks, 4xx warnings, the store failing."""

import logging

import pytest
from django.test import Client

from cases.portal import limiter

from .conftest import PIN, look_up

pytestmark = pytest.mark.django_db


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r} {record.__dict__!r}")


@pytest.fixture
def captured():
    """A handler on the root logger and on every logger that does not propagate, all at DEBUG (django.request's
    4xx warnings included)."""
    handler = Everything()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    loggers.append(logging.getLogger("django.request"))
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger, level in levels.items():
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_no_lookup_ever_logs_the_reference_or_the_pin(captured, settings, worker_case, monkeypatch):
    settings.PORTAL_REFERENCE_LIMIT = 2
    client = Client()
    look_up(client, worker_case.reference, PIN)  # right
    client.get("/status/claim/")
    for _ in range(3):
        look_up(Client(), worker_case.reference, "99999999")  # wrong, then locked (429)
    look_up(Client(), worker_case.reference.lower(), "")  # bad input (400)
    Client().get(f"/status/?reference={worker_case.reference}&pin={PIN}")  # GET with parameters (400)
    client.post("/status/claim/phone/", {"phone": "+9779812345678"})

    def down(*args, **kwargs):
        raise ConnectionError("store down")

    monkeypatch.setattr(limiter.DatabaseStore, "hit", down)
    monkeypatch.setattr(limiter.CacheStore, "hit", down)
    look_up(Client(), worker_case.reference, PIN)  # 503

    assert any("Bad Request" in line or "Too Many Requests" in line for line in captured.lines)  # we did capture
    text = "\n".join(captured.lines)
    compact = worker_case.reference.replace("-", "")
    for secret in (worker_case.reference, compact, compact.lower(), PIN, "99999999", "9812345678"):
        assert secret not in text
