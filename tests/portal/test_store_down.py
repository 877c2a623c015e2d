"""When the limiter's store fails, the check fails closed: 503 "try again later", never a 500, never a lookup."""

import pytest
from django.db import DatabaseError
from django.test import Client

from cases.portal import limiter

from .conftest import PIN, look_up

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "cache"])
def broken_store(request, monkeypatch):
    store_class = limiter.DatabaseStore if request.param == "database" else limiter.CacheStore
    error = DatabaseError("connection refused") if request.param == "database" else ConnectionError("redis down")

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(store_class, "hit", fail)
    monkeypatch.setattr(store_class, "locked_until", fail)
    monkeypatch.setattr(limiter, "store", store_class)
    return store_class


def test_the_right_pin_gets_try_again_later_not_the_status(broken_store, worker_case):
    client = Client(raise_request_exception=False)

    response = look_up(client, worker_case.reference, PIN)

    assert response.status_code == 503
    assert "The check is not available right now. Please try again later." in response.content.decode()
    assert "portal" not in client.session


def test_the_503_page_speaks_the_chosen_language(broken_store, worker_case):
    response = look_up(Client(), worker_case.reference, PIN, lang="ru")

    assert response.status_code == 503
    assert "Проверка сейчас недоступна" in response.content.decode()


def test_the_case_page_says_the_lock_state_is_unknown(broken_store, client, worker_case, paralegal_a):
    client.force_login(paralegal_a)

    page = client.get(f"/cases/{worker_case.pk}/")

    assert page.status_code == 200
    assert "counter store is not reachable" in page.content.decode()
