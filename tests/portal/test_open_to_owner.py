"""The status check stays open to its owner: no counter shared with strangers can refuse a right reference and PIN,
while guessing a PIN for a known reference stays below one chance in 1,000 a year (docs/security.md, "The status
check's limits"). Every figure here comes from real lookups through the page and the API, with the default settings.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from cases.core.pins import hash_pin
from cases.core.references import new_reference
from cases.core.stages import Stage
from cases.models import Case
from cases.portal import limiter

from .conftest import PIN, look_up

pytestmark = pytest.mark.django_db

ONE_IN_A_THOUSAND = 1 / 1000
YEAR_SECONDS = 365 * 24 * 60 * 60


def ask_api(reference, pin, address):
    body = json.dumps({"reference": reference, "pin": pin})
    return Client(REMOTE_ADDR=address).post("/api/v1/status/", body, content_type="application/json")


def test_the_defaults_keep_guessing_below_one_in_a_thousand_a_year(settings):
    checked_per_year = settings.PORTAL_REFERENCE_LIMIT * (YEAR_SECONDS // settings.PORTAL_REFERENCE_WINDOW_SECONDS + 1)

    assert checked_per_year == 43_805
    assert limiter.yearly_guess_bound() == checked_per_year / 10**8
    assert limiter.yearly_guess_bound() < ONE_IN_A_THOUSAND


def test_400_requests_from_three_addresses_do_not_stop_a_fourth_holding_the_right_pin(worker_case):
    answers = []
    for number in range(400):
        address = f"198.51.100.{number % 3 + 1}"
        answers.append(look_up(Client(REMOTE_ADDR=address), new_reference(), "11111111").status_code)

    assert answers[:3] == [400, 400, 400]
    assert answers[-3:] == [429, 429, 429]  # each of the three is past its budget of wrong tries
    assert look_up(Client(REMOTE_ADDR="203.0.113.4"), worker_case.reference, PIN).status_code == 302
    assert ask_api(worker_case.reference, PIN, "203.0.113.4").status_code == 200
    # and from one of the three addresses themselves: its wrong tries are throttled, not its right ones
    assert look_up(Client(REMOTE_ADDR="198.51.100.1"), worker_case.reference, PIN).status_code == 302


def test_400_api_requests_from_three_addresses_do_not_stop_a_fourth_holding_the_right_pin(worker_case):
    for number in range(400):
        ask_api(new_reference(), "11111111", f"198.51.100.{number % 3 + 1}")

    answer = ask_api(worker_case.reference, PIN, "203.0.113.4")

    assert answer.status_code == 200
    assert answer.json()["reference"] == worker_case.reference


def test_many_workers_behind_one_carrier_address_each_get_in_with_their_pin(make_case, office_with_contacts):
    carrier = Client(REMOTE_ADDR="100.64.0.1")
    for _ in range(150):  # someone on the same carrier guessing first: the address is throttled
        look_up(carrier, new_reference(), "11111111")
    assert look_up(carrier, new_reference(), "11111111").status_code == 429

    cases = []
    for number in range(20):
        case = make_case(Stage.REDRESS, office=office_with_contacts)
        pin = f"{number:02d}345678"
        Case.objects.filter(pk=case.pk).update(pin_hash=hash_pin(pin))
        cases.append((case.reference, pin))

    for reference, pin in cases:
        worker = Client(REMOTE_ADDR="100.64.0.1")
        assert look_up(worker, reference, "99999999").status_code == 429  # a typo: "too many tries"
        assert look_up(worker, reference, pin).status_code == 302
        assert ask_api(reference, pin, "100.64.0.1").status_code == 200


@pytest.fixture
def database_counters(monkeypatch):
    """The database store, whose windows follow the travelling clock (Redis expires keys in real time)."""
    monkeypatch.setattr(limiter, "store", limiter.DatabaseStore)


def test_a_day_of_guessing_one_reference_stays_within_the_bound(database_counters, settings, worker_case):
    """Two wrong PINs every ten minutes from fresh addresses for 24 hours, the worker's app checking after each pair.

    The owner's checks must not refill the guesser's budget: were a right PIN to reset the count, this guesser would
    get every one of its 288 PINs checked.
    """
    hours = 24
    checked = 0  # wrong PINs that reached the PIN check (answered "not right" rather than "locked")
    owner_in = 0
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        for step in range(hours * 6):
            for attempt in range(2):
                address = f"10.{step // 200}.{step % 200}.{attempt}"
                if look_up(Client(REMOTE_ADDR=address), worker_case.reference, "11111111").status_code == 400:
                    checked += 1
            if look_up(Client(REMOTE_ADDR="203.0.113.9"), worker_case.reference, PIN).status_code == 302:
                owner_in += 1
            clock.shift(timedelta(minutes=10))

    windows = hours * 3600 // settings.PORTAL_REFERENCE_WINDOW_SECONDS + 1
    assert 0 < checked <= settings.PORTAL_REFERENCE_LIMIT * windows
    assert checked * 365 / 10**8 < ONE_IN_A_THOUSAND
    assert owner_in > 0
