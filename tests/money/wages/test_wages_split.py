"""A period that spans a change of rules is split at it, and each part is calculated under its own version."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from cases.money.wages import (
    Basis,
    CalculationError,
    Category,
    Deduction,
    calculate,
    split_at_rule_changes,
)

from .conftest import pay_period, rule_version

V1 = rule_version(effective_to=date(2025, 1, 15), minimum_rate=D(10), minimum_basis=Basis.HOUR)
V2 = replace(V1, id=2, effective_from=date(2025, 1, 16), effective_to=None, minimum_rate=D(12))
JANUARY = pay_period(
    days_worked=D(31),
    normal_hours=D(186),
    overtime_hours=D(31),
    agreed_rate=D(9),
    agreed_basis=Basis.HOUR,
    amount_paid=D("1000.00"),
    deductions=(Deduction("housing", D("31.00"), lawful=False),),
)


def test_a_minimum_wage_rise_inside_a_period_splits_it_by_calendar_days():
    # 15 days under v1 and 16 under v2, of 31: each total × 15 ÷ 31 for the first part, the rest for the second.
    first, second = split_at_rule_changes(JANUARY, [V1, V2])

    assert (first.start, first.end, second.start, second.end) == (
        date(2025, 1, 1),
        date(2025, 1, 15),
        date(2025, 1, 16),
        date(2025, 1, 31),
    )
    assert (first.days_worked, second.days_worked) == (15, 16)  # 31 × 15 ÷ 31
    assert (first.normal_hours, second.normal_hours) == (90, 96)  # 186 × 15 ÷ 31 = 90
    assert (first.overtime_hours, second.overtime_hours) == (15, 16)  # 31 × 15 ÷ 31
    assert (first.amount_paid, second.amount_paid) == (D("483.87"), D("516.13"))  # 1,000 × 15 ÷ 31 = 483.870…
    assert (first.deductions[0].amount, second.deductions[0].amount) == (15, 16)


def test_each_part_is_paid_at_its_own_minimum_wage():
    result = calculate(periods=[JANUARY], rules=[V1, V2], currency="MYR")

    assert [(line.rule_version_id, line.category, line.amount) for line in result.lines] == [
        (1, Category.UNPAID_WAGES, D("810.00")),  # 90 h × 9.00
        (1, Category.UNDERPAYMENT, D("90.00")),  # 90 h × (10 − 9)
        (1, Category.OVERTIME, D("225.00")),  # 15 h × 10 × 1.5
        (1, Category.UNLAWFUL_DEDUCTIONS, D("15.00")),  # 31.00 × 15 ÷ 31
        (2, Category.UNPAID_WAGES, D("864.00")),  # 96 h × 9.00
        (2, Category.UNDERPAYMENT, D("288.00")),  # 96 h × (12 − 9)
        (2, Category.OVERTIME, D("288.00")),  # 16 h × 12 × 1.5
        (2, Category.UNLAWFUL_DEDUCTIONS, D("16.00")),  # 31.00 − 15.00
    ]
    assert result.gross_owed == D("2596.00")  # 1,674 + 378 + 513 + 31
    assert result.total_paid == D("1031.00")  # 1,000.00 received + 31.00 withheld
    assert result.total_owed == D("1565.00")
    assert result.rule_version_ids == (1, 2)


# (weights in days, total, expected shares): cumulative shares in hundredths, the last part takes the rest
SHARES = [
    # 10 h over 10/10/11 days: 10 × 10 ÷ 31 = 3.2258 → 3.23; 10 × 20 ÷ 31 = 6.4516 → 6.45; then 10
    ((10, 10, 11), D(10), [D("3.23"), D("3.22"), D("3.55")]),
    # 100.00 over the same days: 32.258 → 32.26; 64.516 → 64.52; then 100.00
    ((10, 10, 11), D("100.00"), [D("32.26"), D("32.26"), D("35.48")]),
    # 0.01 over 1/1/1 days: 0.0033 → 0.00; 0.0067 → 0.01; then 0.01 — every share within 0.01 of a third
    ((1, 1, 1), D("0.01"), [D("0.00"), D("0.01"), D("0.00")]),
]


@pytest.mark.parametrize(("weights", "total", "expected"), SHARES)
def test_shares_are_cumulative_hundredths_that_add_up_exactly(weights, total, expected):
    rules, start = [], date(2025, 1, 1)
    for k, days in enumerate(weights):  # one version per part, back to back, the last one open
        end = start + timedelta(days=days - 1)
        rules.append(replace(V1, id=k, effective_from=start, effective_to=None if k == len(weights) - 1 else end))
        start = end + timedelta(days=1)
    whole = replace(JANUARY, end=end, days_worked=D(0), normal_hours=total, overtime_hours=0, amount_paid=total)

    parts = split_at_rule_changes(whole, rules)

    assert [part.normal_hours for part in parts] == expected
    assert [part.amount_paid for part in parts] == expected
    assert sum(part.normal_hours for part in parts) == total


def test_a_deduction_share_of_zero_is_left_out():
    # 0.01 over 15 and 16 days: 0.01 × 15 ÷ 31 = 0.0048 → 0.00 (left out), the second part gets 0.01
    cent = replace(JANUARY, deductions=(Deduction("fine", D("0.01"), lawful=False),))

    first, second = split_at_rule_changes(cent, [V1, V2])

    assert first.deductions == ()
    assert second.deductions == (Deduction("fine", D("0.01"), lawful=False),)


def test_a_period_inside_one_version_comes_back_unchanged():
    february = replace(JANUARY, start=date(2025, 2, 1), end=date(2025, 2, 28), days_worked=D(24))

    assert split_at_rule_changes(february, [V1, V2]) == [february]


def test_a_day_without_a_rule_version_cannot_be_split():
    with pytest.raises(CalculationError) as error:
        split_at_rule_changes(JANUARY, [V2])

    assert error.value.errors == {"period": ["No rule version covers 2025-01-01."]}
