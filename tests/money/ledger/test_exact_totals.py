"""Totals are exact on every database: SQL sums of integer minor units equal Python Decimal sums to the last digit."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from itertools import cycle

import pytest
from django.db import connection
from django.db.models import Sum

from cases.models import EntryKind, ExchangeRate, LedgerEntry, Route
from cases.money import currencies
from cases.money.services.ledger import ledger_reverse, ledger_totals

from .conftest import DAY, RATES

pytestmark = pytest.mark.django_db

AWKWARD = {
    "MYR": ["0.01", "0.10", "33.33", "1234567.89", "0.07", "99999.99", "0.03", "10.10"],
    "KWD": ["0.001", "12.345", "0.333", "7654.321"],
    "JPY": ["1", "333", "999999", "7"],
}
FIGURE = {
    EntryKind.CLAIMED: "claimed",
    EntryKind.AWARDED: "awarded",
    EntryKind.SETTLED: "awarded",
    EntryKind.PAID: "paid",
    EntryKind.DISBURSED: "disbursed",
    EntryKind.WRITTEN_OFF: "written_off",
}


def build_entries(case, actor, count: int) -> list[LedgerEntry]:
    """``count`` entries cycling through awkward amounts, currencies and kinds, converted like the service does."""
    amounts = cycle([(currency, Decimal(a)) for currency, values in AWKWARD.items() for a in values])
    kinds = cycle(EntryKind.values)
    entries = []
    for _ in range(count):
        currency, amount = next(amounts)
        minor = currencies.to_minor(amount, currency)
        rate = RATES[(currency, min(day for c, day in RATES if c == currency))]
        entry = LedgerEntry(
            case=case,
            kind=next(kinds),
            amount_minor=minor,
            currency=currency,
            entry_date=DAY,
            source=Route.OTHER,
            reporting_currency="USD",
            reporting_amount_minor=currencies.convert_minor(
                minor, rate=rate, from_currency=currency, to_currency="USD"
            ),
            exchange_rate=rate,
            actor=actor,
        )
        entry.typed = amount  # what a person typed, kept for the Decimal sum
        entries.append(entry)
    return entries


def test_totals_of_1200_awkward_entries_equal_decimal_sums_exactly(
    case, administrator, rates, django_assert_num_queries
):
    entries = LedgerEntry.objects.bulk_create(build_entries(case, administrator, 1200))
    # A few corrections, through the service: each nets its entry out of every total.
    reversed_ids = {entry.pk for entry in entries[::97]}
    for entry_id in reversed_ids:
        ledger_reverse(actor=administrator, case_id=case.pk, entry_id=entry_id, reason="Typed twice.")

    expected: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    expected_usd: dict[str, int] = defaultdict(int)
    for entry in entries:
        if entry.pk in reversed_ids:
            continue
        figure = FIGURE[entry.kind]
        expected[entry.currency][figure] += entry.typed
        expected_usd[figure] += entry.reporting_amount_minor

    with django_assert_num_queries(1):  # one GROUP BY over the case's entries
        totals = ledger_totals(case)

    assert [figures.currency for figures in totals.by_currency] == ["JPY", "KWD", "MYR"]
    for figures in totals.by_currency:
        for name in ("claimed", "awarded", "paid", "disbursed", "written_off"):
            assert figures.amount(name) == expected[figures.currency][name], (figures.currency, name)
        mine = expected[figures.currency]
        assert figures.amount("outstanding") == mine["awarded"] - mine["paid"]
        assert isinstance(figures.recovery_vs_awarded, Decimal)
    for name in ("claimed", "awarded", "paid", "disbursed", "written_off"):
        assert getattr(totals.reporting, name) == expected_usd[name], name
    assert totals.complete


def test_the_big_sums_would_not_fit_a_float():
    # Why integers: a float cannot even hold the MYR claimed total of the test above exactly.
    total = sum(Decimal("1234567.89") for _ in range(150)) + Decimal("0.01")
    assert Decimal(float(total)) != total


def test_recovery_rates_are_decimals_and_none_without_an_award_or_claim(case, record):
    record(case, EntryKind.CLAIMED, "300.00")
    assert ledger_totals(case).by_currency[0].recovery_vs_awarded is None
    record(case, EntryKind.AWARDED, "200.00")
    record(case, EntryKind.PAID, "200.00")
    record(case, EntryKind.DISBURSED, "133.33")

    myr = ledger_totals(case).by_currency[0]

    assert myr.recovery_vs_awarded == Decimal("0.6667")  # 133.33 / 200
    assert myr.recovery_vs_claimed == Decimal("0.4444")  # 133.33 / 300
    assert (myr.outstanding, myr.held) == (0, 6667)


def test_a_case_without_entries_has_empty_totals(case):
    totals = ledger_totals(case)
    assert totals.empty and totals.reporting.claimed == 0 and totals.reporting.recovery_vs_claimed is None


def test_sum_over_a_decimal_field_drifts_on_sqlite_which_is_why_the_ledger_stores_integers(db):
    """Documentation: SQLite stores DecimalField as REAL and SUMs floats; the ledger never sums a DecimalField."""
    ExchangeRate.objects.bulk_create(
        ExchangeRate(currency="MYR", date=DAY - timedelta(days=n), rate=Decimal("0.1")) for n in range(1000)
    )

    summed = ExchangeRate.objects.aggregate(total=Sum("rate"))["total"]

    if connection.vendor == "sqlite":
        assert summed != Decimal(100)  # 99.9999999999986: a float sum, dressed as a Decimal
        assert abs(summed - Decimal(100)) < Decimal("0.000001")
    else:
        assert summed == Decimal(100)
