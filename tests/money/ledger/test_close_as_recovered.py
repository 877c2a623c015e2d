"""Closing a case as recovered needs money handed to the worker; other outcomes do not."""

import pytest

from cases.core.errors import GuardFailed
from cases.core.services.cases import case_close
from cases.core.stages import RECOVERY_OUTCOMES, Outcome, Stage
from cases.models import Case, EntryKind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("outcome", sorted(RECOVERY_OUTCOMES))
def test_recovered_outcomes_are_refused_without_a_disbursement(case, record, administrator, outcome):
    record(case, EntryKind.AWARDED, "500.00")
    record(case, EntryKind.PAID, "500.00")  # paid to the office, not yet in the worker's hand

    with pytest.raises(GuardFailed, match="disbursement"):
        case_close(actor=administrator, case_id=case.pk, outcome=outcome, reason="Paid.")

    assert Case.objects.get(pk=case.pk).stage == Stage.REDRESS


@pytest.mark.parametrize("outcome", sorted(RECOVERY_OUTCOMES))
def test_recovered_outcomes_close_once_money_reached_the_worker(case, record, administrator, outcome):
    record(case, EntryKind.AWARDED, "500.00")
    record(case, EntryKind.PAID, "500.00")
    record(case, EntryKind.DISBURSED, "250.00")

    closed = case_close(actor=administrator, case_id=case.pk, outcome=outcome, reason="Paid.")

    assert (closed.stage, closed.outcome) == (Stage.CLOSED, outcome)


@pytest.mark.parametrize("outcome", sorted(set(Outcome.values) - RECOVERY_OUTCOMES))
def test_other_outcomes_need_no_disbursement(case, administrator, outcome):
    closed = case_close(actor=administrator, case_id=case.pk, outcome=outcome, reason="Worker went home.")
    assert closed.outcome == outcome
