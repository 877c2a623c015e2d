"""An unknown reference and a wrong PIN look the same: same status, same body length, comparable time.

The test settings hash PINs with MD5 (config/settings_test.py), so 2,000 lookups take seconds; the timing test
switches to the production hasher (PBKDF2, ~0.4 s a check here) for a few lookups of each kind.
"""

import statistics
import time

import pytest
from django.test import Client

from cases.core.pins import hash_pin
from cases.core.references import new_reference
from cases.models import Case

from .conftest import look_up

pytestmark = pytest.mark.django_db

LOOKUPS = 1_000


@pytest.fixture
def unlimited(settings):
    settings.PORTAL_REFERENCE_LIMIT = settings.PORTAL_IP_LIMIT = 10**6


def _unknown_references(count: int) -> list[str]:
    known = set(Case.objects.values_list("reference", flat=True))
    references = set()
    while len(references) < count:
        reference = new_reference()
        if reference not in known:
            references.add(reference)
    return sorted(references)


def test_a_thousand_unknown_references_and_wrong_pins_get_identical_answers(unlimited, worker_case):
    client = Client()
    answers = set()
    for reference in _unknown_references(LOOKUPS):
        response = look_up(client, reference, "12345678")
        answers.add((response.status_code, len(response.content)))
    for number in range(LOOKUPS):
        response = look_up(client, worker_case.reference, f"{number:08d}")  # the real PIN is 20481024
        answers.add((response.status_code, len(response.content)))

    assert len(answers) == 1
    assert answers.pop()[0] == 400


def test_the_answer_never_says_which_of_the_two_was_wrong(unlimited, worker_case):
    unknown = look_up(Client(), _unknown_references(1)[0], "12345678").content.decode()
    wrong_pin = look_up(Client(), worker_case.reference, "12345679").content.decode()

    message = "The reference or the PIN is not right. Check both and try again."
    assert message in unknown and message in wrong_pin
    assert "12345679" not in wrong_pin  # the PIN is never echoed back


def test_an_unknown_reference_costs_the_time_of_a_real_pin_check(unlimited, settings, worker_case):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    Case.objects.filter(pk=worker_case.pk).update(pin_hash=hash_pin("20481024"))
    client = Client()

    def seconds(reference: str, pin: str) -> float:
        started = time.perf_counter()
        look_up(client, reference, pin)
        return time.perf_counter() - started

    references = _unknown_references(6)
    seconds(references.pop(), "12345678")  # warm up both paths (first hash, templates, connection)
    seconds(worker_case.reference, "11111119")
    # Interleaved, so a busy machine slows both kinds alike.
    unknown, wrong = [], []
    for n, reference in enumerate(references):
        unknown.append(seconds(reference, "12345678"))
        wrong.append(seconds(worker_case.reference, f"1111111{n}"))

    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 0.7 < ratio < 1.4, (unknown, wrong)
