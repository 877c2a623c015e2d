"""The calculator works to the currency's minor unit: three decimals for KWD (fils), none for JPY, two otherwise.

ISO 4217's exponent, from ``cases.money.currency_digits`` (the table the ledger reads too). ``money`` rounds half up to
it, every line is rounded to it once, money inputs may not be finer than it, and splitting a period or expanding an
estimate shares money out in it (hours and days stay in hundredths).
"""

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.money import currencies, currency_digits
from cases.money.wages import (
    Basis,
    CalculationError,
    Category,
    Deduction,
    Estimate,
    ItemKind,
    OneOffItem,
    PayPeriod,
    Result,
    calculate,
    calculate_estimate,
    estimate_periods,
    money,
    rounding_statement,
    split_at_rule_changes,
)

from .conftest import pay_period, rule_version

ROOT = Path(__file__).resolve().parents[3]


KWD = rule_version(currency="KWD")
JPY = rule_version(
    currency="JPY", normal_hours_per_week=D(40), normal_days_per_week=D(5), overtime_multiplier=D("1.25")
)


def hours(rate, basis=Basis.HOUR, **values) -> PayPeriod:
    """One day in January 2025 with half an hour of normal work, unless told otherwise."""
    fields = {"start": date(2025, 1, 6), "end": date(2025, 1, 6), "days_worked": D(1), "normal_hours": D("0.5")}
    return pay_period(**fields | values, agreed_rate=D(rate), agreed_basis=basis)


def january(rate, **values) -> PayPeriod:
    """January 2025 in full (26 days, 208 normal hours) at ``rate`` a month, unless told otherwise."""
    return pay_period(**values, agreed_rate=D(rate), agreed_basis=Basis.MONTH)


# --- the table ---------------------------------------------------------------------------------------------------


def test_the_table_gives_iso_4217_exponents():
    assert [currency_digits.minor_digits(code) for code in ("KWD", "BHD", "OMR", "JOD")] == [3, 3, 3, 3]
    assert [currency_digits.minor_digits(code) for code in ("JPY", "KRW", "VND", "CLP", "UGX")] == [0, 0, 0, 0, 0]
    assert [currency_digits.minor_digits(code) for code in ("MYR", "THB", "AED", "USD", "XTS")] == [2, 2, 2, 2, 2]
    assert currency_digits.minor_digits(None) == 2


def test_the_ledger_and_the_calculator_read_the_same_table():
    assert all(info.exponent == currency_digits.minor_digits(code) for code, info in currencies.CURRENCIES.items())
    assert {code for code, info in currencies.CURRENCIES.items() if info.exponent != 2} == {
        "BHD",
        "KWD",
        "OMR",
        "JOD",
        "JPY",
        "KRW",
        "VND",
        "CLP",
        "UGX",
    }


def test_the_calculator_and_its_table_stay_pure():
    # cases.money.currencies imports django.utils; the calculator must not, even indirectly.
    code = "import sys, cases.money.wages; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


# --- money() -----------------------------------------------------------------------------------------------------

# (value, digits, half up) — the rows marked * are where half-to-even would differ
MONEY = [
    (D("0.0005"), 3, "0.001"),  # * half-even: 0.000
    (D("0.0004"), 3, "0.000"),
    (D("0.0025"), 3, "0.003"),  # * half-even: 0.002
    (D("1.23449"), 3, "1.234"),
    (D("12.3455"), 3, "12.346"),
    (D("7"), 3, "7.000"),
    (D("-0.0005"), 3, "-0.001"),  # away from zero
    (D("0.5"), 0, "1"),  # * half-even: 0
    (D("2.5"), 0, "3"),  # * half-even: 2
    (D("1.49"), 0, "1"),
    (D("1499.5"), 0, "1500"),
    (D("1500.000"), 0, "1500"),
    (1500, 0, "1500"),
    (D("-0.5"), 0, "-1"),
    (D("0.005"), 2, "0.01"),  # the default unit, unchanged
]


@pytest.mark.parametrize(("value", "digits", "rounded"), MONEY)
def test_money_rounds_half_up_to_the_minor_unit(value, digits, rounded):
    assert str(money(value, digits)) == rounded


def test_money_rounds_to_hundredths_by_default():
    assert str(money(D("0.0005"))) == "0.00"
    assert str(money(D("2.5"))) == "2.50"


@pytest.mark.parametrize(("digits", "error"), [(-1, ValueError), (1.0, TypeError), (True, TypeError), ("3", TypeError)])
def test_money_refuses_a_unit_that_is_not_a_whole_number_of_digits(digits, error):
    with pytest.raises(error):
        money(D(1), digits)


# --- KWD: three decimals -----------------------------------------------------------------------------------------


def test_a_half_fils_line_rounds_up_to_the_fils():
    # 0.5 h × 1.001 KWD = 0.5005 → 0.501 (to the cent it would be 0.50); two such lines make 1.002, not 1.001
    periods = [hours("1.001"), hours("1.001", start=date(2025, 1, 7), end=date(2025, 1, 7))]

    result = calculate(periods=periods, rules=[KWD], currency="KWD")

    assert [str(line.amount) for line in result.lines] == ["0.501", "0.501"]
    assert str(result.gross_owed) == str(result.total_owed) == "1.002"
    assert result.minor_digits == 3


def test_a_kwd_month_is_calculated_to_the_fils():
    # wages: 1 month × 250.000 = 250.000 overtime: 250 × 12 ÷ 52 ÷ 48 = 1.2019230…/hour × 10 h × 1.5 = 18.0288461… →
    # 18.029 unlawful deduction 12.345 added back; gross 250.000 + 18.029 + 12.345 = 280.374 paid 200.000 received +
    # 12.345 withheld = 212.345; owed 280.374 − 212.345 = 68.029
    period = january(
        250, overtime_hours=D(10), amount_paid=D("200.000"), deductions=(Deduction("housing", D("12.345"), False),)
    )

    result = calculate(periods=[period], rules=[KWD], currency="KWD")

    assert [str(line.amount) for line in result.lines] == ["250.000", "18.029", "12.345"]
    assert "1 month (2025-01) × 250.000 KWD/month (agreed rate)" in result.lines[0].formula
    assert "≈1.2019 KWD/hour" in result.lines[1].formula
    assert result.lines[2].formula.startswith("12.345 KWD deducted unlawfully")
    assert (str(result.gross_owed), str(result.total_paid), str(result.total_owed)) == ("280.374", "212.345", "68.029")
    assert str(result.subtotals[Category.FEES]) == "0.000"


def test_a_kwd_rate_with_fils_is_written_with_them():
    # 8 h × 0.125 KWD = 1.000; the formula writes the rate as given, with three decimals
    result = calculate(periods=[hours("0.125", normal_hours=D(8))], rules=[KWD], currency="KWD")

    assert result.lines[0].amount == D("1.000")
    assert "8 normal hours × 0.125 KWD/hour (agreed rate)" in result.lines[0].formula


def test_the_rounding_statement_names_the_fils():
    result = calculate(periods=[hours("1.001")], rules=[KWD], currency="KWD")

    assert result.rounding == rounding_statement("KWD", 3)
    assert result.rounding.startswith("Each line is rounded once, to 0.001 KWD, half up (0.0005 → 0.001).")
    assert "its amounts to 0.001 KWD" in result.rounding


# --- JPY: no decimals --------------------------------------------------------------------------------------------


def test_a_half_yen_line_rounds_up_to_the_yen():
    # 0.5 h × 1,001 JPY = 500.5 → 501
    result = calculate(periods=[hours(1001)], rules=[JPY], currency="JPY")

    assert str(result.lines[0].amount) == "501"
    assert result.minor_digits == 0


def test_a_jpy_month_is_calculated_in_whole_yen():
    # wages: 1 month × 200,000 = 200,000 overtime: 200,000 × 12 ÷ 52 ÷ 40 = 1,153.846153…/hour × 10 h × 1.25 =
    # 14,423.0769… → 14,423 recruitment fee 350,000; gross 564,423; paid 180,000; owed 384,423
    period = january(200000, overtime_hours=D(10), amount_paid=D(180000))
    fee = OneOffItem(ItemKind.RECRUITMENT_FEE, D(350000), "agency in Hanoi")

    result = calculate(periods=[period], items=[fee], rules=[JPY], currency="JPY")

    assert [str(line.amount) for line in result.lines] == ["200000", "14423", "350000"]
    assert "1 month (2025-01) × 200,000 JPY/month (agreed rate)" in result.lines[0].formula
    assert "≈1,153.8462 JPY/hour" in result.lines[1].formula
    assert result.lines[2].formula == "350,000 JPY: recruitment fee paid by the worker, the amount as entered"
    assert (str(result.gross_owed), str(result.total_paid), str(result.total_owed)) == ("564423", "180000", "384423")
    assert str(result.subtotals[Category.OTHER]) == "0"


def test_an_overpayment_in_yen_is_said_in_whole_yen():
    # 8 h × 1,000 = 8,000 due, 10,000 paid
    result = calculate(periods=[hours(1000, normal_hours=D(8), amount_paid=D(10000))], rules=[JPY], currency="JPY")

    assert result.overpaid
    assert result.notes == (
        "Paid 10,000 JPY against 8,000 JPY due: on these figures the worker was overpaid by 2,000 JPY and nothing "
        "is owed.",
    )


def test_the_rounding_statement_names_whole_yen():
    result = calculate(periods=[hours(1001)], rules=[JPY], currency="JPY")

    assert result.rounding.startswith("Each line is rounded once, to whole JPY, half up (0.5 → 1).")
    assert "its amounts to whole JPY" in result.rounding


def test_amounts_read_from_a_three_decimal_column_count_as_whole_yen():
    # the database holds every amount with three decimals: 180000.000 is a whole number of yen
    period = january(D("200000.000"), amount_paid=D("180000.000"))

    result = calculate(periods=[period], rules=[JPY], currency="JPY")

    assert (str(result.total_received), str(result.total_owed)) == ("180000", "20000")


# --- the unit can be given ---------------------------------------------------------------------------------------


def test_minor_digits_can_be_given_and_none_looks_it_up():
    given = calculate(periods=[hours("1.001")], rules=[rule_version(currency="MYR")], currency="MYR", minor_digits=3)
    looked_up = calculate(periods=[hours("1.001")], rules=[KWD], currency="KWD", minor_digits=None)

    assert given.lines[0].amount == looked_up.lines[0].amount == D("0.501")
    assert given.rounding.startswith("Each line is rounded once, to 0.001 MYR")


def test_a_code_not_in_the_table_has_two_digits():
    result = calculate(periods=[hours("1.001")], rules=[rule_version(currency="XTS")], currency="XTS")

    assert str(result.lines[0].amount) == "0.50"


@pytest.mark.parametrize("digits", [-1, 5, True, D(2)])
def test_a_broken_unit_is_refused(digits):
    with pytest.raises(CalculationError) as error:
        calculate(periods=[hours(10)], rules=[rule_version(currency="MYR")], currency="MYR", minor_digits=digits)

    assert list(error.value.errors) == ["minor_digits"]


# --- inputs finer than the unit ----------------------------------------------------------------------------------

KWD_MORE = "KWD has 3 digits after the decimal point; this amount has more."
JPY_WHOLE = "JPY has no smaller unit: enter a whole number."
REFUSED = [
    ("fils and a half paid", "KWD", hours(1, amount_paid=D("100.0005")), (), "periods[0].amount_paid", KWD_MORE),
    (
        "a deduction finer than a fils",
        "KWD",
        hours(1, deductions=(Deduction("levy", D("0.0001"), False),)),
        (),
        "periods[0].deductions[0].amount",
        KWD_MORE,
    ),
    ("half a yen paid", "JPY", hours(1000, amount_paid=D("1000.5")), (), "periods[0].amount_paid", JPY_WHOLE),
    (
        "a yen deduction with sen",
        "JPY",
        hours(1000, deductions=(Deduction("dorm", D("10.50"), True),)),
        (),
        "periods[0].deductions[0].amount",
        JPY_WHOLE,
    ),
    ("an item with sen", "JPY", hours(1000), (OneOffItem(ItemKind.OTHER, D("0.5")),), "items[0].amount", JPY_WHOLE),
    # hours stay in hundredths whatever the currency
    (
        "hours finer than a hundredth",
        "KWD",
        hours(1, overtime_hours=D("1.125")),
        (),
        "periods[0].overtime_hours",
        "Must not have more than 2 decimal places.",
    ),
]


