"""Inputs the calculator cannot use are refused before anything is calculated, each wrong field named."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from cases.money.wages import (
    CalculationError,
    Deduction,
    ItemKind,
    OneOffItem,
    calculate,
)

from .conftest import pay_period, rule_version

RULE = rule_version(minimum_rate=D(1700))
JANUARY = pay_period(amount_paid=D("1000.00"))  # 26 days, 208 hours at 1,500 a month
FEBRUARY = replace(JANUARY, start=date(2025, 2, 1), end=date(2025, 2, 28), days_worked=D(24))


def inputs(period=None, rule=None, **other):
    return {"periods": [period or JANUARY], "rules": [rule or RULE], "currency": "MYR", **other}


# (case, inputs, field named, message)
CASES = [
    (
        "negative hours",
        inputs(replace(JANUARY, overtime_hours=D(-2))),
        "periods[0].overtime_hours",
        "Must not be negative.",
    ),
    ("end before start", inputs(replace(JANUARY, end=date(2024, 12, 31))), "periods[0].end", "Ends before it starts."),
    (
        "no rule version covering a date",
        inputs(rule=replace(RULE, effective_from=date(2025, 1, 10))),
        "periods[0]",
        "No rule version covers 2025-01-01.",
    ),
    (
        "a rule version in another currency",
        inputs(rule=replace(RULE, currency="THB")),
        "periods[0]",
        "Rule version 1 is in THB; the work is in MYR.",
    ),
    (
        "an unknown agreed basis",
        inputs(replace(JANUARY, agreed_basis="week")),
        "periods[0].agreed_basis",
        "Unknown basis 'week': one of hour, day, month.",
    ),
    (
        "an unknown minimum basis",
        inputs(rule=replace(RULE, minimum_basis="year")),
        "rules[0].minimum_basis",
        "Unknown basis 'year': one of hour, day, month.",
    ),
    (
        "a float",
        inputs(replace(JANUARY, normal_hours=208.0)),
        "periods[0].normal_hours",
        "Must be a Decimal, not float.",
    ),
    (
        "not a number",
        inputs(replace(JANUARY, agreed_rate=D("NaN"))),
        "periods[0].agreed_rate",
        "Must be a finite number.",
    ),
    (
        "more days worked than the period has",
        inputs(replace(JANUARY, days_worked=D(32))),
        "periods[0].days_worked",
        "Must not be more than 31.",
    ),
    (
        "more hours than the period has",
        inputs(replace(JANUARY, normal_hours=D(700), overtime_hours=D(45))),  # 745 > 24 × 31 = 744
        "periods[0]",
        "More hours than the period's 31 days hold (24 a day).",
    ),
    (
        "part of a cent paid",
        inputs(replace(JANUARY, amount_paid=D("1000.005"))),
        "periods[0].amount_paid",
        "MYR has 2 digits after the decimal point; this amount has more.",
    ),
    (
        "part of an hour finer than a hundredth",
        inputs(replace(JANUARY, overtime_hours=D("1.125"))),
        "periods[0].overtime_hours",
        "Must not have more than 2 decimal places.",
    ),
    (
        "a negative deduction",
        inputs(replace(JANUARY, deductions=(Deduction("fine", D(-5), lawful=False),))),
        "periods[0].deductions[0].amount",
        "Must not be negative.",
    ),
    (
        "a currency that is not an ISO code",
        inputs(currency="ringgit"),
        "currency",
        "Must be a three-letter ISO 4217 code, such as MYR.",
    ),
    (
        "a rule version that ends before it starts",
        inputs(rule=replace(RULE, effective_to=date(2023, 1, 1))),
        "rules[0].effective_to",
        "Ends before it starts.",
    ),
    (
        "zero normal hours a week",
        inputs(rule=replace(RULE, normal_hours_per_week=D(0))),
        "rules[0].normal_hours_per_week",
        "Must be more than zero.",
    ),
    (
        "more than 7 normal days a week",
        inputs(rule=replace(RULE, normal_days_per_week=D(8))),
        "rules[0].normal_days_per_week",
        "Must not be more than 7.",
    ),
    (
        "two rule versions on one day",
        {**inputs(), "rules": [RULE, replace(RULE, id=2, effective_from=date(2025, 1, 1))]},
        "rules[1]",
        "Overlaps rules[0] (version 1): one day, one version.",
    ),
    (
        "two periods sharing days",
        {**inputs(), "periods": [FEBRUARY, replace(JANUARY, end=date(2025, 2, 1))]},
        "periods[0]",
        "Shares days with periods[1]; they would be counted twice.",
    ),
    ("an unknown item kind", inputs(items=[OneOffItem("bonus", D(5))]), "items[0].kind", None),
    (
        "a negative item",
        inputs(items=[OneOffItem(ItemKind.NOTICE_PAY, D("-1.00"))]),
        "items[0].amount",
        "Must not be negative.",
    ),
]


@pytest.mark.parametrize(("arguments", "field", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_wrong_input_is_named_with_its_field(arguments, field, message):
    with pytest.raises(CalculationError) as error:
        calculate(**arguments)

    assert list(error.value.errors) == [field]
    assert error.value.field == field
    if message is not None:
        assert error.value.errors[field] == [message]


def test_every_wrong_field_is_reported_at_once():
    broken = replace(JANUARY, normal_hours=D(-1), agreed_basis="week", amount_paid=1000.0)

    with pytest.raises(CalculationError) as error:
        calculate(periods=[broken], items=[OneOffItem(ItemKind.OTHER, D("0.001"))], rules=[RULE], currency="MYR")

    assert list(error.value.errors) == [
        "periods[0].normal_hours",
        "periods[0].agreed_basis",
        "periods[0].amount_paid",
        "items[0].amount",
    ]
    assert isinstance(error.value, ValueError)
    assert str(error.value).startswith("periods[0].normal_hours: Must not be negative.; periods[0].agreed_basis:")


def test_a_broken_rule_version_is_reported_before_the_periods_that_use_it():
    with pytest.raises(CalculationError) as error:
        calculate(
            periods=[replace(JANUARY, normal_hours=D(-1))],
            rules=[replace(RULE, overtime_multiplier=D(0))],
            currency="MYR",
        )

    assert list(error.value.errors) == ["rules[0].overtime_multiplier"]


def test_enum_values_given_as_plain_strings_are_accepted():
    result = calculate(
        periods=[replace(JANUARY, agreed_basis="month")],
        items=[OneOffItem("gratuity", D(1))],
        rules=[replace(RULE, minimum_basis="month")],
        currency="MYR",
    )

    assert result.total_owed == D("701.00")  # 1,500 + top-up 200 + gratuity 1 − paid 1,000
