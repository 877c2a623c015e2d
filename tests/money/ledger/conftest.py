"""Ledger fixtures: a case in redress, made-up exchange rates to USD, and a one-line way to record money."""

from datetime import date
from decimal import Decimal

import pytest

from cases.core.stages import Stage
from cases.models import EntryKind, ExchangeRate, Route
from cases.money.services.ledger import ledger_record

# Made-up rates (units of USD for one unit), two dates each so tests can tell which one was used.
RATES = {
    ("MYR", date(2025, 1, 1)): Decimal("0.2200000000"),
    ("MYR", date(2025, 6, 1)): Decimal("0.2400000000"),
    ("KWD", date(2025, 1, 1)): Decimal("3.2500000000"),
    ("JPY", date(2025, 1, 1)): Decimal("0.0066666667"),
    ("THB", date(2025, 1, 1)): Decimal("0.0285000000"),
}
DAY = date(2025, 3, 15)


@pytest.fixture(autouse=True)
def reporting_in_usd(settings):
    settings.REPORTING_CURRENCY = "USD"


@pytest.fixture
def rates(db):
    return ExchangeRate.objects.bulk_create(
        ExchangeRate(currency=currency, date=day, rate=rate, source="test") for (currency, day), rate in RATES.items()
    )


@pytest.fixture
def case(make_case):
    return make_case(Stage.REDRESS)


@pytest.fixture
def record(administrator, rates):
    """``record(case, kind, "12.50", "MYR", ...)`` through ledger_record, as the administrator, on DAY by default."""

    def record(case, kind=EntryKind.CLAIMED, amount="100.00", currency="MYR", **kwargs):
        kwargs.setdefault("entry_date", DAY)
        kwargs.setdefault("source", Route.NEGOTIATION)
        kwargs.setdefault("actor", administrator)
        return ledger_record(case_id=case.pk, kind=kind, amount=Decimal(amount), currency=currency, **kwargs)

    return record
