"""One pay period under one rule version: wages, the minimum-wage top-up, overtime, rest-day and holiday work.

Every row is worked out by hand in its comment. The rule version: 8 normal hours a day, 48 a week, 6 days a week;
overtime × 1.5, rest day × 2, holiday × 3; minimum wage as the row says.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from cases.money.wages import Basis, Category, PayPeriod, calculate

from .conftest import pay_period, rule_version

RULE = rule_version(id="v1", minimum_basis=Basis.HOUR, source="Employment Act 1955")
WAGES, TOP_UP, OVERTIME, REST = Category.UNPAID_WAGES, Category.UNDERPAYMENT, Category.OVERTIME, Category.REST_HOLIDAY


def period(*, agreed_rate, **fields) -> PayPeriod:
    """January 2025, 26 days and 160 normal hours at an hourly ``agreed_rate``, unless ``fields`` say otherwise."""
    return pay_period(**{"normal_hours": D(160), "agreed_rate": agreed_rate, "agreed_basis": Basis.HOUR} | fields)


# (case, period fields, minimum wage (rate, basis) or None, expected subtotals)
CASES = [
    # 160 h × 10.00 = 1,600.00; overtime 20 h × 10.00 × 1.5 = 300.00
    (
        "hourly, no minimum",
        {"agreed_rate": D(10), "overtime_hours": D(20)},
        None,
        {WAGES: "1600.00", OVERTIME: "300.00"},
    ),
    # 160 × 10.00 = 1,600.00; top-up 160 × (12 − 10) = 320.00; overtime at the higher rate 20 × 12 × 1.5 = 360.00
    (
        "hourly below an hourly minimum",
        {"agreed_rate": D(10), "overtime_hours": D(20)},
        (D(12), Basis.HOUR),
        {WAGES: "1600.00", TOP_UP: "320.00", OVERTIME: "360.00"},
    ),
    # agreed 12 ≥ minimum 10: 160 × 12 = 1,920.00, no top-up; overtime 20 × 12 × 1.5 = 360.00
    (
        "hourly above the minimum",
        {"agreed_rate": D(12), "overtime_hours": D(20)},
        (D(10), Basis.HOUR),
        {WAGES: "1920.00", OVERTIME: "360.00"},
    ),
    # minimum 2,080/month = 2,080 × 12 ÷ 52 ÷ 48 = 10.00/hour, equal to agreed: no top-up; 160 × 10 = 1,600.00
    ("hourly equal to a monthly minimum", {"agreed_rate": D(10)}, (D(2080), Basis.MONTH), {WAGES: "1600.00"}),
    # 26 days × 80.00 = 2,080.00; minimum 12/hour × 8 h/day = 96/day, top-up 26 × 16 = 416.00;
    # overtime: agreed 80 ÷ 8 = 10/hour < 12, so 10 × 12 × 1.5 = 180.00
    (
        "daily below an hourly minimum",
        {"agreed_rate": D(80), "agreed_basis": Basis.DAY, "overtime_hours": D(10)},
        (D(12), Basis.HOUR),
        {WAGES: "2080.00", TOP_UP: "416.00", OVERTIME: "180.00"},
    ),
    # 26 × 70 = 1,820.00; minimum 2,080/month × 12 ÷ 52 ÷ 6 days = 80/day, top-up 26 × 10 = 260.00;
    # overtime: 2,080 × 12 ÷ 52 ÷ 48 = 10/hour > 70 ÷ 8 = 8.75, so 4 × 10 × 1.5 = 60.00
    (
        "daily below a monthly minimum",
        {"agreed_rate": D(70), "agreed_basis": Basis.DAY, "overtime_hours": D(4)},
        (D(2080), Basis.MONTH),
        {WAGES: "1820.00", TOP_UP: "260.00", OVERTIME: "60.00"},
    ),
    # a whole month: 1,500.00; top-up 1,700 − 1,500 = 200.00;
    # overtime 10 × (1,700 × 12 ÷ 2,496 = 8.1730769…) × 1.5 = 122.596… → 122.60
    (
        "monthly below a monthly minimum",
        {"agreed_rate": D(1500), "agreed_basis": Basis.MONTH, "overtime_hours": D(10)},
        (D(1700), Basis.MONTH),
        {WAGES: "1500.00", TOP_UP: "200.00", OVERTIME: "122.60"},
    ),
    # minimum 10/hour × 48 × 52 ÷ 12 = 2,080/month: top-up 80.00; overtime at max(9.615…, 10) = 10: 10 × 10 × 1.5
    (
        "monthly below an hourly minimum",
        {"agreed_rate": D(2000), "agreed_basis": Basis.MONTH, "overtime_hours": D(10)},
        (D(10), Basis.HOUR),
        {WAGES: "2000.00", TOP_UP: "80.00", OVERTIME: "150.00"},
    ),
    # 10–31 January is 22 of 31 days: 1,550 × 22 ÷ 31 = 1,100.00, whatever the hours
    (
        "monthly pay for part of a month",
        {"start": date(2025, 1, 10), "agreed_rate": D(1550), "agreed_basis": Basis.MONTH, "days_worked": D(19)},
        None,
        {WAGES: "1100.00"},
    ),
    # 17 Jan – 14 Feb: 1,550 × 15 ÷ 31 = 750 plus 1,550 × 14 ÷ 28 = 775 → 1,525.00
    (
        "monthly pay across two part months",
        {"end": date(2025, 2, 14), "start": date(2025, 1, 17), "agreed_rate": D(1550), "agreed_basis": Basis.MONTH},
        None,
        {WAGES: "1525.00"},
    ),
    # rest day 16 × 10 × 2 = 320.00 plus holiday 8 × 10 × 3 = 240.00 → 560.00
    (
        "rest-day and holiday work",
        {"agreed_rate": D(10), "rest_day_hours": D(16), "holiday_hours": D(8)},
        None,
        {WAGES: "1600.00", REST: "560.00"},
    ),
    # an agreed rate of 0 (no wage was ever agreed): 160 × 0 = 0.00, top-up 160 × 9.50 = 1,520.00
    ("no agreed wage", {"agreed_rate": D(0)}, (D("9.50"), Basis.HOUR), {WAGES: "0.00", TOP_UP: "1520.00"}),
]


@pytest.mark.parametrize(("fields", "minimum", "expected"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_a_period_is_owed_its_wages_top_up_and_premium_hours(fields, minimum, expected):
    rule = RULE if minimum is None else replace(RULE, minimum_rate=minimum[0], minimum_basis=minimum[1])
    result = calculate(periods=[period(**fields)], rules=[rule], currency="MYR")

    assert result.subtotals == {category: D(expected.get(category, "0.00")) for category in Category}
    assert result.gross_owed == sum(D(amount) for amount in expected.values())
    assert result.rule_version_ids == ("v1",)
    assert {line.rule_version_id for line in result.lines} == {"v1"}


def test_each_line_says_its_formula_in_words():
    rule = replace(RULE, minimum_rate=D(1700), minimum_basis=Basis.MONTH)
    result = calculate(
        periods=[period(agreed_rate=D(1500), agreed_basis=Basis.MONTH, overtime_hours=D(10), label="January")],
        rules=[rule],
        currency="MYR",
    )
    formulas = {line.category: line.formula for line in result.lines}

    assert result.lines[0].label == "January, 2025-01-01 – 2025-01-31: wages at the agreed rate"
    assert formulas[WAGES] == (
        "1 month (2025-01) × 1,500.00 MYR/month (agreed rate); "
        "below the minimum wage 1,700.00 MYR/month (rule v1 from 2024-01-01, Employment Act 1955)"
    )
    assert formulas[TOP_UP] == "1 month (2025-01) × (1,700.00 − 1,500.00) MYR/month, the minimum less the agreed rate"
    assert formulas[OVERTIME] == (
        "10 overtime hours × ≈8.1731 MYR/hour (minimum wage, rule v1 from 2024-01-01, Employment Act 1955; "
        "1,700.00 MYR/month × 12 ÷ 52 ÷ 48 normal hours/week) × 1.5 (overtime multiplier, rule v1)"
    )


def test_an_hourly_formula_names_the_agreed_rate_and_the_minimum_it_was_checked_against():
    rule = replace(RULE, minimum_rate=D(2080), minimum_basis=Basis.MONTH)
    result = calculate(periods=[period(agreed_rate=D(12), overtime_hours=D(2))], rules=[rule], currency="MYR")

    assert [line.formula for line in result.lines] == [
        "160 normal hours × 12.00 MYR/hour (agreed rate); not below the minimum wage 2,080.00 MYR/month "
        "× 12 ÷ 52 ÷ 48 normal hours/week = 10.00 MYR/hour (rule v1 from 2024-01-01, Employment Act 1955)",
        "2 overtime hours × 12.00 MYR/hour (agreed rate) × 1.5 (overtime multiplier, rule v1)",
    ]


def test_a_rule_without_a_minimum_wage_says_so():
    result = calculate(periods=[period(agreed_rate=D(5))], rules=[RULE], currency="MYR")

    assert result.lines[0].formula.endswith("rule v1 from 2024-01-01, Employment Act 1955 sets no minimum wage")


def test_periods_are_listed_in_date_order_whatever_the_input_order():
    february = period(start=date(2025, 2, 1), end=date(2025, 2, 28), agreed_rate=D(10), label="February")
    january = period(agreed_rate=D(10), label="January")

    result = calculate(periods=[february, january], rules=[RULE], currency="MYR")

    assert [line.label.split(",")[0] for line in result.lines] == ["January", "February"]
