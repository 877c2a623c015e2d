"""Properties of the calculation for any valid inputs (hypothesis).

* total_owed = gross_owed − total_paid, and gross_owed = the sum of the lines = the sum of the subtotals.
* Splitting a period at any day inside one rule version, with its hours, days, pay and deductions split so that they
  add up, leaves what was received and withheld and every deduction subtotal exactly as they were; each rate-derived
  line kind (wages, top-up, overtime, rest-day, holiday) can move by at most 0.01, because its two parts are rounded
  separately (|money(a) + money(b) − money(a + b)| is a multiple of 0.01 below 0.015), so REST_HOLIDAY (two kinds)
  by at most 0.02 and the total by at most 0.05. When every line comes to whole cents, nothing moves at all.
* ``split_at_rule_changes`` keeps every total exactly and each share within 0.01 of its share by calendar days.
* ``Result.as_dict`` survives JSON and ``Result.from_dict`` gives back an equal result.
"""

import json
from datetime import date, timedelta
from decimal import Decimal as D
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from cases.money.wages import (
    Basis,
    Category,
    Deduction,
    ItemKind,
    OneOffItem,
    PayPeriod,
    Result,
    calculate,
    money,
    split_at_rule_changes,
)

from .conftest import rule_version

# No example database: it would leave a .hypothesis folder in the project.
SETTINGS = settings(database=None, deadline=None, max_examples=150)
DAY = timedelta(days=1)
MULTIPLIERS = st.sampled_from([D(1), D("1.25"), D("1.5"), D(2), D(3)])
QUANTITIES = ("days_worked", "normal_hours", "overtime_hours", "rest_day_hours", "holiday_hours", "amount_paid")


