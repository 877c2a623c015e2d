"""Estimate mode: the worker's typical hours, rate and pay, month by month, marked as an estimate with its basis.

The rule version: minimum 1,500.00 MYR a month, 48 normal hours a week, so 1,500 × 12 ÷ 52 ÷ 48 = 7.2115384…/hour.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from cases.money.wages import (
    Basis,
    CalculationError,
    Category,
    Estimate,
    ItemKind,
    OneOffItem,
    calculate,
    calculate_estimate,
    estimate_periods,
)

from .conftest import pay_period, rule_version

RULE = rule_version(id="my-2024", minimum_rate=D(1500))
ACCOUNT = Estimate(
    start=date(2025, 1, 1),
    end=date(2025, 3, 31),
    hours_per_day=D(8),
    days_per_week=D(6),
    overtime_hours_per_week=D(7),
    agreed_rate=D(1000),
    agreed_basis=Basis.MONTH,
    paid_per_month=D("800.00"),
    basis_note="The worker's account at intake, confirmed by a co-worker",
)


def test_an_estimate_becomes_one_period_per_calendar_month():
    # January (31 days): days 6 × 31 ÷ 7 = 26.571… → 26.57; hours 8 × 6 × 31 ÷ 7 = 212.571… → 212.57;
    # overtime 7 × 31 ÷ 7 = 31; paid 800.00 × 31 ÷ 31. February (28 days): 24 days, 192 h, 28 h overtime, 800.00.
    january, february, march = estimate_periods(ACCOUNT)

    assert (january.days_worked, january.normal_hours, january.overtime_hours) == (D("26.57"), D("212.57"), 31)
    assert (february.days_worked, february.normal_hours, february.overtime_hours) == (24, 192, 28)
    assert january.amount_paid == february.amount_paid == D("800.00")
    assert (march.start, march.end, march.label) == (date(2025, 3, 1), date(2025, 3, 31), "Estimated 2025-03")


def test_a_part_month_at_either_end_is_counted_by_its_calendar_days():
    # 20–31 January is 12 days: paid 800 × 12 ÷ 31 = 309.677… → 309.68, days 6 × 12 ÷ 7 = 10.285… → 10.29;
    # 1–10 February is 10 days: paid 800 × 10 ÷ 28 = 285.714… → 285.71, days 60 ÷ 7 = 8.571… → 8.57
    short = replace(ACCOUNT, start=date(2025, 1, 20), end=date(2025, 2, 10))

    january, february = estimate_periods(short)

    assert (january.start, january.end, january.amount_paid, january.days_worked) == (
        date(2025, 1, 20),
        date(2025, 1, 31),
        D("309.68"),
        D("10.29"),
    )
    assert (february.start, february.end, february.amount_paid, february.days_worked) == (
        date(2025, 2, 1),
        date(2025, 2, 10),
        D("285.71"),
        D("8.57"),
    )


def test_the_estimate_is_calculated_like_records_and_marked_with_its_basis():
    result = calculate_estimate(estimate=ACCOUNT, rules=[RULE], currency="MYR")

    # each month: wages 1,000.00, top-up 1,500 − 1,000 = 500.00;
    # overtime: January 31 h × 7.2115384… × 1.5 = 335.336… → 335.34; February 28 h → 302.884… → 302.88; March 335.34
    assert result.subtotals[Category.UNPAID_WAGES] == D("3000.00")
    assert result.subtotals[Category.UNDERPAYMENT] == D("1500.00")
    assert result.subtotals[Category.OVERTIME] == D("973.56")
    assert result.gross_owed == D("5473.56")
    assert result.total_paid == D("2400.00")  # 3 × 800.00
    assert result.total_owed == D("3073.56")
    assert result.is_estimate
    assert result.basis_note == "The worker's account at intake, confirmed by a co-worker"
    assert result.notes[0].startswith(
        "Estimate from the worker's account, not from records. Basis: The worker's account at intake, confirmed by a "
        "co-worker. Assumed from 2025-01-01 to 2025-03-31: 8 normal hours a day, 6 days a week, 7 overtime hours a "
        "week, at 1,000.00 MYR/month, 800.00 MYR paid a month."
    )


def test_an_estimate_gives_the_same_lines_as_the_same_months_entered_as_records():
    periods = estimate_periods(ACCOUNT)
    fee = [OneOffItem(ItemKind.RECRUITMENT_FEE, D("2000.00"))]

    estimated = calculate_estimate(estimate=ACCOUNT, items=fee, rules=[RULE], currency="MYR")
    recorded = calculate(periods=periods, items=fee, rules=[RULE], currency="MYR")

    assert estimated.lines == recorded.lines
    assert estimated.total_owed == recorded.total_owed == D("5073.56")  # 3,073.56 + 2,000.00
    assert not recorded.is_estimate
    assert recorded.basis_note == ""


def test_rest_day_hours_a_week_are_optional():
    # 8 rest-day hours a week over February's 28 days = 32 h × 7.2115384… × 2 = 461.538… → 461.54
    february = replace(ACCOUNT, end=date(2025, 2, 28), start=date(2025, 2, 1), rest_day_hours_per_week=D(8))

    result = calculate_estimate(estimate=february, rules=[RULE], currency="MYR")

    assert result.subtotals[Category.REST_HOLIDAY] == D("461.54")
    assert "8 rest-day hours a week" in result.notes[0]


# (case, change to the estimate, field reported)
INVALID = [
    ("no basis written down", {"basis_note": "  "}, "estimate.basis_note"),
    ("more than 7 days a week", {"days_per_week": D(8)}, "estimate.days_per_week"),
    ("more than 24 hours a day", {"hours_per_day": D(25)}, "estimate.hours_per_day"),
    ("a float", {"overtime_hours_per_week": 7.5}, "estimate.overtime_hours_per_week"),
    ("ends before it starts", {"end": date(2024, 12, 31)}, "estimate.end"),
    ("an unknown basis", {"agreed_basis": "fortnight"}, "estimate.agreed_basis"),
    # 12 h × 7 days + 90 h overtime = 174 > 168
    (
        "more hours than a week",
        {"hours_per_day": D(12), "days_per_week": D(7), "overtime_hours_per_week": D(90)},
        "estimate",
    ),
    ("months no rule covers", {"start": date(2023, 12, 1)}, "estimate"),
]


@pytest.mark.parametrize(("change", "field"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_an_unusable_estimate_names_the_field(change, field):
    with pytest.raises(CalculationError) as error:
        calculate_estimate(estimate=replace(ACCOUNT, **change), rules=[RULE], currency="MYR")

    assert list(error.value.errors) == [field]


def test_a_record_period_is_not_an_estimate():
    period = pay_period()  # January 2025 from the records: 26 days, 208 hours at 1,500 a month
    result = calculate(periods=[period], rules=[RULE], currency="MYR")

    assert (result.is_estimate, result.basis_note, result.notes) == (False, "", ())
