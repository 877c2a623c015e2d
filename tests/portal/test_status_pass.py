"""The status check keeps who may see which claim in a signed cookie, not the session: the lookup is one query for the
case (plus the limiter's when its counters are in the database), the page one query, and neither writes a session.
A new or cleared PIN ends an open check; an altered or planted cookie opens nothing; the end never moves."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cases.models import Case, PhoneChangeRequest
from cases.portal import limiter, status_pass
from cases.portal.services import pin_reissue, portal_show_amounts_set

from .conftest import PIN, look_up

pytestmark = pytest.mark.django_db

ENDED = "Your check has ended."


def _limiter_queries() -> int:
    """The limiter's own statements when its counters are in the database (none with Redis): the lock read, the count
    (an upsert), the window's first count's purge of ended windows and the right PIN's refund."""
    return 0 if isinstance(limiter.store(), limiter.CacheStore) else 4


def test_the_lookup_reads_the_case_once_and_writes_no_session(worker_case, django_assert_num_queries):
    client = Client()

    with django_assert_num_queries(1 + _limiter_queries()) as queries:  # the case by its reference (+ the limiter's)
        response = look_up(client, worker_case.reference)

    assert response.status_code == 302
    statements = " ".join(query["sql"] for query in queries.captured_queries)
    assert "django_session" not in statements
    assert statements.count('FROM "cases_case"') == 1
    assert status_pass.COOKIE_NAME in response.cookies
    assert "sessionid" not in response.cookies


def test_the_status_page_is_one_query(worker_case, hearing, django_assert_num_queries):
    client = Client()
    look_up(client, worker_case.reference)

    with django_assert_num_queries(1):  # the case, its office's contacts, the worker's language, the next hearing
        page = client.get("/status/claim/en/")

    assert page.status_code == 200
    assert worker_case.reference in page.content.decode()
    assert "Hearing:" in page.content.decode()
    assert "sessionid" not in page.cookies


def test_the_status_page_with_amounts_is_two_queries(worker_case, paralegal_a, django_assert_num_queries):
    portal_show_amounts_set(actor=paralegal_a, case_id=worker_case.pk, show=True)
    client = Client()
    look_up(client, worker_case.reference)

    with django_assert_num_queries(2):  # the case (as above), the ledger's totals in one SUM
        assert client.get("/status/claim/").status_code == 200


def test_the_pass_cookie_is_http_only_strict_and_for_the_status_pages_only(worker_case, settings):
    cookie = look_up(Client(), worker_case.reference).cookies[status_pass.COOKIE_NAME]

    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/status/"
    assert int(cookie["max-age"]) in (settings.PORTAL_SESSION_SECONDS - 1, settings.PORTAL_SESSION_SECONDS)
    assert worker_case.reference not in cookie.value
    assert PIN not in cookie.value


def test_a_new_pin_ends_a_check_that_is_open(client, worker_case, paralegal_a):
    look_up(client, worker_case.reference)

    pin_reissue(actor=paralegal_a, case_id=worker_case.pk)
    page = client.get("/status/claim/")

    assert ENDED in page.content.decode()
    assert worker_case.reference not in page.content.decode()
    assert page.cookies[status_pass.COOKIE_NAME].value == ""  # the ended pass is removed


def test_a_cleared_pin_ends_a_check_that_is_open(client, worker_case):
    look_up(client, worker_case.reference)

    Case.objects.filter(pk=worker_case.pk).update(pin_hash="")  # as retention does

    assert ENDED in client.get("/status/claim/").content.decode()


def test_a_new_pin_refuses_a_phone_number_sent_with_the_old_check(client, worker_case, paralegal_a):
    look_up(client, worker_case.reference)
    pin_reissue(actor=paralegal_a, case_id=worker_case.pk)

    response = client.post("/status/claim/phone/", {"phone": "+977 9812345678"})

    assert ENDED in response.content.decode()
    assert not PhoneChangeRequest.objects.exists()


def test_an_altered_pass_opens_nothing(client, worker_case):
    look_up(client, worker_case.reference)
    value = client.cookies[status_pass.COOKIE_NAME].value
    client.cookies[status_pass.COOKIE_NAME] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")

    assert ENDED in client.get("/status/claim/").content.decode()


def test_a_pass_planted_before_the_lookup_is_replaced(worker_case, make_case):
    other = make_case()
    Case.objects.filter(pk=other.pk).update(pin_hash=worker_case.pin_hash)
    planted = Client()
    look_up(planted, other.reference)
    client = Client()
    client.cookies[status_pass.COOKIE_NAME] = planted.cookies[status_pass.COOKIE_NAME].value

    look_up(client, worker_case.reference)
    page = client.get("/status/claim/").content.decode()

    assert worker_case.reference in page
    assert other.reference not in page


def test_picking_a_language_does_not_move_the_end(client, worker_case, settings):
    look_up(client, worker_case.reference)
    start = timezone.now()

    with time_machine.travel(start + timedelta(seconds=settings.PORTAL_SESSION_SECONDS - 5)):
        assert worker_case.reference in client.get("/status/claim/ru/").content.decode()
    with time_machine.travel(start + timedelta(seconds=settings.PORTAL_SESSION_SECONDS + 1)):
        page = client.get("/status/claim/").content.decode()

    assert worker_case.reference not in page


def test_done_removes_the_pass(client, worker_case):
    look_up(client, worker_case.reference)

    response = client.post("/status/claim/done/")

    assert response.cookies[status_pass.COOKIE_NAME].value == ""
    assert ENDED in client.get("/status/claim/").content.decode()
