"""Closing a case needs a valid outcome and a reason; it records both and when the case closed."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.core.errors import InvalidInput
from cases.core.services.cases import case_close
from cases.core.stages import Outcome, Stage
from cases.models import Case, CaseEvent, EventKind
from cases.money.services.ledger import ledger_record


@pytest.mark.parametrize("from_stage", [Stage.INTAKE, Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS])
def test_closing_sets_outcome_reason_and_closed_at(make_case, coordinator_a, from_stage):
    case = make_case(from_stage)
    before = timezone.now()

    # Closing as recovered needs money in the worker's hand (the ledger guard has its own tests).
    ledger_record(
        actor=coordinator_a,
        case_id=case.pk,
        kind="disbursed",
        amount=Decimal("100.00"),
        currency="USD",
        entry_date=date(2025, 1, 1),
        source="negotiation",
        confirm_over_award=True,
    )
    closed = case_close(
        actor=coordinator_a, case_id=case.pk, outcome=Outcome.RECOVERED_PART, reason="  Paid half in cash. "
    )

    stored = Case.objects.get(pk=case.pk)
    assert stored.stage == Stage.CLOSED
    assert (stored.outcome, stored.outcome_reason) == (Outcome.RECOVERED_PART, "Paid half in cash.")
    assert before <= stored.closed_at <= timezone.now()
    assert stored.closed_at == stored.stage_changed_at == closed.closed_at
    event = stored.events.get(kind=EventKind.CLOSED)
    assert (event.actor, event.from_stage, event.to_stage) == (coordinator_a, from_stage, Stage.CLOSED)
    assert event.reason == "Paid half in cash."
    assert event.payload == {"outcome": Outcome.RECOVERED_PART}


@pytest.mark.parametrize("outcome", ["", "settled", "CLOSED", None])
def test_closing_without_a_valid_outcome_is_refused(make_case, coordinator_a, outcome):
    case = make_case(Stage.EVIDENCE)
    event_count = CaseEvent.objects.count()

    with pytest.raises(InvalidInput):
        case_close(actor=coordinator_a, case_id=case.pk, outcome=outcome, reason="Because.")

    assert CaseEvent.objects.count() == event_count
    stored = Case.objects.get(pk=case.pk)
    assert (stored.stage, stored.outcome, stored.closed_at) == (Stage.EVIDENCE, "", None)


@pytest.mark.parametrize("reason", ["", "  \n "])
def test_closing_without_a_reason_is_refused(make_case, coordinator_a, reason):
    case = make_case(Stage.EVIDENCE)
    event_count = CaseEvent.objects.count()

    with pytest.raises(InvalidInput):
        case_close(actor=coordinator_a, case_id=case.pk, outcome=Outcome.NOTHING, reason=reason)

    assert CaseEvent.objects.count() == event_count
    assert Case.objects.get(pk=case.pk).stage == Stage.EVIDENCE


def test_a_paralegal_of_the_office_may_close_a_case(make_case, paralegal_a):
    case = make_case(Stage.INTAKE)

    closed = case_close(actor=paralegal_a, case_id=case.pk, outcome=Outcome.WITHDRAWN, reason="Worker withdrew.")

    assert closed.outcome == Outcome.WITHDRAWN
