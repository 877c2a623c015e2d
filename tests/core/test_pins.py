"""The status-check PIN: eight random digits, kept only as a salted hash."""

import re

from cases.core import pins
from cases.core.pins import check_pin, hash_pin, new_pin


def test_a_new_pin_is_eight_digits():
    assert all(re.fullmatch(r"\d{8}", new_pin()) for _ in range(200))


def test_new_pins_are_random():
    assert len({new_pin() for _ in range(200)}) > 190


def test_a_pin_keeps_its_leading_zeros(monkeypatch):
    monkeypatch.setattr(pins.secrets, "randbelow", lambda n: 42)

    assert new_pin() == "00000042"


def test_the_hash_does_not_contain_the_pin_and_is_salted():
    pin = "12345678"

    first, second = hash_pin(pin), hash_pin(pin)

    assert pin not in first
    assert first != second  # a fresh salt each time


def test_check_pin_accepts_the_pin_and_refuses_any_other():
    pin_hash = hash_pin("20481024")

    assert check_pin("20481024", pin_hash)
    assert not check_pin("20481025", pin_hash)
    assert not check_pin("", pin_hash)


def test_check_pin_ignores_spaces_and_dashes_people_type():
    pin_hash = hash_pin("20481024")

    assert check_pin("2048 1024", pin_hash)
    assert check_pin("2048-1024", pin_hash)


def test_check_pin_is_false_without_a_stored_hash():
    assert not check_pin("12345678", "")


def test_reference_and_pin_together_carry_at_least_64_bits():
    import math

    from cases.core.references import ALPHABET, RANDOM_LENGTH

    reference_bits = RANDOM_LENGTH * math.log2(len(ALPHABET))
    pin_bits = pins.PIN_LENGTH * math.log2(10)

    assert reference_bits + pin_bits >= 64


def test_check_pin_accepts_digits_of_other_scripts():
    pin_hash = hash_pin("20481024")

    assert check_pin("٢٠٤٨١٠٢٤", pin_hash)  # Arabic-Indic
    assert check_pin("२०४८ १०२४", pin_hash)  # Devanagari, with a space
    assert check_pin("၂၀၄၈၁၀၂၄", pin_hash)  # Burmese


def test_the_production_hasher_is_slow_and_salted(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

    pin_hash = hash_pin("20481024")

    algorithm, iterations, _salt, _digest = pin_hash.split("$")
    assert algorithm == "pbkdf2_sha256" and int(iterations) >= 600_000
