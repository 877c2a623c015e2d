"""Moving a case back a stage needs a reason, which the event records; guards do not apply backwards."""

import pytest

from cases.core.errors import InvalidInput
from cases.core.services.cases import case_advance
from cases.core.stages import TRANSITIONS, Stage, is_back_move
from cases.models import Case, CaseEvent, EventKind
from tests.factories import ConsentFactory

BACK_MOVES = sorted((f, t) for f, targets in TRANSITIONS.items() for t in targets if is_back_move(f, t))


def test_the_back_moves_are_the_ones_expected():
    expected = [
        (Stage.EVIDENCE, Stage.INTAKE),
        (Stage.ASSIGNMENT, Stage.EVIDENCE),
        (Stage.REDRESS, Stage.EVIDENCE),
        (Stage.REDRESS, Stage.ASSIGNMENT),
    ]

    assert sorted(expected) == BACK_MOVES


@pytest.mark.parametrize(("from_stage", "to_stage"), BACK_MOVES, ids=[f"{f}->{t}" for f, t in BACK_MOVES])
@pytest.mark.parametrize("reason", ["", "   \n\t"], ids=["empty", "blank"])
def test_a_back_move_without_a_reason_is_refused_and_writes_nothing(
    make_case, coordinator_a, from_stage, to_stage, reason
):
    case = make_case(from_stage)
    event_count = CaseEvent.objects.count()

    with pytest.raises(InvalidInput):
        case_advance(actor=coordinator_a, case_id=case.pk, to_stage=to_stage, reason=reason)

    assert CaseEvent.objects.count() == event_count
    assert Case.objects.get(pk=case.pk).stage == from_stage


def test_a_back_move_records_its_reason_stripped(make_case, coordinator_a):
    case = make_case(Stage.REDRESS)

    case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.EVIDENCE, reason="  Payslips were forged.\n")

    event = case.events.get(kind=EventKind.STAGE_CHANGED, from_stage=Stage.REDRESS)
    assert (event.to_stage, event.reason, event.actor) == (Stage.EVIDENCE, "Payslips were forged.", coordinator_a)


def test_a_back_move_is_not_blocked_by_the_target_stages_guard(make_case, coordinator_a):
    # Consent withdrawn at redress: the case may still go back to evidence (and no further forward).
    case = make_case(Stage.REDRESS)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a, given=False)

    moved = case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.EVIDENCE, reason="Consent withdrawn.")

    assert moved.stage == Stage.EVIDENCE


def test_a_forward_move_records_no_reason(make_case, coordinator_a):
    case = make_case(Stage.EVIDENCE)

    case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.ASSIGNMENT, reason="  ")

    assert case.events.get(to_stage=Stage.ASSIGNMENT).reason == ""