def cents(maximum) -> st.SearchStrategy[D]:
    return st.decimals(min_value=0, max_value=maximum, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def rule_versions(draw, id, start, end=None, *, hourly_minimum_in_whole_units=False):
    if hourly_minimum_in_whole_units:
        minimum, minimum_basis = draw(st.none() | st.integers(0, 60).map(D)), Basis.HOUR
    else:
        minimum = draw(st.none() | st.decimals(min_value=0, max_value=4000, places=3))
        minimum_basis = draw(st.sampled_from(Basis))
    return rule_version(
        id=id,
        effective_from=start,
        effective_to=end,
        currency="MYR",
        minimum_rate=minimum,
        minimum_basis=minimum_basis,
        normal_hours_per_day=draw(st.sampled_from([D(8), D("7.5"), D(9)])),
        normal_hours_per_week=draw(st.sampled_from([D(40), D(44), D("45.5"), D(48)])),
        normal_days_per_week=draw(st.sampled_from([D(5), D("5.5"), D(6)])),
        overtime_multiplier=draw(MULTIPLIERS),
        rest_day_multiplier=draw(MULTIPLIERS),
        holiday_multiplier=draw(MULTIPLIERS),
        source="test",
    )


@st.composite
def quantities(draw, start, end, *, whole=False):
    """Days, hours and pay that fit ``start``–``end``: at most 8 normal and 4 of each other kind of hour a day."""
    days = (end - start).days + 1
    hours = (lambda most: st.integers(0, most).map(D)) if whole else cents
    return {
        "start": start,
        "end": end,
        "days_worked": draw(cents(days)),
        "normal_hours": draw(hours(8 * days)),
        "overtime_hours": draw(hours(4 * days)),
        "rest_day_hours": draw(hours(4 * days)),
        "holiday_hours": draw(hours(4 * days)),
        "amount_paid": draw(cents(30 * days)),
    }


DEDUCTIONS = st.lists(
    st.builds(
        Deduction, description=st.sampled_from(["housing", "food", "levy"]), amount=cents(500), lawful=st.booleans()
    ),
    max_size=3,
).map(tuple)
AGREED = st.tuples(st.decimals(min_value=0, max_value=4000, places=4), st.sampled_from(Basis))


@st.composite
def claims(draw):
    """Up to five periods, gaps allowed, under two rule versions that change on a random day."""
    change = date(2024, 1, 1) + draw(st.integers(1, 400)) * DAY
    rules = [draw(rule_versions(1, date(2024, 1, 1), change - DAY)), draw(rule_versions("v2", change))]
    start, periods = date(2024, 1, 1) + draw(st.integers(0, 300)) * DAY, []
    for length in draw(st.lists(st.integers(1, 70), max_size=5)):
        end = start + (length - 1) * DAY
        rate, basis = draw(AGREED)
        fields = draw(quantities(start, end))
        periods.append(PayPeriod(**fields, agreed_rate=rate, agreed_basis=basis, deductions=draw(DEDUCTIONS)))
        start = end + draw(st.integers(1, 20)) * DAY
    items = draw(st.lists(st.builds(OneOffItem, kind=st.sampled_from(ItemKind), amount=cents(9000)), max_size=3))
    return {"periods": periods, "items": items, "rules": rules, "currency": "MYR"}


@SETTINGS
@given(claims())
def test_the_total_is_gross_less_paid_and_gross_is_the_sum_of_lines_and_of_subtotals(claim):
    result = calculate(**claim)

    assert result.total_owed == result.gross_owed - result.total_paid
    assert result.gross_owed == sum(line.amount for line in result.lines) == sum(result.subtotals.values())
    assert result.total_paid == result.total_received + result.total_withheld
    assert result.total_received == sum(period.amount_paid for period in claim["periods"])
    assert list(result.subtotals) == list(Category)
    assert all(line.amount == money(line.amount) >= 0 for line in result.lines)
    assert result.overpaid == (result.total_owed < 0) == bool(result.notes)


@st.composite
def cut_periods(draw, *, whole_cents=False):
    """(rule, a period inside it, the same period cut at a random day into two that add up to it)."""
    rule = draw(rule_versions(1, date(2024, 1, 1), hourly_minimum_in_whole_units=whole_cents))
    start = date(2024, 1, 1) + draw(st.integers(0, 500)) * DAY
    length = draw(st.integers(2, 90))
    cut = start + draw(st.integers(1, length - 1)) * DAY
    end = start + (length - 1) * DAY
    rate, basis = (draw(st.integers(0, 60).map(D)), Basis.HOUR) if whole_cents else draw(AGREED)
    lawful = draw(st.lists(st.booleans(), max_size=3))
    parts = []
    for first, last in ((start, cut - DAY), (cut, end)):
        deductions = tuple(Deduction(f"d{i}", draw(cents(500)), kind) for i, kind in enumerate(lawful))
        fields = draw(quantities(first, last, whole=whole_cents))
        parts.append(PayPeriod(**fields, agreed_rate=rate, agreed_basis=basis, deductions=deductions))
    sums = {name: getattr(parts[0], name) + getattr(parts[1], name) for name in QUANTITIES}
    deductions = tuple(
        Deduction(one.description, one.amount + two.amount, one.lawful)
        for one, two in zip(parts[0].deductions, parts[1].deductions, strict=True)
    )
    whole = PayPeriod(
        **sums | {"start": start, "end": end}, agreed_rate=rate, agreed_basis=basis, deductions=deductions
    )
    return rule, whole, parts


# How far each subtotal may move when one period becomes two: 0.01 per rate-derived line kind in it.
BOUND = dict.fromkeys(Category, D(0)) | {
    Category.UNPAID_WAGES: D("0.01"),
    Category.UNDERPAYMENT: D("0.01"),
    Category.OVERTIME: D("0.01"),
    Category.REST_HOLIDAY: D("0.02"),  # rest-day and holiday lines
}


@SETTINGS
@given(cut_periods())
def test_cutting_a_period_inside_one_version_moves_each_subtotal_by_at_most_its_rounding_bound(case):
    rule, whole, parts = case

    one = calculate(periods=[whole], rules=[rule], currency="MYR")
    two = calculate(periods=parts, rules=[rule], currency="MYR")

    assert (two.total_received, two.total_withheld) == (one.total_received, one.total_withheld)
    for category in Category:
        assert abs(two.subtotals[category] - one.subtotals[category]) <= BOUND[category], category
    assert abs(two.total_owed - one.total_owed) <= sum(BOUND.values()) == D("0.05")


@SETTINGS
@given(cut_periods(whole_cents=True))
def test_cutting_a_period_changes_nothing_when_every_line_is_whole_cents(case):
    # Hourly rates and minimums in whole units, whole hours, multipliers of at most two decimals: every line is
    # exact in cents, so no line is rounded and the two calculations agree to the cent.
    rule, whole, parts = case

    one = calculate(periods=[whole], rules=[rule], currency="MYR")
    two = calculate(periods=parts, rules=[rule], currency="MYR")

    assert two.subtotals == one.subtotals
    assert (two.gross_owed, two.total_paid, two.total_owed) == (one.gross_owed, one.total_paid, one.total_owed)


@st.composite
def spanning(draw):
    """A period across one to five rule versions that meet at random days."""
    start = date(2024, 1, 1) + draw(st.integers(0, 60)) * DAY
    length = draw(st.integers(1, 150))
    end = start + (length - 1) * DAY
    offsets = sorted(set(draw(st.lists(st.integers(1, length - 1), max_size=4)))) if length > 1 else []
    starts = [date(2024, 1, 1)] + [start + offset * DAY for offset in offsets]
    rules = [
        draw(rule_versions(k, first, None if k == len(starts) - 1 else starts[k + 1] - DAY))
        for k, first in enumerate(starts)
    ]
    deductions = tuple(
        Deduction(f"d{i}", draw(cents(999)), draw(st.booleans())) for i in range(draw(st.integers(0, 3)))
    )
    period = PayPeriod(
        **draw(quantities(start, end)), agreed_rate=D(10), agreed_basis=Basis.HOUR, deductions=deductions
    )
    return period, rules


@SETTINGS
@given(spanning())
def test_split_at_rule_changes_keeps_every_total_and_shares_by_calendar_days(case):
    period, rules = case

    parts = split_at_rule_changes(period, rules)

    assert len(parts) == len(rules)
    assert (parts[0].start, parts[-1].end) == (period.start, period.end)
    assert all(one.end + DAY == two.start for one, two in pairwise(parts))
    assert all(rule.covers(part.start) and rule.covers(part.end) for part, rule in zip(parts, rules, strict=True))
    days = (period.end - period.start).days + 1
    for name, total in amounts(period).items():
        shares = [amounts(part).get(name, D(0)) for part in parts]
        assert sum(shares) == total, name
        for part, share in zip(parts, shares, strict=True):
            exact = total * ((part.end - part.start).days + 1) / days
            assert share >= 0 and abs(share - exact) <= D("0.01"), (name, share, exact)


def amounts(period: PayPeriod) -> dict[str, D]:
    """Every quantity a split shares out, deductions by their (unique) description."""
    return {name: getattr(period, name) for name in QUANTITIES} | {d.description: d.amount for d in period.deductions}


@SETTINGS
@given(claims())
def test_a_result_survives_json_and_reads_back_equal(claim):
    result = calculate(**claim)

    stored = json.loads(json.dumps(result.as_dict()))

    assert Result.from_dict(stored) == result
