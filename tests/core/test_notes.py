"""Notes go on the case timeline as events, with their author."""

import pytest

from cases.core.errors import InvalidInput
from cases.core.services.cases import NOTE_MAX_LENGTH, case_add_note
from cases.core.stages import Stage
from cases.models import Case, CaseEvent, EventKind


def test_a_note_is_added_to_the_timeline_with_its_author(make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)

    note = case_add_note(actor=paralegal_a, case_id=case.pk, text="  Called the worker; payslips on Friday.\n")

    assert note.pk is not None
    assert (note.case_id, note.kind, note.actor) == (case.pk, EventKind.NOTE, paralegal_a)
    assert note.reason == "Called the worker; payslips on Friday."
    assert (note.from_stage, note.to_stage) == ("", "")
    stored = Case.objects.get(pk=case.pk)
    assert (stored.stage, stored.version) == (Stage.EVIDENCE, case.version + 1)


def test_a_note_may_be_added_to_a_closed_case(make_case, coordinator_a):
    case = make_case(Stage.CLOSED)

    case_add_note(actor=coordinator_a, case_id=case.pk, text="Worker thanked us.")

    assert case.events.filter(kind=EventKind.NOTE).count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * (NOTE_MAX_LENGTH + 1)], ids=["empty", "blank", "too-long"])
def test_an_empty_or_overlong_note_is_refused(make_case, paralegal_a, text):
    case = make_case(Stage.INTAKE)
    event_count = CaseEvent.objects.count()

    with pytest.raises(InvalidInput):
        case_add_note(actor=paralegal_a, case_id=case.pk, text=text)

    assert CaseEvent.objects.count() == event_count
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_note_of_the_maximum_length_is_accepted(make_case, paralegal_a):
    case = make_case(Stage.INTAKE)

    note = case_add_note(actor=paralegal_a, case_id=case.pk, text="x" * NOTE_MAX_LENGTH)

    assert len(CaseEvent.objects.get(pk=note.pk).reason) == NOTE_MAX_LENGTH
