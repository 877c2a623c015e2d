"""Ledger entries are append-only, like the case timeline: corrections are reversing entries."""

import pytest
from django.db import IntegrityError, transaction

from cases.models import EntryKind, LedgerEntry

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_changed_or_deleted(case, record):
    entry = record(case, EntryKind.CLAIMED, "10.00")

    entry.amount_minor = 1
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_minor=1)
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.amount_minor == 1000


def test_the_database_refuses_a_zero_or_negative_amount(case, record, administrator):
    entry = record(case, EntryKind.CLAIMED, "10.00")
    for amount in (0, -5):
        copy = LedgerEntry(
            case=case,
            kind=EntryKind.CLAIMED,
            amount_minor=amount,
            currency="MYR",
            entry_date=entry.entry_date,
            source=entry.source,
            reporting_currency="USD",
            reporting_amount_minor=0,
            exchange_rate=entry.exchange_rate,
            actor=administrator,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            copy.save()
