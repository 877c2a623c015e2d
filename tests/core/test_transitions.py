"""Every move in TRANSITIONS works through the services and writes one event; every other move writes nothing."""

import pytest

from cases.core.errors import IllegalTransition
from cases.core.services.cases import case_advance, case_assign, case_close
from cases.core.stages import TRANSITIONS, Outcome, Stage, is_back_move
from cases.models import Case, CaseEvent, EventKind
from tests.factories import ConsentFactory

LEGAL = sorted((from_stage, to_stage) for from_stage, targets in TRANSITIONS.items() for to_stage in targets)
# case_advance never closes (case_close does, with an outcome), so X -> closed is illegal for it.
ILLEGAL_ADVANCES = sorted(
    (from_stage, to_stage)
    for from_stage in Stage.values
    for to_stage in Stage.values
    if to_stage not in TRANSITIONS[from_stage] or to_stage == Stage.CLOSED
)


def test_the_transition_table_covers_every_stage_and_closed_is_terminal():
    assert set(TRANSITIONS) == set(Stage.values)
    assert TRANSITIONS[Stage.CLOSED] == set()
    assert all(Stage.CLOSED in TRANSITIONS[stage] for stage in Stage.values if stage != Stage.CLOSED)


@pytest.mark.parametrize(("from_stage", "to_stage"), LEGAL, ids=[f"{f}->{t}" for f, t in LEGAL])
def test_every_legal_transition_succeeds_and_writes_exactly_one_event(
    make_case, coordinator_a, paralegal_a, from_stage, to_stage
):
    case = make_case(from_stage)
    # Satisfy every guard, so only the transition table decides.
    ConsentFactory(claimant=case.claimant, actor=coordinator_a)
    if case.assigned_to is None:
        case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a)
    events_before = set(case.events.values_list("pk", flat=True))

    if to_stage == Stage.CLOSED:
        moved = case_close(actor=coordinator_a, case_id=case.pk, outcome=Outcome.WITHDRAWN, reason="Went home.")
        kind = EventKind.CLOSED
    else:
        reason = "Employer disputes the hours." if is_back_move(from_stage, to_stage) else ""
        moved = case_advance(actor=coordinator_a, case_id=case.pk, to_stage=to_stage, reason=reason)
        kind = EventKind.STAGE_CHANGED

    assert moved.stage == to_stage
    assert Case.objects.get(pk=case.pk).stage == to_stage
    new_events = CaseEvent.objects.filter(case=case).exclude(pk__in=events_before)
    assert new_events.count() == 1
    event = new_events.get()
    assert (event.kind, event.actor, event.from_stage, event.to_stage) == (kind, coordinator_a, from_stage, to_stage)


@pytest.mark.parametrize(("from_stage", "to_stage"), ILLEGAL_ADVANCES, ids=[f"{f}->{t}" for f, t in ILLEGAL_ADVANCES])
def test_every_illegal_advance_raises_and_writes_nothing(make_case, coordinator_a, from_stage, to_stage):
    case = make_case(from_stage)
    event_count = CaseEvent.objects.count()

    with pytest.raises(IllegalTransition) as raised:
        case_advance(actor=coordinator_a, case_id=case.pk, to_stage=to_stage, reason="Trying anyway.")

    assert raised.value.current_stage == from_stage
    assert CaseEvent.objects.count() == event_count
    after = Case.objects.get(pk=case.pk)
    assert (after.stage, after.version, after.stage_changed_at) == (from_stage, case.version, case.stage_changed_at)


def test_closing_a_closed_case_raises_and_writes_nothing(make_case, coordinator_a):
    case = make_case(Stage.CLOSED)
    event_count = CaseEvent.objects.count()

    with pytest.raises(IllegalTransition):
        case_close(actor=coordinator_a, case_id=case.pk, outcome=Outcome.REFERRED, reason="Again.")

    assert CaseEvent.objects.count() == event_count
    after = Case.objects.get(pk=case.pk)
    assert (after.outcome, after.version) == (Outcome.NOTHING, case.version)
