"""Rate limits: a reference locks after the limit (known or not), staff unlock it, an address is throttled for wrong
tries only. (tests/portal/test_open_to_owner.py: what no stranger can deny, and the guessing bound.)"""

import pytest
from django.test import Client

from cases.core.references import new_reference
from cases.models import CaseEvent, EventKind
from cases.portal import limiter
from cases.portal.services import portal_unlock

from .conftest import PIN, look_up

pytestmark = pytest.mark.django_db

LOCKED = "Too many tries with this reference."


@pytest.fixture
def limit_of_three(settings):
    settings.PORTAL_REFERENCE_LIMIT = 3


def test_after_the_limit_the_reference_is_locked_even_for_the_right_pin(limit_of_three, client, worker_case):
    for _ in range(3):
        assert look_up(client, worker_case.reference, "11111111").status_code == 400

    locked = look_up(client, worker_case.reference, PIN)

    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()


def test_an_unknown_reference_locks_exactly_like_a_real_one(limit_of_three, worker_case):
    unknown = new_reference()
    answers = {}
    for reference in (unknown, worker_case.reference):
        client = Client()
        for _ in range(3):
            look_up(client, reference, "11111111")
        response = look_up(client, reference, "11111111")
        answers[reference] = (response.status_code, len(response.content))

    assert answers[unknown] == answers[worker_case.reference]
    assert answers[unknown][0] == 429


def test_locking_a_real_reference_writes_one_event_on_its_case(limit_of_three, client, worker_case):
    for _ in range(6):
        look_up(client, worker_case.reference, "11111111")

    assert CaseEvent.objects.filter(case=worker_case, kind=EventKind.PORTAL_LOCKED).count() == 1


def test_the_case_page_shows_the_lock_and_staff_can_unlock(limit_of_three, client, worker_case, paralegal_a):
    for _ in range(4):
        look_up(Client(), worker_case.reference, "11111111")
    client.force_login(paralegal_a)

    page = client.get(f"/cases/{worker_case.pk}/").content.decode()
    assert 'id="portal-locked"' in page

    response = client.post(f"/cases/{worker_case.pk}/status-check/unlock/")
    assert response.status_code == 302
    assert 'id="portal-locked"' not in client.get(f"/cases/{worker_case.pk}/").content.decode()
    assert CaseEvent.objects.filter(case=worker_case, kind=EventKind.PORTAL_UNLOCKED, actor=paralegal_a).exists()
    assert look_up(Client(), worker_case.reference, PIN).status_code == 302


def test_staff_who_cannot_see_the_case_cannot_unlock_it(client, worker_case, paralegal_b):
    client.force_login(paralegal_b)

    assert client.post(f"/cases/{worker_case.pk}/status-check/unlock/").status_code == 404
    with pytest.raises(worker_case.DoesNotExist):
        portal_unlock(actor=paralegal_b, case_id=worker_case.pk)


def test_a_right_pin_uses_no_budget_and_gives_back_no_wrong_try(limit_of_three, client, worker_case):
    for _ in range(2):
        look_up(Client(), worker_case.reference, "11111111")
    for _ in range(5):  # the worker checks again and again: none of it counts
        assert look_up(Client(), worker_case.reference, PIN).status_code == 302

    assert look_up(Client(), worker_case.reference, "11111111").status_code == 400  # the third wrong try
    assert look_up(Client(), worker_case.reference, "11111111").status_code == 429  # the fourth locks


def test_an_address_past_its_wrong_tries_is_told_to_wait_but_a_right_pin_gets_through(settings, client, worker_case):
    settings.PORTAL_IP_LIMIT = 4
    for _ in range(4):
        assert look_up(client, new_reference(), "11111111").status_code == 400

    response = look_up(client, new_reference(), "11111111")

    assert response.status_code == 429
    assert "Too many tries. Please wait a while and try again." in response.content.decode()
    assert look_up(client, worker_case.reference, "11111111").status_code == 429
    assert look_up(client, worker_case.reference, PIN).status_code == 302
    assert look_up(Client(REMOTE_ADDR="10.9.8.7"), new_reference(), "11111111").status_code == 400


def test_right_pins_do_not_use_up_the_address_budget(settings, worker_case):
    settings.PORTAL_IP_LIMIT = 2
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(6):
        assert look_up(client, worker_case.reference, PIN).status_code == 302

    assert look_up(client, new_reference(), "11111111").status_code == 400


def test_counters_store_digests_never_the_reference_or_address(worker_case):
    if not isinstance(limiter.store(), limiter.DatabaseStore):
        pytest.skip("Redis keys are the same digests; this reads the database store's table")
    from cases.models import RateCounter

    look_up(Client(REMOTE_ADDR="203.0.113.5"), worker_case.reference, "11111111")

    keys = " ".join(RateCounter.objects.values_list("key", flat=True))
    assert worker_case.reference not in keys and "203.0.113.5" not in keys
    assert keys.count("portal:") == 2  # reference, address (a wrong try); no site-wide counter
