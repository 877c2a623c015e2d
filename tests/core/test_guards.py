"""A move the table allows is still refused, with the reason, until the stage's guard holds."""

import pytest

from cases.core.errors import GuardFailed
from cases.core.services.cases import case_advance, case_assign
from cases.core.stages import Stage, available_moves
from cases.models import Case, CaseRespondent, EventKind
from claimants.models import ConsentPurpose
from tests.factories import CaseFactory, ConsentFactory


def assert_refused(case, actor, to_stage, reason_fragment):
    version = Case.objects.get(pk=case.pk).version
    event_count = case.events.count()
    with pytest.raises(GuardFailed) as raised:
        case_advance(actor=actor, case_id=case.pk, to_stage=to_stage)
    assert reason_fragment in str(raised.value)
    assert raised.value.current_stage == case.stage
    after = Case.objects.get(pk=case.pk)
    assert (after.stage, after.version, case.events.count()) == (case.stage, version, event_count)


def test_evidence_needs_recorded_consent(make_case, coordinator_a):
    case = make_case(Stage.INTAKE)

    assert_refused(case, coordinator_a, Stage.EVIDENCE, "consent")


def test_consent_for_another_purpose_does_not_count(make_case, coordinator_a):
    case = make_case(Stage.INTAKE)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a, purpose=ConsentPurpose.CONTACT)

    assert_refused(case, coordinator_a, Stage.EVIDENCE, "consent")


def test_evidence_is_allowed_once_consent_is_recorded(make_case, coordinator_a):
    case = make_case(Stage.INTAKE)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a)

    moved = case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.EVIDENCE)

    assert moved.stage == Stage.EVIDENCE


def test_a_later_withdrawal_of_consent_blocks_evidence_again(make_case, coordinator_a):
    case = make_case(Stage.INTAKE)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a, given=False)

    assert_refused(case, coordinator_a, Stage.EVIDENCE, "consent")


def test_consent_given_again_after_a_withdrawal_unblocks_evidence(make_case, coordinator_a):
    case = make_case(Stage.INTAKE)
    for given in (True, False, True):
        ConsentFactory(claimant=case.claimant, actor=coordinator_a, given=given)

    assert case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.EVIDENCE).stage == Stage.EVIDENCE


def test_assignment_needs_a_respondent(make_case, coordinator_a):
    case = make_case(Stage.EVIDENCE, respondents=[])

    assert_refused(case, coordinator_a, Stage.ASSIGNMENT, "respondent")


def test_assignment_needs_consent_that_has_not_been_withdrawn(make_case, coordinator_a):
    case = make_case(Stage.EVIDENCE)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a, given=False)

    assert_refused(case, coordinator_a, Stage.ASSIGNMENT, "consent")


def test_redress_needs_an_assigned_paralegal(make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.ASSIGNMENT)
    assert case.assigned_to is None

    assert_refused(case, coordinator_a, Stage.REDRESS, "Assign a paralegal")

    case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a)
    moved = case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.REDRESS)
    assert moved.stage == Stage.REDRESS
    assert moved.events.filter(kind=EventKind.STAGE_CHANGED, to_stage=Stage.REDRESS).count() == 1


def test_redress_needs_a_respondent(office_a, coordinator_a, paralegal_a):
    case = CaseFactory(office=office_a, actor=coordinator_a)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a)
    case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.EVIDENCE)
    case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.ASSIGNMENT)
    case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a)
    # A respondent removed after assignment (e.g. added in error) blocks redress.
    CaseRespondent.objects.filter(case=case).delete()

    assert_refused(Case.objects.get(pk=case.pk), coordinator_a, Stage.REDRESS, "respondent")


def test_available_moves_show_the_guard_reason_for_blocked_moves(make_case):
    case = make_case(Stage.INTAKE)

    moves = {move.to_stage: move for move in available_moves(case)}

    assert set(moves) == {Stage.EVIDENCE, Stage.CLOSED}
    assert "consent" in moves[Stage.EVIDENCE].blocked_by
    assert moves[Stage.CLOSED].blocked_by is None
