"""Rounding: one helper, to the minor unit (here 0.01) half up, once per line; rates, subtotals and totals are never
rounded. Currencies with three decimals or none: tests/money/wages/test_wages_currency_digits.py."""

from datetime import date
from decimal import Decimal as D

import pytest

from cases.money.wages import Basis, Category, PayPeriod, calculate, money, rounding_statement

from .conftest import pay_period, rule_version

RULE = rule_version(currency="THB", minimum_basis=Basis.DAY)

# (value, half up) — the rows marked * are where half-to-even would differ
MONEY = [
    (D("0.005"), D("0.01")),  # * half-even: 0.00
    (D("0.004"), D("0.00")),
    (D("0.025"), D("0.03")),  # * half-even: 0.02
    (D("2.675"), D("2.68")),  # the float 2.675 is 2.67499…; a Decimal is exact
    (D("5.00499999"), D("5.00")),
    (D("10"), D("10.00")),
    (D("-0.005"), D("-0.01")),  # away from zero; lines are never negative, only a total can be
    (7, D("7.00")),
]


@pytest.mark.parametrize(("value", "rounded"), MONEY)
def test_money_rounds_to_the_cent_half_up(value, rounded):
    assert money(value) == rounded
    assert str(money(value)) == str(rounded)


@pytest.mark.parametrize("value", [0.1, "0.10", True, None])
def test_money_refuses_anything_but_a_decimal_or_an_int(value):
    with pytest.raises(TypeError):
        money(value)


def half_hour(start, end) -> PayPeriod:
    return pay_period(
        start=start, end=end, days_worked=D(1), normal_hours=D("0.5"), agreed_rate=D("10.01"), agreed_basis=Basis.HOUR
    )


def test_a_half_cent_line_rounds_up():
    # 0.5 h × 10.01 = 5.005 → 5.01
    result = calculate(periods=[half_hour(date(2025, 1, 1), date(2025, 1, 1))], rules=[RULE], currency="THB")

    assert result.lines[0].amount == D("5.01")


def test_lines_are_rounded_one_by_one_and_the_total_is_their_exact_sum():
    # two lines of 5.005 → 5.01 each; the total is 5.01 + 5.01 = 10.02, not 10.01 (10.010 rounded once)
    periods = [half_hour(date(2025, 1, 1), date(2025, 1, 1)), half_hour(date(2025, 1, 2), date(2025, 1, 2))]

    result = calculate(periods=periods, rules=[RULE], currency="THB")

    assert [line.amount for line in result.lines] == [D("5.01"), D("5.01")]
    assert result.subtotals[Category.UNPAID_WAGES] == result.gross_owed == D("10.02")


def test_a_converted_rate_is_not_rounded_before_the_line():
    # 1,000/month = 1,000 × 12 ÷ 52 ÷ 48 = 4.8076923…/hour; 100 overtime h × that × 1.5 = 721.153… → 721.15
    # (rounding the rate first to 4.81 would give 721.50)
    period = pay_period(overtime_hours=D(100), agreed_rate=D(1000))  # January 2025, 26 days, 208 normal hours

    result = calculate(periods=[period], rules=[RULE], currency="THB")

    assert result.subtotals[Category.OVERTIME] == D("721.15")
    assert "≈4.8077 THB/hour" in result.lines[1].formula


def test_the_rounding_rule_is_stated_once_in_the_result():
    result = calculate(periods=[half_hour(date(2025, 1, 1), date(2025, 1, 1))], rules=[RULE], currency="THB")

    assert result.rounding == rounding_statement("THB", 2)
    assert result.rounding.startswith("Each line is rounded once, to 0.01 THB, half up (0.005 → 0.01).")
    assert "its amounts to 0.01 THB" in result.rounding
    assert all(result.rounding not in line.formula for line in result.lines)
