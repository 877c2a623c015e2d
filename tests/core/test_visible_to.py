"""Case.objects.visible_to decides who sees which case; services load cases through it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cases.core.services.cases import (
    case_add_note,
    case_advance,
    case_assign,
    case_close,
    case_reopen,
    case_update_details,
)
from cases.core.stages import Outcome, Stage
from cases.models import Case
from tests.factories import UserFactory


@pytest.fixture
def cases(make_case, office_a, office_b):
    """One case in each office."""
    return {"a": make_case(office=office_a), "b": make_case(office=office_b)}


def visible(user):
    return set(Case.objects.visible_to(user).values_list("pk", flat=True))


def test_anonymous_and_no_user_see_nothing(cases):
    assert visible(AnonymousUser()) == set()
    assert visible(None) == set()


def test_an_inactive_user_sees_nothing_even_as_admin(cases, office_a):
    assert visible(UserFactory(office=office_a, is_active=False)) == set()
    assert visible(UserFactory(superuser=True, is_active=False)) == set()


def test_a_paralegal_sees_only_their_offices_cases(cases, paralegal_a, paralegal_b):
    assert visible(paralegal_a) == {cases["a"].pk}
    assert visible(paralegal_b) == {cases["b"].pk}


def test_a_coordinator_sees_only_their_offices_cases(cases, coordinator_a):
    assert visible(coordinator_a) == {cases["a"].pk}


@pytest.mark.parametrize("who", ["global_coordinator", "administrator", "superuser"])
def test_global_coordinators_admins_and_superusers_see_every_office(cases, request, who):
    assert visible(request.getfixturevalue(who)) == {cases["a"].pk, cases["b"].pk}


def test_a_paralegal_also_sees_a_case_in_another_office_assigned_to_them(cases, paralegal_a, global_coordinator):
    case_assign(actor=global_coordinator, case_id=cases["b"].pk, assignee=paralegal_a)

    assert visible(paralegal_a) == {cases["a"].pk, cases["b"].pk}


def test_staff_without_an_office_see_only_cases_assigned_to_them(cases, global_coordinator):
    nomad = UserFactory(office=None)
    assert visible(nomad) == set()

    case_assign(actor=global_coordinator, case_id=cases["b"].pk, assignee=nomad)

    assert visible(nomad) == {cases["b"].pk}


def test_a_coordinator_without_the_global_flag_does_not_see_other_offices(cases, office_a):
    assert visible(UserFactory(coordinator=True, office=office_a)) == {cases["a"].pk}


INVISIBLE_CALLS = {
    "advance": lambda actor, case: case_advance(actor=actor, case_id=case.pk, to_stage=Stage.EVIDENCE),
    "close": lambda actor, case: case_close(actor=actor, case_id=case.pk, outcome=Outcome.NOTHING, reason="x"),
    "note": lambda actor, case: case_add_note(actor=actor, case_id=case.pk, text="Snooping."),
    "details": lambda actor, case: case_update_details(
        actor=actor, case_id=case.pk, expected_version=case.version, changes={"job_title": "Spy"}
    ),
    "assign": lambda actor, case: case_assign(actor=actor, case_id=case.pk, assignee=actor),
}


@pytest.mark.parametrize("call", INVISIBLE_CALLS.values(), ids=INVISIBLE_CALLS.keys())
def test_services_on_a_case_the_actor_cannot_see_raise_does_not_exist(make_case, office_b, coordinator_a, call):
    case = make_case(Stage.INTAKE, office=office_b)
    event_count = case.events.count()

    with pytest.raises(Case.DoesNotExist):
        call(coordinator_a, case)

    assert case.events.count() == event_count
    assert Case.objects.get(pk=case.pk).version == case.version


def test_reopening_a_case_the_coordinator_cannot_see_raises_does_not_exist(make_case, office_b, coordinator_a):
    case = make_case(Stage.CLOSED, office=office_b)

    with pytest.raises(Case.DoesNotExist):
        case_reopen(actor=coordinator_a, case_id=case.pk, reason="Peeking.")

    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED


def test_an_inactive_actor_cannot_act_on_their_own_offices_case(make_case, office_a):
    case = make_case(Stage.INTAKE, office=office_a)
    departed = UserFactory(office=office_a, is_active=False)

    with pytest.raises(Case.DoesNotExist):
        case_add_note(actor=departed, case_id=case.pk, text="Still here.")
