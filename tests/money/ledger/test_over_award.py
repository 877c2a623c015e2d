"""A payment above what remains of the award, or a disbursement above what is held, needs a confirmation."""

import pytest

from cases.models import EntryKind, LedgerEntry
from cases.money.services.ledger import OverRemaining, ledger_reverse, ledger_totals

pytestmark = pytest.mark.django_db


def test_a_payment_within_the_award_goes_through_and_a_larger_one_is_refused(case, record):
    record(case, EntryKind.AWARDED, "1000.00")
    record(case, EntryKind.SETTLED, "200.00")  # awarded and settled together: 1200.00
    record(case, EntryKind.PAID, "1199.99")

    with pytest.raises(OverRemaining) as refused:
        record(case, EntryKind.PAID, "0.02")

    assert refused.value.field == "amount"
    assert "0.01" in str(refused.value)  # what remains
    assert LedgerEntry.objects.filter(kind=EntryKind.PAID).count() == 1
    record(case, EntryKind.PAID, "0.01")  # exactly what remains needs no confirmation


def test_a_confirmed_overpayment_is_recorded(case, record):
    record(case, EntryKind.AWARDED, "100.00")

    record(case, EntryKind.PAID, "150.00", confirm_over_award=True)

    assert ledger_totals(case).by_currency[0].outstanding == -5000


def test_a_payment_without_any_award_needs_confirmation(case, record):
    with pytest.raises(OverRemaining):
        record(case, EntryKind.PAID, "10.00")


def test_the_award_is_compared_in_the_same_currency(case, record):
    record(case, EntryKind.AWARDED, "1000.00", "MYR")
    with pytest.raises(OverRemaining):
        record(case, EntryKind.PAID, "1.000", "KWD")


def test_a_disbursement_may_not_exceed_what_was_paid_and_not_yet_disbursed(case, record):
    record(case, EntryKind.AWARDED, "500.00")
    record(case, EntryKind.PAID, "300.00")
    record(case, EntryKind.DISBURSED, "250.00")

    with pytest.raises(OverRemaining, match=r"50\.00"):
        record(case, EntryKind.DISBURSED, "60.00")
    record(case, EntryKind.DISBURSED, "60.00", confirm_over_award=True)

    assert ledger_totals(case).by_currency[0].held == -1000


def test_claims_awards_and_write_offs_have_no_limit(case, record):
    record(case, EntryKind.CLAIMED, "10.00")
    record(case, EntryKind.AWARDED, "99999.00")
    record(case, EntryKind.WRITTEN_OFF, "123456.00")
    assert LedgerEntry.objects.count() == 3


def test_a_reversed_payment_frees_the_award_again(case, record, administrator):
    record(case, EntryKind.AWARDED, "100.00")
    paid = record(case, EntryKind.PAID, "100.00")
    ledger_reverse(actor=administrator, case_id=case.pk, entry_id=paid.pk, reason="Bounced cheque.")

    record(case, EntryKind.PAID, "100.00")
