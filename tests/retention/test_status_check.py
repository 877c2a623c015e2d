"""After anonymisation the worker's status check answers the right reference and PIN exactly as it answers an
unknown reference: the PIN is gone, so the reference no longer reveals anything."""

import pytest
from django.core.cache import caches
from django.test import Client

from cases.core.references import new_reference
from cases.models import Case
from cases.portal import limiter
from cases.portal.services import Outcome, portal_lookup
from cases.retention.services import case_anonymise


@pytest.fixture(autouse=True)
def _fresh_counters():
    if isinstance(limiter.store(), limiter.CacheStore):  # Redis counters outlive the test's transaction
        caches["default"].clear()


def _unknown_reference() -> str:
    known = set(Case.objects.values_list("reference", flat=True))
    return next(reference for reference in iter(new_reference, None) if reference not in known)


def _look_up(reference: str, pin: str):
    return Client().post("/status/", {"reference": reference, "pin": pin})


def test_the_right_reference_and_pin_no_longer_open_the_status(worker_case):
    made = worker_case()
    case, pin = made.case, made.pin
    assert _look_up(case.reference, pin).status_code == 302  # the status page, before
    assert portal_lookup(reference=case.reference, pin=pin, ip="198.51.100.7").outcome == Outcome.FOUND

    case_anonymise(actor=None, case=case)

    assert portal_lookup(reference=case.reference, pin=pin, ip="198.51.100.7").outcome == Outcome.NO_MATCH
    after, unknown = _look_up(case.reference, pin), _look_up(_unknown_reference(), pin)
    assert (
        (after.status_code, len(after.content))
        == (unknown.status_code, len(unknown.content))
        == (400, len(unknown.content))
    )
