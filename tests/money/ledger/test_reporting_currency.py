"""Each entry stores its amount in the reporting currency at the latest rate on or before its date."""

from datetime import date
from decimal import Decimal

import pytest

from cases.models import CaseEvent, EntryKind, ExchangeRate, LedgerEntry
from cases.money.services.ledger import MissingExchangeRate, ledger_totals

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("entry_date", "rate", "rate_date", "usd_cents"),
    [
        (date(2025, 1, 1), Decimal("0.22"), date(2025, 1, 1), 2200),  # a rate of that very day
        (date(2025, 5, 31), Decimal("0.22"), date(2025, 1, 1), 2200),  # the latest before it
        (date(2025, 6, 1), Decimal("0.24"), date(2025, 6, 1), 2400),
        (date(2025, 9, 30), Decimal("0.24"), date(2025, 6, 1), 2400),
    ],
)
def test_the_rate_used_is_the_latest_on_or_before_the_entry_date(case, record, entry_date, rate, rate_date, usd_cents):
    entry = record(case, EntryKind.CLAIMED, "100.00", "MYR", entry_date=entry_date)

    assert (entry.exchange_rate, entry.rate_date) == (rate, rate_date)
    assert (entry.reporting_currency, entry.reporting_amount_minor) == ("USD", usd_cents)


def test_the_reporting_currency_itself_converts_at_one(case, record):
    entry = record(case, EntryKind.AWARDED, "12.34", "USD")
    assert (entry.exchange_rate, entry.rate_date, entry.reporting_amount_minor) == (Decimal(1), None, 1234)


def test_three_decimal_and_zero_decimal_currencies_convert_to_cents(case, record):
    kwd = record(case, EntryKind.CLAIMED, "1.234", "KWD")  # 1.234 × 3.25 = 4.0105 USD
    jpy = record(case, EntryKind.CLAIMED, "1500", "JPY")  # 1500 × 0.0066666667 = 10.00000005 USD

    assert (kwd.amount_minor, kwd.reporting_amount_minor) == (1234, 401)
    assert (jpy.amount_minor, jpy.reporting_amount_minor) == (1500, 1000)


def test_changing_a_rate_later_does_not_change_recorded_entries(case, record):
    entry = record(case, EntryKind.CLAIMED, "100.00", "MYR")
    ExchangeRate.objects.filter(currency="MYR").update(rate=Decimal("9"))

    entry.refresh_from_db()
    assert entry.reporting_amount_minor == 2200
    assert ledger_totals(case).reporting.claimed == 2200


@pytest.mark.parametrize(
    ("currency", "entry_date"),
    [("MYR", date(2024, 12, 31)), ("NPR", date(2025, 3, 1))],  # only later rates; no rate at all
)
def test_without_a_rate_nothing_is_saved_and_the_error_asks_for_one(case, record, currency, entry_date):
    version, events = case.version, CaseEvent.objects.filter(case=case).count()

    with pytest.raises(MissingExchangeRate) as refused:
        record(case, EntryKind.CLAIMED, "100.00", currency, entry_date=entry_date)

    assert refused.value.field == "currency"
    assert f"no exchange rate from {currency} to USD on or before {entry_date.isoformat()}" in str(refused.value)
    assert "administrator" in str(refused.value)
    assert not LedgerEntry.objects.exists()
    case.refresh_from_db()
    assert (case.version, CaseEvent.objects.filter(case=case).count()) == (version, events)


def test_totals_in_the_reporting_currency_add_the_stored_amounts(case, record):
    record(case, EntryKind.CLAIMED, "100.00", "MYR", entry_date=date(2025, 3, 1))  # 22.00
    record(case, EntryKind.CLAIMED, "100.00", "MYR", entry_date=date(2025, 7, 1))  # 24.00
    record(case, EntryKind.CLAIMED, "1.000", "KWD")  # 3.25
    record(case, EntryKind.CLAIMED, "5.00", "USD")

    totals = ledger_totals(case)

    assert totals.reporting.currency == "USD"
    assert totals.reporting.claimed == 2200 + 2400 + 325 + 500
    assert [(f.currency, f.claimed) for f in totals.by_currency] == [("KWD", 1000), ("MYR", 20000), ("USD", 500)]


def test_entries_converted_into_an_earlier_reporting_currency_are_flagged_not_mixed_in(case, record, settings):
    record(case, EntryKind.CLAIMED, "100.00", "MYR")
    settings.REPORTING_CURRENCY = "EUR"

    totals = ledger_totals(case)

    assert totals.reporting.currency == "EUR" and totals.reporting.claimed == 0
    assert totals.complete is False
