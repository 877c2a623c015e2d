"""Only a coordinator (or admin) reopens a closed case, by default in the stage it was closed from."""

import pytest

from cases.core.errors import IllegalTransition, InvalidInput, NotPermitted
from cases.core.services.cases import case_advance, case_close, case_reopen
from cases.core.stages import Outcome, Stage
from cases.models import Case, CaseEvent, EventKind
from tests.factories import ConsentFactory


@pytest.mark.parametrize("closed_from", [Stage.INTAKE, Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS])
def test_reopening_returns_to_the_stage_the_case_was_closed_from(make_case, coordinator_a, closed_from):
    case = make_case(Stage.CLOSED, closed_from=closed_from)

    reopened = case_reopen(actor=coordinator_a, case_id=case.pk, reason="Worker got back in touch.")

    assert reopened.stage == closed_from
    event = reopened.events.get(kind=EventKind.REOPENED)
    assert (event.actor, event.from_stage, event.to_stage) == (coordinator_a, Stage.CLOSED, closed_from)
    assert event.reason == "Worker got back in touch."
    assert event.payload == {"previous_outcome": Outcome.NOTHING}


def test_reopening_clears_outcome_reason_and_closed_at(make_case, coordinator_a):
    case = make_case(Stage.CLOSED, closed_from=Stage.EVIDENCE)
    assert case.closed_at is not None

    case_reopen(actor=coordinator_a, case_id=case.pk, reason="New evidence.")

    stored = Case.objects.get(pk=case.pk)
    assert (stored.outcome, stored.outcome_reason, stored.closed_at) == ("", "", None)


def test_reopening_uses_the_latest_close_when_a_case_was_closed_twice(make_case, coordinator_a):
    case = make_case(Stage.CLOSED, closed_from=Stage.INTAKE)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a)
    case_reopen(actor=coordinator_a, case_id=case.pk, reason="Back in touch.", to_stage=Stage.EVIDENCE)
    case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.ASSIGNMENT)
    case_close(actor=coordinator_a, case_id=case.pk, outcome=Outcome.UNREACHABLE, reason="Phone off.")

    reopened = case_reopen(actor=coordinator_a, case_id=case.pk, reason="Found again.")

    assert reopened.stage == Stage.ASSIGNMENT
    assert reopened.events.filter(kind=EventKind.REOPENED).first().payload == {"previous_outcome": "unreachable"}


def test_reopening_in_an_explicit_stage(make_case, coordinator_a):
    case = make_case(Stage.CLOSED, closed_from=Stage.REDRESS)

    reopened = case_reopen(actor=coordinator_a, case_id=case.pk, reason="Start over.", to_stage=Stage.INTAKE)

    assert reopened.stage == Stage.INTAKE


@pytest.mark.parametrize("to_stage", [Stage.CLOSED, "archived"])
def test_reopening_into_a_stage_that_is_not_open_is_refused(make_case, coordinator_a, to_stage):
    case = make_case(Stage.CLOSED)

    with pytest.raises(InvalidInput):
        case_reopen(actor=coordinator_a, case_id=case.pk, reason="Why not.", to_stage=to_stage)

    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_a_paralegal_may_not_reopen_a_case(make_case, paralegal_a):
    case = make_case(Stage.CLOSED)
    event_count = CaseEvent.objects.count()

    with pytest.raises(NotPermitted):
        case_reopen(actor=paralegal_a, case_id=case.pk, reason="Please.")

    assert CaseEvent.objects.count() == event_count
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


@pytest.mark.parametrize("who", ["administrator", "global_coordinator"])
def test_an_admin_or_global_coordinator_may_reopen_a_case(make_case, request, who):
    case = make_case(Stage.CLOSED, closed_from=Stage.EVIDENCE)

    reopened = case_reopen(actor=request.getfixturevalue(who), case_id=case.pk, reason="Reviewed.")

    assert reopened.stage == Stage.EVIDENCE


def test_only_a_closed_case_can_be_reopened(make_case, coordinator_a):
    case = make_case(Stage.EVIDENCE)

    with pytest.raises(IllegalTransition) as raised:
        case_reopen(actor=coordinator_a, case_id=case.pk, reason="Oops.")

    assert raised.value.current_stage == Stage.EVIDENCE
    assert not case.events.filter(kind=EventKind.REOPENED).exists()


def test_reopening_needs_a_reason(make_case, coordinator_a):
    case = make_case(Stage.CLOSED)

    with pytest.raises(InvalidInput):
        case_reopen(actor=coordinator_a, case_id=case.pk, reason=" ")

    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED
