"""Acting on an old view of a case (stage or version) is refused with StaleCase, which says where the case is now."""

import pytest

from cases.core.errors import StaleCase
from cases.core.services.cases import case_advance, case_assign, case_close, case_update_details
from cases.core.stages import Outcome, Stage
from cases.models import Case


def test_advance_with_a_stale_expected_stage_raises_with_the_current_stage(make_case, coordinator_a):
    case = make_case(Stage.EVIDENCE)
    event_count = case.events.count()

    with pytest.raises(StaleCase) as raised:
        case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.EVIDENCE, expected_stage=Stage.INTAKE)

    assert raised.value.current_stage == Stage.EVIDENCE
    assert case.events.count() == event_count
    assert Case.objects.get(pk=case.pk).version == case.version


def test_advance_with_a_stale_expected_version_raises_with_the_current_stage(make_case, coordinator_a):
    case = make_case(Stage.EVIDENCE)
    event_count = case.events.count()

    with pytest.raises(StaleCase) as raised:
        case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.ASSIGNMENT, expected_version=case.version - 1)

    assert raised.value.current_stage == Stage.EVIDENCE
    assert case.events.count() == event_count
    assert Case.objects.get(pk=case.pk).stage == Stage.EVIDENCE


def test_advance_with_fresh_expectations_succeeds(make_case, coordinator_a):
    case = make_case(Stage.EVIDENCE)

    moved = case_advance(
        actor=coordinator_a,
        case_id=case.pk,
        to_stage=Stage.ASSIGNMENT,
        expected_stage=Stage.EVIDENCE,
        expected_version=case.version,
    )

    assert (moved.stage, moved.version) == (Stage.ASSIGNMENT, case.version + 1)


@pytest.mark.parametrize("stale", ["stage", "version"])
def test_close_with_stale_expectations_raises_and_keeps_the_case_open(make_case, coordinator_a, stale):
    case = make_case(Stage.ASSIGNMENT)
    expected = {"expected_stage": Stage.EVIDENCE} if stale == "stage" else {"expected_version": case.version + 5}
    event_count = case.events.count()

    with pytest.raises(StaleCase) as raised:
        case_close(actor=coordinator_a, case_id=case.pk, outcome=Outcome.NOTHING, reason="Gone.", **expected)

    assert raised.value.current_stage == Stage.ASSIGNMENT
    after = Case.objects.get(pk=case.pk)
    assert (after.stage, after.outcome, after.closed_at) == (Stage.ASSIGNMENT, "", None)
    assert case.events.count() == event_count


def test_assign_with_a_stale_version_raises(make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.EVIDENCE)

    with pytest.raises(StaleCase) as raised:
        case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a, expected_version=case.version - 1)

    assert raised.value.current_stage == Stage.EVIDENCE
    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_an_edit_made_on_an_older_version_is_refused(make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.INTAKE)
    seen_version = case.version
    case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a)  # someone else acts meanwhile

    with pytest.raises(StaleCase):
        case_update_details(
            actor=paralegal_a, case_id=case.pk, expected_version=seen_version, changes={"job_title": "Welder"}
        )

    assert Case.objects.get(pk=case.pk).job_title == case.job_title