@pytest.mark.parametrize(
    ("currency", "period", "items", "field", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_money_finer_than_the_minor_unit_is_refused_naming_the_currency(currency, period, items, field, message):
    with pytest.raises(CalculationError) as error:
        calculate(periods=[period], items=items, rules=[KWD if currency == "KWD" else JPY], currency=currency)

    assert error.value.errors == {field: [message]}


def test_three_decimals_are_fine_in_kwd_and_whole_numbers_with_zeros_in_jpy():
    kwd = calculate(periods=[hours(1, amount_paid=D("0.125"))], rules=[KWD], currency="KWD")
    jpy = calculate(periods=[hours(1000, amount_paid=D("500.0"))], rules=[JPY], currency="JPY")

    assert (str(kwd.total_received), str(jpy.total_received)) == ("0.125", "500")


# --- splitting and estimates share money in the unit ----------------------------------------------------------

CHANGE = date(2025, 1, 11)  # 10 days under the first version, 21 under the second


@pytest.mark.parametrize(
    ("currency", "paid", "shares"),
    [
        ("KWD", D("100.001"), ["32.258", "67.743"]),  # 100.001 × 10 ÷ 31 = 32.2583… → 32.258; the rest
        ("JPY", D(100001), ["32258", "67743"]),  # 100,001 × 10 ÷ 31 = 32,258.39 → 32,258; the rest
        ("MYR", D("100.01"), ["32.26", "67.75"]),  # 100.01 × 10 ÷ 31 = 32.261… → 32.26; the rest
    ],
)
def test_a_split_shares_money_in_the_minor_unit_and_hours_in_hundredths(currency, paid, shares):
    rules = [
        rule_version(currency=currency, effective_to=CHANGE - timedelta(days=1)),
        rule_version(currency=currency, id=2, effective_from=CHANGE),
    ]
    period = january(1000, amount_paid=paid, deductions=(Deduction("housing", paid, False),))
    digits = currency_digits.minor_digits(currency)

    first, second = split_at_rule_changes(period, rules, minor_digits=digits)

    assert [str(first.amount_paid), str(second.amount_paid)] == shares
    assert [str(first.deductions[0].amount), str(second.deductions[0].amount)] == shares
    assert (first.normal_hours, second.normal_hours) == (D("67.10"), D("140.90"))  # 208 × 10 ÷ 31 = 67.096…
    result = calculate(periods=[period], rules=rules, currency=currency)
    assert result.total_received == paid
    assert [str(line.amount) for line in result.lines if line.category == Category.UNLAWFUL_DEDUCTIONS] == shares


@pytest.mark.parametrize(
    ("currency", "paid", "january_paid", "february_paid"),
    [
        ("JPY", D(200000), "200000", "71429"),  # 200,000 × 10 ÷ 28 = 71,428.57 → 71,429
        ("KWD", D("150.125"), "150.125", "53.616"),  # 150.125 × 10 ÷ 28 = 53.6160… → 53.616
    ],
)
def test_an_estimate_shares_the_monthly_pay_in_the_minor_unit(currency, paid, january_paid, february_paid):
    estimate = Estimate(
        start=date(2025, 1, 1),
        end=date(2025, 2, 10),
        hours_per_day=D(8),
        days_per_week=D(6),
        overtime_hours_per_week=D(0),
        agreed_rate=paid,
        agreed_basis=Basis.MONTH,
        paid_per_month=paid,
        basis_note="The worker's account",
    )

    periods = estimate_periods(estimate, minor_digits=currency_digits.minor_digits(currency))
    result = calculate_estimate(estimate=estimate, rules=[rule_version(currency=currency)], currency=currency)

    assert [str(period.amount_paid) for period in periods] == [january_paid, february_paid]
    assert periods[1].days_worked == D("8.57")  # 6 × 10 ÷ 7, in hundredths whatever the currency
    assert result.total_received == D(january_paid) + D(february_paid)
    assert result.notes[0].endswith(f"the days in the month, to {'whole JPY' if currency == 'JPY' else '0.001 KWD'}.")


def test_an_estimate_paid_in_part_yen_is_refused():
    estimate = Estimate(
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        hours_per_day=D(8),
        days_per_week=D(6),
        overtime_hours_per_week=D(0),
        agreed_rate=D(200000),
        agreed_basis=Basis.MONTH,
        paid_per_month=D("150000.5"),
        basis_note="The worker's account",
    )

    with pytest.raises(CalculationError) as error:
        calculate_estimate(estimate=estimate, rules=[JPY], currency="JPY")

    assert error.value.errors == {"estimate.paid_per_month": [JPY_WHOLE]}


# --- snapshots -----------------------------------------------------------------------------------------------------


def test_a_snapshot_keeps_its_unit_and_reads_back_equal():
    result = calculate(periods=[january(250, amount_paid=D("99.999"))], rules=[KWD], currency="KWD")

    stored = json.loads(json.dumps(result.as_dict()))

    assert stored["minor_digits"] == 3
    assert (stored["lines"][0]["amount"], stored["total_owed"]) == ("250.000", "150.001")
    assert Result.from_dict(stored) == result


def test_a_snapshot_stored_before_the_unit_was_recorded_reads_as_hundredths():
    stored = calculate(periods=[january(1500)], rules=[rule_version(currency="MYR")], currency="MYR").as_dict()
    del stored["minor_digits"]

    old = Result.from_dict(stored)

    assert old.minor_digits == 2
    assert old.total_owed == D("1500.00")


# --- properties ----------------------------------------------------------------------------------------------------

SETTINGS = settings(database=None, deadline=None, max_examples=100)
DAY = timedelta(days=1)


def amounts(digits: int, maximum: int) -> st.SearchStrategy[D]:
    """Non-negative amounts with at most ``digits`` decimals (2 for hours and days)."""
    return st.decimals(min_value=0, max_value=maximum, places=digits, allow_nan=False, allow_infinity=False)


@st.composite
def claims(draw):
    """One currency of three, a period under two rule versions, money in the currency's minor unit."""
    currency = draw(st.sampled_from(["KWD", "JPY", "MYR"]))
    digits = currency_digits.minor_digits(currency)
    change = date(2024, 1, 1) + draw(st.integers(1, 120)) * DAY
    rules = [
        rule_version(currency=currency, effective_to=change - DAY, minimum_rate=draw(st.none() | amounts(3, 3000))),
        rule_version(
            currency=currency, id=2, effective_from=change, overtime_multiplier=draw(st.sampled_from([D(1), D("1.25")]))
        ),
    ]
    start = date(2024, 1, 1) + draw(st.integers(0, 100)) * DAY
    end = start + draw(st.integers(0, 60)) * DAY
    days = (end - start).days + 1
    period = PayPeriod(
        start=start,
        end=end,
        days_worked=draw(amounts(2, days)),
        normal_hours=draw(amounts(2, 8 * days)),
        overtime_hours=draw(amounts(2, 4 * days)),
        holiday_hours=draw(amounts(2, 2 * days)),
        agreed_rate=draw(amounts(4, 300000)),
        agreed_basis=draw(st.sampled_from(Basis)),
        amount_paid=draw(amounts(digits, 500000)),
        deductions=tuple(
            Deduction(f"d{i}", draw(amounts(digits, 9000)), draw(st.booleans())) for i in range(draw(st.integers(0, 2)))
        ),
    )
    items = draw(
        st.lists(st.builds(OneOffItem, kind=st.sampled_from(ItemKind), amount=amounts(digits, 9000)), max_size=2)
    )
    return {"periods": [period], "items": items, "rules": rules, "currency": currency}, digits


@SETTINGS
@given(claims())
def test_every_amount_of_a_result_is_in_the_minor_unit_and_the_totals_add_up(claim):
    arguments, digits = claim

    result = calculate(**arguments)

    assert result.minor_digits == digits
    figures = [line.amount for line in result.lines] + list(result.subtotals.values())
    figures += [result.gross_owed, result.total_paid, result.total_owed, result.total_received, result.total_withheld]
    assert all(figure.as_tuple().exponent == -digits for figure in figures)
    assert all(line.amount == money(line.amount, digits) >= 0 for line in result.lines)
    assert result.total_owed == result.gross_owed - result.total_paid
    assert result.gross_owed == sum(line.amount for line in result.lines) == sum(result.subtotals.values())
    assert Result.from_dict(json.loads(json.dumps(result.as_dict()))) == result


@SETTINGS
@given(claims(), st.integers(1, 60))
def test_cutting_a_period_in_two_moves_the_total_by_at_most_five_minor_units(claim, cut_after):
    # The two parts of a split, calculated under one version, against the whole: received and withheld stay exact;
    # each of the five rate-derived lines (wages, top-up, overtime, rest-day, holiday) may move by one minor unit.
    arguments, digits = claim
    (period,) = arguments["periods"]
    currency, days = arguments["currency"], (period.end - period.start).days + 1
    cut = period.start + min(cut_after, max(days - 1, 1)) * DAY
    if cut > period.end:
        return
    at_the_cut = [
        rule_version(currency=currency, effective_to=cut - DAY),
        rule_version(currency=currency, id=2, effective_from=cut),
    ]
    parts = split_at_rule_changes(period, at_the_cut, minor_digits=digits)
    one_version = [replace(arguments["rules"][0], effective_to=None)]

    whole = calculate(periods=[period], rules=one_version, currency=currency)
    split = calculate(periods=parts, rules=one_version, currency=currency)

    assert (split.total_received, split.total_withheld) == (whole.total_received, whole.total_withheld)
    assert abs(split.total_owed - whole.total_owed) <= 5 * D(1).scaleb(-digits)
