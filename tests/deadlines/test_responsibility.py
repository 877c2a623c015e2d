"""Who answers for a deadline: the case's paralegal (kept through reassignment), the office's coordinators while the
case is unassigned, a task's assignee; read by My work, Home and the calendar through ``cases.deadlines.my_work``."""

from datetime import timedelta

from django.utils import timezone

from cases.core.services.cases import case_assign, case_close
from cases.core.stages import Outcome, Stage
from cases.deadlines.my_work import responsible_items
from cases.deadlines.services.deadlines import deadline_add
from cases.models import Deadline, DeadlineKind
from tests.factories import UserFactory


def _hearing(case, actor):
    return deadline_add(
        actor=actor, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=timezone.now() + timedelta(days=3)
    )


def test_a_new_deadline_answers_to_the_cases_paralegal_and_remembers_the_office(make_case, administrator, paralegal_a):
    case = make_case(Stage.REDRESS)  # assigned to paralegal_a on the way

    deadline = _hearing(case, administrator)

    assert (deadline.assignee, deadline.office_id) == (paralegal_a, case.office_id)
    assert list(responsible_items(paralegal_a)) == [deadline]


def test_reassigning_the_case_moves_its_deadlines_but_not_its_tasks(make_case, administrator, paralegal_a, office_a):
    case = make_case(Stage.REDRESS)
    deadline = _hearing(case, administrator)
    task = Deadline.objects.create(
        case=case,
        kind=DeadlineKind.TASK,
        title="Collect payslips",
        assignee=paralegal_a,
        entered_by=administrator,
        due_at=timezone.now() + timedelta(days=2),
    )
    colleague = UserFactory(office=office_a)

    case_assign(actor=administrator, case_id=case.pk, assignee=colleague)

    deadline.refresh_from_db()
    task.refresh_from_db()
    assert deadline.assignee == colleague
    assert task.assignee == paralegal_a
    assert list(responsible_items(colleague)) == [deadline]
    assert list(responsible_items(paralegal_a)) == [task]


def test_an_unassigned_cases_deadlines_are_the_office_coordinators(
    make_case, administrator, coordinator_a, coordinator_b, paralegal_a
):
    case = make_case(Stage.EVIDENCE)  # nobody assigned yet
    deadline = _hearing(case, administrator)

    assert deadline.assignee is None
    assert list(responsible_items(coordinator_a)) == [deadline]
    assert list(responsible_items(coordinator_b)) == []
    assert list(responsible_items(paralegal_a)) == []


def test_a_closed_cases_items_are_nobodys(make_case, administrator, paralegal_a):
    case = make_case(Stage.REDRESS)
    _hearing(case, administrator)
    case_close(actor=administrator, case_id=case.pk, outcome=Outcome.NOTHING, reason="Employer vanished.")

    assert list(responsible_items(paralegal_a)) == []
