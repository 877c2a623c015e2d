"""No reference and no PIN in any log line: lookups right and wrong, locks, 4xx warnings, the store failing."""

import pytest
from django.test import Client

from cases.portal import limiter
from tests.log_capture import every_log_record

from .conftest import PIN, look_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured():
    """Every log record, from every logger, at DEBUG."""
    with every_log_record() as handler:
        yield handler


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
