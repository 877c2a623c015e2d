"""Deadline and task services: cancel needs a reason, reopen brings reminders back, tasks go to people who can see
the case and are never marked missed; every change writes an event and bumps the case's version."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cases.core.errors import InvalidInput
from cases.core.services.cases import case_close
from cases.core.stages import Outcome, Stage
from cases.deadlines.services.deadlines import (
    deadline_add,
    deadline_mark_missed,
    deadline_reopen,
    deadline_set_status,
    deadlines_recompute,
    task_add,
)
from cases.models import (
    Case,
    CaseEvent,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    EventKind,
    Reminder,
    ReminderChannel,
    ReminderStatus,
)
from tests.factories import UserFactory

NOW = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _pending(deadline) -> set[str]:
    return set(
        Reminder.objects.filter(
            idempotency_key__startswith=f"deadline:{deadline.pk}:",
            status=ReminderStatus.PENDING,
            channel=ReminderChannel.EMAIL,  # each reminder also has its in-app twin
        ).values_list("idempotency_key", flat=True)
    )


def _version(case) -> int:
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


@pytest.fixture
def hearing(make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    return deadline_add(actor=paralegal_a, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=NOW + timedelta(days=20))


def test_cancelling_without_a_reason_is_refused_and_saves_nothing(hearing, paralegal_a):
    version = _version(hearing.case)
    events = CaseEvent.objects.count()

    with pytest.raises(InvalidInput) as english:
        deadline_set_status(actor=paralegal_a, deadline_id=hearing.pk, status="cancelled", reason="   ")
    with pytest.raises(InvalidInput):
        deadline_set_status(actor=paralegal_a, deadline_id=hearing.pk, status="cancelled")

    assert str(english.value.message) == "Say why it is cancelled."
    hearing.refresh_from_db()
    assert hearing.status == DeadlineStatus.OPEN and hearing.closed_by is None and hearing.status_reason == ""
    assert CaseEvent.objects.count() == events and _version(hearing.case) == version
    assert len(_pending(hearing)) == 5


def test_cancelling_with_a_reason_records_who_when_why_and_cancels_the_reminders(hearing, paralegal_a):
    version = _version(hearing.case)

    deadline_set_status(actor=paralegal_a, deadline_id=hearing.pk, status="cancelled", reason=" Hearing vacated. ")

    hearing.refresh_from_db()
    assert (hearing.status, hearing.closed_by, hearing.closed_at, hearing.status_reason) == (
        DeadlineStatus.CANCELLED,
        paralegal_a,
        NOW,
        "Hearing vacated.",
    )
    event = CaseEvent.objects.filter(case=hearing.case).first()
    assert event.kind == EventKind.DEADLINE_CHANGED and event.actor == paralegal_a
    assert event.payload == {"deadline": hearing.pk, "kind": "hearing", "from_status": "open", "to_status": "cancelled"}
    assert event.reason == "Hearing vacated."
    assert _version(hearing.case) == version + 1
    assert _pending(hearing) == set()


def test_reopening_a_cancelled_deadline_brings_its_future_reminders_back(hearing, paralegal_a):
    before = _pending(hearing)
    deadline_set_status(actor=paralegal_a, deadline_id=hearing.pk, status="cancelled", reason="Mistake.")

    with time_machine.travel(NOW + timedelta(days=10), tick=False):
        deadline_reopen(actor=paralegal_a, deadline_id=hearing.pk, reason="It was not vacated after all.")

    hearing.refresh_from_db()
    assert hearing.status == DeadlineStatus.OPEN and hearing.status_reason == "It was not vacated after all."
    # Only the reminders still ahead come back: 7, 2 and 1 days before and on the day (14 days before has passed).
    assert _pending(hearing) and _pending(hearing) < before
    assert len(_pending(hearing)) == 4
    event = CaseEvent.objects.filter(case=hearing.case).first()
    assert event.kind == EventKind.DEADLINE_REOPENED
    assert (event.payload["from_status"], event.payload["to_status"]) == ("cancelled", "open")


def test_a_met_deadline_can_be_reopened_but_an_open_one_cannot(hearing, paralegal_a):
    with pytest.raises(InvalidInput):
        deadline_reopen(actor=paralegal_a, deadline_id=hearing.pk)

    deadline_set_status(actor=paralegal_a, deadline_id=hearing.pk, status="met")
    deadline_reopen(actor=paralegal_a, deadline_id=hearing.pk)

    assert Deadline.objects.get(pk=hearing.pk).status == DeadlineStatus.OPEN


def test_someone_of_another_office_cannot_close_or_reopen(hearing, paralegal_b):
    with pytest.raises(Case.DoesNotExist):
        deadline_set_status(actor=paralegal_b, deadline_id=hearing.pk, status="met")
    with pytest.raises(Case.DoesNotExist):
        deadline_reopen(actor=paralegal_b, deadline_id=hearing.pk)
    assert Deadline.objects.get(pk=hearing.pk).status == DeadlineStatus.OPEN


def test_a_computed_deadline_is_not_reopened_over_a_newer_open_one(make_case, paralegal_a, administrator):
    case = make_case(Stage.REDRESS)
    Case.objects.filter(pk=case.pk).update(departure_date=NOW.date() + timedelta(days=30))
    deadlines_recompute(case=Case.objects.get(pk=case.pk), actor=administrator)
    first = Deadline.objects.get(case=case, kind=DeadlineKind.DEPARTURE)
    deadline_set_status(actor=paralegal_a, deadline_id=first.pk, status="cancelled", reason="Trip postponed.")
    # The departure is computed again (the date was entered again): a new open computed deadline.
    Case.objects.filter(pk=case.pk).update(departure_date=NOW.date() + timedelta(days=40))
    deadlines_recompute(case=Case.objects.get(pk=case.pk), actor=administrator)
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.DEPARTURE, status="open").count() == 1

    with pytest.raises(InvalidInput, match="newer computed deadline"):
        deadline_reopen(actor=paralegal_a, deadline_id=first.pk)

    assert Deadline.objects.get(pk=first.pk).status == DeadlineStatus.CANCELLED


def test_nothing_is_reopened_on_a_closed_case(hearing, paralegal_a, administrator):
    deadline_set_status(actor=paralegal_a, deadline_id=hearing.pk, status="met")
    case_close(actor=administrator, case_id=hearing.case_id, outcome=Outcome.NOTHING, reason="Worker left.")

    with pytest.raises(InvalidInput):
        deadline_reopen(actor=paralegal_a, deadline_id=hearing.pk)


def test_a_task_for_a_colleague_is_saved_with_an_event_naming_it_and_reminds_the_assignee(
    make_case, paralegal_a, coordinator_a
):
    case = make_case(Stage.REDRESS)

    task = task_add(
        actor=coordinator_a,
        case_id=case.pk,
        title=" Collect payslips ",
        assignee=paralegal_a,
        due_at=NOW + timedelta(days=10),
        note="From the agency.",
    )

    assert (task.kind, task.title, task.assignee, task.entered_by) == (
        "task",
        "Collect payslips",
        paralegal_a,
        coordinator_a,
    )
    event = CaseEvent.objects.filter(case=case).first()
    assert (event.kind, event.reason, event.actor) == (EventKind.TASK_ADDED, "Collect payslips", coordinator_a)
    assert event.payload["assignee"] == paralegal_a.pk
    assert _pending(task)  # reminders written (their recipient is the reminder rules' business)


def test_a_task_done_shows_its_title_in_the_timeline(make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    task = task_add(
        actor=paralegal_a,
        case_id=case.pk,
        title="Call the worker back",
        assignee=paralegal_a,
        due_at=NOW + timedelta(days=1),
    )

    deadline_set_status(actor=paralegal_a, deadline_id=task.pk, status="met")

    event = CaseEvent.objects.filter(case=case).first()
    assert (event.kind, event.reason) == (EventKind.TASK_DONE, "Call the worker back")
    assert (event.payload["from_status"], event.payload["to_status"]) == ("open", "met")
    assert _pending(task) == set()


def test_a_cancelled_task_reopens_with_a_task_changed_event(make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    task = task_add(
        actor=paralegal_a, case_id=case.pk, title="Visit", assignee=paralegal_a, due_at=NOW + timedelta(days=9)
    )
    deadline_set_status(actor=paralegal_a, deadline_id=task.pk, status="cancelled", reason="Not needed.")
    assert CaseEvent.objects.filter(case=case).first().reason == "Visit\nNot needed."

    deadline_reopen(actor=paralegal_a, deadline_id=task.pk)

    event = CaseEvent.objects.filter(case=case).first()
    assert (event.kind, event.reason, event.payload["to_status"]) == (EventKind.TASK_CHANGED, "Visit", "open")
    assert _pending(task)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "  "}, "Say what the task is."),
        ({"title": "x" * 201}, "The task is too long"),
        ({"due_at": NOW - timedelta(minutes=1)}, "cannot be due in the past"),
        ({"due_at": datetime(2025, 2, 1, 9, 0)}, "Give the date and time"),
        ({"assignee": None}, "Choose who does the task."),
    ],
)
def test_bad_task_input_is_refused_and_nothing_is_saved(make_case, paralegal_a, change, message):
    case = make_case(Stage.REDRESS)
    data = {"title": "Call back", "assignee": paralegal_a, "due_at": NOW + timedelta(days=1), **change}

    with pytest.raises(InvalidInput, match=message):
        task_add(actor=paralegal_a, case_id=case.pk, **data)

    assert not Deadline.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.TASK_ADDED).exists()


def test_a_task_for_someone_who_cannot_see_the_case_is_refused(make_case, paralegal_a, paralegal_b):
    case = make_case(Stage.REDRESS)
    inactive = UserFactory(office=case.office, is_active=False)

    with pytest.raises(InvalidInput, match="cannot see this case"):
        task_add(actor=paralegal_a, case_id=case.pk, title="Call", assignee=paralegal_b, due_at=NOW + timedelta(days=1))
    with pytest.raises(InvalidInput, match="not an active member of staff"):
        task_add(actor=paralegal_a, case_id=case.pk, title="Call", assignee=inactive, due_at=NOW + timedelta(days=1))

    assert not Deadline.objects.exists()


def test_no_task_on_a_closed_case(make_case, paralegal_a):
    case = make_case(Stage.CLOSED)

    with pytest.raises(InvalidInput, match="closed case"):
        task_add(actor=paralegal_a, case_id=case.pk, title="Call", assignee=paralegal_a, due_at=NOW + timedelta(days=1))


def test_a_task_is_never_marked_missed_but_a_deadline_is(make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    task = task_add(
        actor=paralegal_a, case_id=case.pk, title="Call", assignee=paralegal_a, due_at=NOW + timedelta(hours=1)
    )
    hearing = deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(hours=1))

    assert deadline_mark_missed(NOW + timedelta(days=1)) == 1

    assert Deadline.objects.get(pk=task.pk).status == DeadlineStatus.OPEN
    assert Deadline.objects.get(pk=hearing.pk).status == DeadlineStatus.MISSED


def test_a_task_cannot_be_entered_as_a_plain_deadline(make_case, paralegal_a):
    case = make_case(Stage.REDRESS)

    with pytest.raises(InvalidInput, match="add it as a task"):
        deadline_add(actor=paralegal_a, case_id=case.pk, kind="task", due_at=NOW + timedelta(days=1))
