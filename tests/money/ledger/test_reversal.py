"""Corrections: a reversing entry cancels an entry exactly, with a reason; the original stays."""

import pytest

from cases.core.errors import GuardFailed, IllegalTransition
from cases.core.services.cases import case_close
from cases.core.stages import Outcome
from cases.models import CaseEvent, EntryKind, EventKind, LedgerEntry
from cases.money.services.ledger import LedgerInputError, ledger_reverse, ledger_totals

pytestmark = pytest.mark.django_db


def test_a_reversal_copies_the_entry_links_it_and_nets_it_out_of_every_total(case, record, administrator):
    record(case, EntryKind.CLAIMED, "100.00")
    wrong = record(case, EntryKind.CLAIMED, "1000.00", "KWD")

    reversal = ledger_reverse(actor=administrator, case_id=case.pk, entry_id=wrong.pk, reason=" Wrong currency. ")

    assert reversal.reverses == wrong and reversal.reason == "Wrong currency."
    assert (reversal.kind, reversal.amount_minor, reversal.currency, reversal.entry_date) == (
        wrong.kind,
        wrong.amount_minor,
        wrong.currency,
        wrong.entry_date,
    )
    assert reversal.reporting_amount_minor == wrong.reporting_amount_minor
    assert LedgerEntry.objects.filter(pk=wrong.pk).exists()  # the original stays
    totals = ledger_totals(case)
    assert [(f.currency, f.claimed) for f in totals.by_currency] == [("KWD", 0), ("MYR", 10000)]
    assert totals.reporting.claimed == 2200
    event = CaseEvent.objects.filter(case=case).first()
    assert event.kind == EventKind.LEDGER_REVERSED
    assert event.payload == {"entry": reversal.pk, "reverses": wrong.pk}


def test_a_reversal_needs_a_reason(case, record, administrator):
    entry = record(case, EntryKind.CLAIMED)
    with pytest.raises(LedgerInputError) as refused:
        ledger_reverse(actor=administrator, case_id=case.pk, entry_id=entry.pk, reason="  ")
    assert refused.value.field == "reason"
    assert LedgerEntry.objects.count() == 1


def test_an_entry_is_reversed_once_and_a_reversal_is_not_reversed(case, record, administrator):
    entry = record(case, EntryKind.CLAIMED)
    reversal = ledger_reverse(actor=administrator, case_id=case.pk, entry_id=entry.pk, reason="Duplicate.")

    with pytest.raises(LedgerInputError, match="already been reversed"):
        ledger_reverse(actor=administrator, case_id=case.pk, entry_id=entry.pk, reason="Again.")
    with pytest.raises(LedgerInputError, match="cannot be reversed"):
        ledger_reverse(actor=administrator, case_id=case.pk, entry_id=reversal.pk, reason="Undo.")
    assert LedgerEntry.objects.count() == 2


def test_an_entry_of_another_case_is_not_found(case, make_case, record, administrator):
    other = make_case()
    entry = record(other, EntryKind.CLAIMED)
    with pytest.raises(LedgerEntry.DoesNotExist):
        ledger_reverse(actor=administrator, case_id=case.pk, entry_id=entry.pk, reason="Not mine.")


def test_a_reversed_disbursement_no_longer_lets_the_case_close_as_recovered(case, record, administrator):
    record(case, EntryKind.AWARDED, "100.00")
    record(case, EntryKind.PAID, "100.00")
    disbursed = record(case, EntryKind.DISBURSED, "100.00")
    ledger_reverse(actor=administrator, case_id=case.pk, entry_id=disbursed.pk, reason="Transfer failed.")

    with pytest.raises(GuardFailed, match="disbursement"):
        case_close(actor=administrator, case_id=case.pk, outcome=Outcome.RECOVERED_FULL, reason="Paid.")


def test_a_closed_case_is_not_corrected_until_reopened(make_case, record, administrator):
    case = make_case("redress")
    entry = record(case, EntryKind.CLAIMED)
    case_close(actor=administrator, case_id=case.pk, outcome=Outcome.NOTHING, reason="Gone.")
    with pytest.raises(IllegalTransition):
        ledger_reverse(actor=administrator, case_id=case.pk, entry_id=entry.pk, reason="Typo.")
