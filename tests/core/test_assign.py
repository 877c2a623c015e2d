"""Coordinators assign cases (one or several) to active staff of the case's office; paralegals may take one where the
office allows it; the event records who it moved from and to."""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.utils import timezone

from cases.core.errors import IllegalTransition, InvalidInput, NotPermitted, StaleCase
from cases.core.services.cases import (
    BULK_ASSIGN_MAX,
    NotAssigned,
    case_add_note,
    case_assign,
    case_assign_bulk,
    case_take,
)
from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_add
from cases.models import Case, CaseEvent, DeadlineKind, EventKind, Reminder, ReminderStatus
from tests.factories import CaseFactory, OfficeFactory, UserFactory


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


# --- A paralegal takes an unassigned case of their office (case_take) ------------------------------------------


@pytest.fixture
def taking_office(office_a):
    office_a.paralegals_may_take_cases = True
    office_a.save(update_fields=["paralegals_may_take_cases"])
    return office_a


def test_a_paralegal_takes_an_unassigned_case_when_the_office_allows_it(make_case, paralegal_a, taking_office):
    case = make_case(Stage.EVIDENCE)

    taken = case_take(actor=paralegal_a, case_id=case.pk, expected_version=case.version)

    assert Case.objects.get(pk=case.pk).assigned_to == paralegal_a
    assert taken.version == case.version + 1
    event = case.events.get(kind=EventKind.ASSIGNED)
    assert event.actor == paralegal_a
    assert event.payload == {"from": None, "to": paralegal_a.pk, "taken": True}


@time_machine.travel(datetime(2025, 1, 1, 3, 0, tzinfo=UTC), tick=False)
def test_the_deadline_reminders_follow_the_paralegal_who_takes_the_case(
    make_case, paralegal_a, coordinator_a, taking_office
):
    case = make_case(Stage.EVIDENCE)
    deadline_add(
        actor=coordinator_a, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=timezone.now() + timedelta(days=20)
    )
    pending = Reminder.objects.filter(case=case, template="deadline", status=ReminderStatus.PENDING)
    assert set(pending.values_list("recipient_user_id", flat=True)) == {coordinator_a.pk}

    case_take(actor=paralegal_a, case_id=case.pk)

    assert set(pending.values_list("recipient_user_id", flat=True)) == {paralegal_a.pk}


def test_a_coordinator_of_the_office_may_take_a_case_too(make_case, coordinator_a, taking_office):
    case = make_case(Stage.INTAKE)

    assert case_take(actor=coordinator_a, case_id=case.pk).assigned_to == coordinator_a


def test_no_one_takes_a_case_when_the_office_does_not_allow_it(make_case, paralegal_a, office_a):
    assert office_a.paralegals_may_take_cases is False  # the default
    case = make_case(Stage.EVIDENCE)

    with pytest.raises(NotPermitted, match="a coordinator assigns the cases"):
        case_take(actor=paralegal_a, case_id=case.pk)

    assert Case.objects.get(pk=case.pk).assigned_to is None
    assert not case.events.filter(kind=EventKind.ASSIGNED).exists()


def test_a_paralegal_of_another_office_does_not_find_the_case(make_case, paralegal_b, taking_office):
    case = make_case(Stage.EVIDENCE)

    with pytest.raises(Case.DoesNotExist):
        case_take(actor=paralegal_b, case_id=case.pk)

    assert Case.objects.get(pk=case.pk).assigned_to is None


@pytest.mark.parametrize("who", ["global_coordinator", "administrator"])
def test_staff_who_see_every_office_but_work_in_none_of_them_cannot_take(make_case, taking_office, request, who):
    case = make_case(Stage.EVIDENCE)

    with pytest.raises(NotPermitted):
        case_take(actor=request.getfixturevalue(who), case_id=case.pk)

    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_a_case_someone_already_has_is_a_conflict_naming_them(make_case, paralegal_a, taking_office):
    case = make_case(Stage.REDRESS)  # assigned to paralegal_a on the way
    colleague = UserFactory(office=taking_office, first_name="Aye", last_name="Aye")

    with pytest.raises(StaleCase, match="already assigned to") as refused:
        case_take(actor=colleague, case_id=case.pk)

    assert refused.value.http_status == 409
    assert paralegal_a.get_full_name() in str(refused.value.message)
    assert Case.objects.get(pk=case.pk).assigned_to == paralegal_a
    assert case.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_the_second_of_two_paralegals_taking_the_same_case_loses_with_a_conflict(make_case, taking_office):
    case = make_case(Stage.EVIDENCE)
    first, second = UserFactory(office=taking_office), UserFactory(office=taking_office)

    case_take(actor=first, case_id=case.pk, expected_version=case.version)
    with pytest.raises(StaleCase, match=re.escape(first.get_full_name())):
        case_take(actor=second, case_id=case.pk, expected_version=case.version)

    assert Case.objects.get(pk=case.pk).assigned_to == first
    assert case.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_taking_a_case_one_already_has_is_a_conflict(make_case, paralegal_a, taking_office):
    case = make_case(Stage.REDRESS)

    with pytest.raises(StaleCase, match="already assigned to you"):
        case_take(actor=paralegal_a, case_id=case.pk)


