"""Redis (or the database) down is a 503 with Retry-After, never a 500: token calls to the API and /statistics/.

Nothing is mocked: the cache and the broker are pointed at a closed port on this machine, so the Redis client gets
its real "connection refused" wherever the request first needs Redis (DRF's throttles, the dashboard's cache); the
database (PostgreSQL: CI's PostgreSQL pass; SQLite's in-memory test database cannot be taken away and brought
back) at a closed port.
"""

import socket

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from cases.core.stages import Stage
from cases.statistics.refresh import statistics_refresh
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A local port nobody listens on: bound, then released (connection refused, at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down():
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    with override_settings(CACHES=caches, CELERY_BROKER_URL=url, UNAVAILABLE_RETRY_AFTER=17):
        yield


def _unavailable(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == "17"


def test_a_token_call_with_redis_down_is_a_json_503_with_retry_after(make_case, paralegal_a, api_for, redis_down):
    case = make_case(Stage.REDRESS)
    client = api_for(paralegal_a)
    for response in (
        client.get("/api/v1/cases/"),
        client.get(f"/api/v1/cases/{case.pk}/"),
        client.post(f"/api/v1/cases/{case.pk}/note/", {"text": "Called the worker."}, format="json"),
    ):
        _unavailable(response)
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "unavailable"
    assert not case.events.filter(kind="note").exists()


def test_the_statistics_page_with_redis_down_is_a_503_page(settings, make_case, global_coordinator, redis_down):
    settings.STATISTICS_CACHE_SECONDS = 300  # the dashboard keeps its figures in the cache (Redis)
    make_case(Stage.REDRESS)
    statistics_refresh()
    client = Client()
    assert client.login(username=global_coordinator.username, password=PASSWORD)
    response = client.get(reverse("statistics_dashboard"))
    _unavailable(response)
    assert response["Content-Type"].startswith("text/html")
    assert b"Try again in a minute" in response.content


def test_the_statistics_api_with_redis_down_is_a_503(settings, global_coordinator, api_for, redis_down):
    settings.STATISTICS_CACHE_SECONDS = 300
    statistics_refresh()
    _unavailable(api_for(global_coordinator).get("/api/v1/statistics/"))


@pytest.mark.django_db(transaction=True)
def test_an_api_call_with_the_database_down_is_a_json_503(paralegal_a, api_for):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the in-memory SQLite test database cannot be disconnected")
    client = api_for(paralegal_a)
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    try:
        with override_settings(UNAVAILABLE_RETRY_AFTER=17):
            response = client.get("/api/v1/cases/")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    _unavailable(response)
    assert response.json()["code"] == "unavailable"
