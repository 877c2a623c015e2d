"""Currencies: ISO 4217 minor units, exact conversion to and from integer minor units, one rounding rule."""

from decimal import Decimal

import pytest
from django.utils import translation

from cases.money import currencies
from cases.money.currencies import CurrencyError, SubMinorAmount, UnknownCurrency


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("12.34", "USD", 1234),
        ("0.01", "THB", 1),
        ("1234567.89", "MYR", 123456789),
        ("12.345", "KWD", 12345),
        ("0.001", "BHD", 1),
        ("7", "OMR", 7000),
        ("1500", "JPY", 1500),
        ("1500.00", "JPY", 1500),  # trailing zeros are not extra precision
        ("25000", "VND", 25000),
        ("990", "CLP", 990),
        ("1000000", "KRW", 1000000),
        ("-5.50", "USD", -550),
    ],
)
def test_amounts_become_exact_minor_units_with_the_iso_exponent(amount, currency, minor):
    assert currencies.to_minor(Decimal(amount), currency) == minor
    assert currencies.from_minor(minor, currency) == Decimal(amount)


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("0.001", "USD"), ("12.3456", "KWD"), ("1.5", "JPY"), ("0.5", "KRW"), ("10.001", "THB"), ("100.1", "VND")],
)
def test_an_amount_finer_than_the_minor_unit_is_refused_not_rounded(amount, currency):
    with pytest.raises(SubMinorAmount):
        currencies.to_minor(Decimal(amount), currency)


def test_the_refusal_says_how_many_digits_the_currency_has():
    with pytest.raises(SubMinorAmount, match="KWD has 3 digits"):
        currencies.to_minor(Decimal("1.2345"), "KWD")
    with pytest.raises(SubMinorAmount, match="whole number"):
        currencies.to_minor(Decimal("1.5"), "JPY")


def test_floats_unknown_codes_and_absurd_amounts_are_refused():
    with pytest.raises(TypeError):
        currencies.to_minor(0.1, "USD")
    with pytest.raises(UnknownCurrency):
        currencies.to_minor(Decimal(1), "XYZ")
    with pytest.raises(UnknownCurrency):
        currencies.to_minor(Decimal(1), "usd")  # codes are upper case; forms normalise them
    with pytest.raises(CurrencyError):
        currencies.to_minor(Decimal("Infinity"), "USD")
    with pytest.raises(CurrencyError):
        currencies.to_minor(Decimal("1e40"), "USD")


def test_from_minor_keeps_the_currency_exponent():
    assert str(currencies.from_minor(100, "USD")) == "1.00"
    assert str(currencies.from_minor(1, "KWD")) == "0.001"
    assert str(currencies.from_minor(1500, "JPY")) == "1500"


def test_the_exponents_this_field_relies_on():
    exponents = {code: currencies.get_currency(code).exponent for code in currencies.CURRENCIES}
    assert {code for code, exponent in exponents.items() if exponent == 3} == {"KWD", "BHD", "OMR", "JOD"}
    assert {"JPY", "KRW", "VND", "CLP", "UGX"} <= {code for code, exponent in exponents.items() if exponent == 0}
    for code in ("UZS", "IDR", "KHR", "MMK", "LBP", "THB", "MYR", "RUB", "KZT", "KGS", "QAR", "SAR", "AED", "NPR"):
        assert exponents[code] == 2, code


@pytest.mark.parametrize(
    ("minor", "rate", "source", "target", "expected"),
    [
        (10000, Decimal("0.22"), "MYR", "USD", 2200),  # 100.00 MYR → 22.00 USD
        (1000, Decimal("3.25"), "KWD", "USD", 325),  # 1.000 KWD → 3.25 USD
        (1500, Decimal("0.0066666667"), "JPY", "USD", 1000),  # 1500 JPY → 10.00 USD (10.000000050)
        (100, Decimal("25000"), "USD", "VND", 25000),  # 1.00 USD → 25000 VND
        (1, Decimal("0.005"), "USD", "EUR", 0),  # half a cent of a cent: below half rounds down
        (100, Decimal("0.005"), "USD", "EUR", 1),  # exactly half a cent rounds up
        (100, Decimal("0.3075"), "KWD", "USD", 3),  # 0.100 KWD → 0.03075 USD → 0.03
    ],
)
def test_conversion_is_exact_then_rounded_once_half_up(minor, rate, source, target, expected):
    assert currencies.convert_minor(minor, rate=rate, from_currency=source, to_currency=target) == expected


def test_ratio_is_a_decimal_and_none_when_dividing_by_zero():
    assert currencies.ratio(1, 3) == Decimal("0.3333")
    assert currencies.ratio(2, 3) == Decimal("0.6667")
    assert currencies.ratio(5, 0) is None


def test_format_money_shows_every_minor_digit_grouped_in_the_active_language():
    with translation.override("en"):
        assert currencies.format_money(123456789, "THB") == "1,234,567.89\N{NO-BREAK SPACE}THB"
        assert currencies.format_money(1, "KWD") == "0.001\N{NO-BREAK SPACE}KWD"
        assert currencies.format_money(1500000, "JPY") == "1,500,000\N{NO-BREAK SPACE}JPY"
    with translation.override("es"):
        assert currencies.format_money(123456789, "THB").startswith("1\N{NO-BREAK SPACE}234\N{NO-BREAK SPACE}567,89")


def test_choices_list_every_code_once_for_select_boxes():
    codes = [code for code, _ in currencies.choices()]
    assert codes == sorted(set(codes)) and "KWD" in codes and "THB" in codes