def test_a_closed_case_cannot_be_taken(make_case, paralegal_a, taking_office):
    case = make_case(Stage.CLOSED)

    with pytest.raises(IllegalTransition):
        case_take(actor=paralegal_a, case_id=case.pk)

    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_taking_from_a_stale_page_is_refused(make_case, paralegal_a, taking_office):
    case = make_case(Stage.EVIDENCE)
    case_add_note(actor=paralegal_a, case_id=case.pk, text="Called the worker.")

    with pytest.raises(StaleCase):
        case_take(actor=paralegal_a, case_id=case.pk, expected_version=case.version)

    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_an_inactive_paralegal_cannot_take(make_case, taking_office):
    case = make_case(Stage.EVIDENCE)
    departed = UserFactory(office=taking_office, is_active=False)

    with pytest.raises(NotPermitted):
        case_take(actor=departed, case_id=case.pk)

    assert Case.objects.get(pk=case.pk).assigned_to is None


# --- A coordinator assigns several cases at once (case_assign_bulk) ----------------------------------------------


def test_bulk_assignment_assigns_each_case_with_its_own_event(make_case, coordinator_a, paralegal_a):
    cases = [make_case(Stage.INTAKE) for _ in range(3)]

    result = case_assign_bulk(actor=coordinator_a, case_ids=[case.pk for case in cases], assignee=paralegal_a)

    assert [case.pk for case in result.assigned] == [case.pk for case in cases]
    assert result.not_assigned == []
    for case in cases:
        assert Case.objects.get(pk=case.pk).assigned_to == paralegal_a
        event = case.events.get(kind=EventKind.ASSIGNED)
        assert (event.actor, event.payload) == (coordinator_a, {"from": None, "to": paralegal_a.pk})


def test_bulk_assignment_reports_each_refusal_and_assigns_the_rest(make_case, coordinator_a, paralegal_a):
    fresh, closed, already = make_case(Stage.INTAKE), make_case(Stage.CLOSED), make_case(Stage.REDRESS)
    elsewhere = make_case(Stage.INTAKE, office=OfficeFactory())

    result = case_assign_bulk(
        actor=coordinator_a,
        case_ids=[fresh.pk, closed.pk, already.pk, elsewhere.pk, 2**31 - 1],
        assignee=paralegal_a,
    )

    assert [case.pk for case in result.assigned] == [fresh.pk]
    assert result.not_assigned == [
        NotAssigned(closed.pk, closed.reference, "A closed case cannot be assigned."),
        NotAssigned(already.pk, already.reference, "The case is already assigned to this person."),
        # A case of an office the coordinator does not see reads exactly like an id that does not exist.
        NotAssigned(elsewhere.pk, "", "Not found."),
        NotAssigned(2**31 - 1, "", "Not found."),
    ]
    assert Case.objects.get(pk=elsewhere.pk).assigned_to is None
    assert not elsewhere.events.filter(kind=EventKind.ASSIGNED).exists()


def test_bulk_assignment_is_for_coordinators_and_is_capped(make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.INTAKE)

    with pytest.raises(NotPermitted):
        case_assign_bulk(actor=paralegal_a, case_ids=[case.pk], assignee=paralegal_a)
    with pytest.raises(InvalidInput, match="at most 100"):
        case_assign_bulk(actor=coordinator_a, case_ids=range(1, BULK_ASSIGN_MAX + 2), assignee=paralegal_a)

    assert Case.objects.get(pk=case.pk).assigned_to is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has no SELECT ... FOR UPDATE")
@pytest.mark.django_db(transaction=True)
def test_two_paralegals_taking_at_the_same_moment_give_one_assignment_and_one_conflict(office_a, coordinator_a):
    office_a.paralegals_may_take_cases = True
    office_a.save(update_fields=["paralegals_may_take_cases"])
    case = CaseFactory(office=office_a, actor=coordinator_a)
    paralegals = [UserFactory(office=office_a), UserFactory(office=office_a)]
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[int, object] = {}

    def take(actor):
        try:
            barrier.wait()
            case_take(actor=actor, case_id=case.pk, expected_version=case.version)
            outcomes[actor.pk] = "took"
        except Exception as exc:  # collected and asserted below
            outcomes[actor.pk] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(actor,)) for actor in paralegals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    [winner] = [pk for pk, outcome in outcomes.items() if outcome == "took"]
    [loser] = [outcome for outcome in outcomes.values() if outcome != "took"]
    assert isinstance(loser, StaleCase) and "already assigned to" in str(loser.message), loser
    stored = Case.objects.get(pk=case.pk)
    assert (stored.assigned_to_id, stored.version) == (winner, case.version + 1)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNED).count() == 1
