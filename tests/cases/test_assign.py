"""Coordinators assign cases to active staff of the case's office; the event records who it moved from and to."""

import pytest

from cases.errors import IllegalTransition, InvalidInput, NotPermitted
from cases.models import Case, CaseEvent, EventKind
from cases.services import case_assign
from cases.stages import Stage
from tests.factories import UserFactory


def test_a_coordinator_assigns_a_paralegal_of_the_office(make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.EVIDENCE)

    assigned = case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a, reason=" Speaks Kyrgyz. ")

    assert Case.objects.get(pk=case.pk).assigned_to == paralegal_a
    assert assigned.version == case.version + 1
    event = case.events.get(kind=EventKind.ASSIGNED)
    assert event.actor == coordinator_a
    assert event.reason == "Speaks Kyrgyz."
    assert event.payload == {"from": None, "to": paralegal_a.pk}
    assert (event.from_stage, event.to_stage) == ("", "")


def test_reassigning_records_the_previous_assignee(make_case, coordinator_a, paralegal_a, office_a):
    case = make_case(Stage.EVIDENCE)
    other = UserFactory(office=office_a)
    case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a)

    case_assign(actor=coordinator_a, case_id=case.pk, assignee=other)

    latest = case.events.filter(kind=EventKind.ASSIGNED).first()
    assert latest.payload == {"from": paralegal_a.pk, "to": other.pk}
    assert Case.objects.get(pk=case.pk).assigned_to == other


def test_a_coordinator_may_take_a_case_themselves(make_case, coordinator_a):
    case = make_case(Stage.INTAKE)

    assert case_assign(actor=coordinator_a, case_id=case.pk, assignee=coordinator_a).assigned_to == coordinator_a


def test_a_paralegal_may_not_assign(make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)

    with pytest.raises(NotPermitted):
        case_assign(actor=paralegal_a, case_id=case.pk, assignee=paralegal_a)

    assert Case.objects.get(pk=case.pk).assigned_to is None
    assert not case.events.filter(kind=EventKind.ASSIGNED).exists()


def test_an_inactive_user_cannot_be_assigned(make_case, coordinator_a, office_a):
    case = make_case(Stage.EVIDENCE)
    departed = UserFactory(office=office_a, is_active=False)

    with pytest.raises(InvalidInput):
        case_assign(actor=coordinator_a, case_id=case.pk, assignee=departed)

    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_an_admin_role_user_cannot_be_assigned(make_case, coordinator_a, administrator):
    case = make_case(Stage.EVIDENCE)

    with pytest.raises(InvalidInput):
        case_assign(actor=coordinator_a, case_id=case.pk, assignee=administrator)


def test_a_coordinator_cannot_assign_a_paralegal_of_another_office(make_case, coordinator_a, paralegal_b):
    case = make_case(Stage.EVIDENCE)
    event_count = CaseEvent.objects.count()

    with pytest.raises(InvalidInput):
        case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_b)

    assert CaseEvent.objects.count() == event_count
    assert Case.objects.get(pk=case.pk).assigned_to is None


@pytest.mark.parametrize("who", ["global_coordinator", "administrator"])
def test_a_global_coordinator_or_admin_may_assign_across_offices(make_case, paralegal_b, request, who):
    actor = request.getfixturevalue(who)
    case = make_case(Stage.EVIDENCE)

    case_assign(actor=actor, case_id=case.pk, assignee=paralegal_b)

    assert Case.objects.get(pk=case.pk).assigned_to == paralegal_b
    assert case.events.get(kind=EventKind.ASSIGNED).payload == {"from": None, "to": paralegal_b.pk}


def test_assigning_the_current_assignee_again_is_refused(make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.REDRESS)
    assert case.assigned_to == paralegal_a

    with pytest.raises(InvalidInput):
        case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a)

    assert case.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_a_closed_case_cannot_be_assigned(make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.CLOSED)

    with pytest.raises(IllegalTransition):
        case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a)

    assert Case.objects.get(pk=case.pk).assigned_to is None
