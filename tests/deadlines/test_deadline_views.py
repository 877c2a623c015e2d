"""The deadlines section of the case page: deadlines and tasks, cancel with a reason, reopen; Home's panel."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_add, deadline_set_status, task_add
from cases.models import CaseEvent, Deadline, DeadlineKind, EventKind
from tests.factories import UserFactory

NOW = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _add(client, case, **data):
    return client.post(reverse("deadline_add", args=[case.pk]), {"kind": "hearing", "note": "", **data})


def test_a_deadline_entered_by_hand_is_saved_in_the_office_time_and_listed(client, make_case, paralegal_a, office_a):
    office_a.timezone = "Asia/Bangkok"
    office_a.save(update_fields=["timezone"])
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)

    response = _add(client, case, date="2025-01-20", time="10:00", note="Room 4")

    assert response.status_code == 302
    deadline = Deadline.objects.get(case=case)
    assert deadline.due_at == datetime(2025, 1, 20, 3, 0, tzinfo=UTC)
    assert deadline.entered_by == paralegal_a
    assert (
        CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_ADDED)
        .get()
        .payload["due"]
        .startswith("2025-01-20T10:00:00+07:00")
    )
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    # The short format for English (config/formats/en), in the office's zone, with the zone's name and offset beside it.
    assert "20 Jan 2025, 10:00" in page and "Asia/Bangkok, UTC+7" in page and "Entered by hand by" in page
    assert "Times in Asia/Bangkok, UTC+7." in page


@pytest.mark.parametrize(
    "data", [{"date": ""}, {"date": "not a date"}, {"date": "2024-12-31"}, {"date": "2025-01-20", "kind": "party"}]
)
def test_bad_input_answers_400_with_the_field_error_and_saves_nothing(client, make_case, paralegal_a, data):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)

    response = _add(client, case, **data)

    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert not Deadline.objects.exists()


def test_another_offices_case_is_404(client, make_case, paralegal_b, paralegal_a):
    case = make_case(Stage.REDRESS)
    deadline = deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(days=3))
    client.force_login(paralegal_b)

    assert _add(client, case, date="2025-01-20").status_code == 404
    url = reverse("deadline_status", args=[case.pk, deadline.pk])
    assert client.post(url, {"status": "met"}).status_code == 404
    assert Deadline.objects.get().status == "open"


def test_marking_met_and_an_overdue_deadline_shown_in_red(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    met = deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(days=3))
    deadline_add(actor=paralegal_a, case_id=case.pk, kind="filing_due", due_at=NOW + timedelta(hours=1))
    client.force_login(paralegal_a)

    assert client.post(reverse("deadline_status", args=[case.pk, met.pk]), {"status": "met"}).status_code == 302
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        page = client.get(reverse("case_detail", args=[case.pk])).content.decode()

    assert Deadline.objects.get(pk=met.pk).status == "met"
    assert 'class="overdue"' in page and "Overdue" in page
    again = client.post(reverse("deadline_status", args=[case.pk, met.pk]), {"status": "cancelled"})
    assert again.status_code == 400


def test_the_case_page_costs_the_same_queries_with_2_or_10_deadlines(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)
    url = reverse("case_detail", args=[case.pk])
    for day in range(2):
        deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(days=day + 1))
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for day in range(4):
        deadline_add(actor=paralegal_a, case_id=case.pk, kind="follow_up", due_at=NOW + timedelta(days=day + 3))
    for day in range(4):
        task = task_add(
            actor=paralegal_a,
            case_id=case.pk,
            title=f"Call {day}",
            assignee=UserFactory(office=case.office),
            due_at=NOW + timedelta(days=day + 3),
        )
        if day % 2:
            deadline_set_status(actor=paralegal_a, deadline_id=task.pk, status="cancelled", reason="Not needed.")
    with CaptureQueriesContext(connection) as ten:
        client.get(url)

    assert len(two) == len(ten)


def test_the_home_page_shows_my_deadlines_this_week_with_overdue_in_red(client, make_case, paralegal_a, office_b):
    mine = make_case(Stage.REDRESS)
    hidden = make_case(Stage.REDRESS, office=office_b)
    soon = deadline_add(actor=paralegal_a, case_id=mine.pk, kind=DeadlineKind.HEARING, due_at=NOW + timedelta(days=2))
    deadline_add(actor=paralegal_a, case_id=mine.pk, kind=DeadlineKind.FOLLOW_UP, due_at=NOW + timedelta(hours=1))
    deadline_add(actor=paralegal_a, case_id=mine.pk, kind=DeadlineKind.FILING_DUE, due_at=NOW + timedelta(days=9))
    Deadline.objects.create(case=hidden, kind="hearing", due_at=NOW + timedelta(days=1), entered_by=paralegal_a)
    client.force_login(paralegal_a)

    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        response = client.get(reverse("home"))

    shown = response.context["deadlines"]
    assert [d.kind for d in shown] == ["follow_up", "hearing"]
    assert [d.is_overdue for d in shown] == [True, False]
    page = response.content.decode()
    assert f"#deadline-{soon.pk}" in page and '<li class="overdue">' in page
    assert hidden.reference not in page


def _status(client, case, deadline, **data):
    return client.post(reverse("deadline_status", args=[case.pk, deadline.pk]), data)


def test_cancel_without_a_reason_answers_400_with_the_field_error_and_saves_nothing(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    hearing = deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(days=3))
    client.force_login(paralegal_a)

    response = _status(client, case, hearing, status="cancelled", reason="  ")

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="cancel-reason-{hearing.pk}-error"' in page and "Say why it is cancelled." in page
    assert '<details class="cancel-deadline" open>' in page  # the form stays open where the error is
    hearing.refresh_from_db()
    assert hearing.status == "open" and hearing.status_reason == ""
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_CHANGED).exists()


def test_cancel_with_a_reason_shows_who_when_why_and_a_reopen_button_that_works(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    hearing = deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(days=3))
    client.force_login(paralegal_a)

    response = _status(client, case, hearing, status="cancelled", reason="The court moved it.")

    assert response.status_code == 302 and response.url.endswith(f"#deadline-{hearing.pk}")
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "The court moved it." in page and f"by {paralegal_a.get_full_name()}, 1 Jan 2025, 03:00" in page
    reopen = reverse("deadline_reopen", args=[case.pk, hearing.pk])
    assert f'action="{reopen}"' in page

    assert client.post(reopen, {"reason": ""}).status_code == 302
    assert Deadline.objects.get(pk=hearing.pk).status == "open"
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_REOPENED).exists()
    assert client.post(reopen, {"reason": ""}).status_code == 400  # already open: refused, said on the page


def test_other_offices_deadlines_and_tasks_are_404(client, make_case, paralegal_a, paralegal_b):
    case = make_case(Stage.REDRESS)
    hearing = deadline_add(actor=paralegal_a, case_id=case.pk, kind="hearing", due_at=NOW + timedelta(days=3))
    deadline_set_status(actor=paralegal_a, deadline_id=hearing.pk, status="met")
    client.force_login(paralegal_b)

    assert client.post(reverse("deadline_reopen", args=[case.pk, hearing.pk])).status_code == 404
    task = {"title": "Call", "assignee": paralegal_b.pk, "date": "2025-01-20", "time": "", "note": ""}
    assert client.post(reverse("task_add", args=[case.pk]), task).status_code == 404
    assert Deadline.objects.get().status == "met"


def test_a_task_is_added_through_the_form_in_office_time_for_a_colleague(
    client, make_case, paralegal_a, coordinator_a, paralegal_b, office_a
):
    office_a.timezone = "Asia/Bangkok"
    office_a.save(update_fields=["timezone"])
    case = make_case(Stage.REDRESS)
    client.force_login(coordinator_a)

    page = client.get(reverse("case_detail", args=[case.pk]))
    choices = {person.pk for person in page.context["deadlines"]["task_form"].fields["assignee"].queryset}
    assert choices == {paralegal_a.pk, coordinator_a.pk}  # the office's staff, not another office's
    assert page.context["deadlines"]["task_form"]["assignee"].value() == coordinator_a.pk

    response = client.post(
        reverse("task_add", args=[case.pk]),
        {"title": "Collect payslips", "assignee": paralegal_a.pk, "date": "2025-01-10", "time": "14:00", "note": ""},
    )

    assert response.status_code == 302
    task = Deadline.objects.get(case=case, kind="task")
    assert (task.title, task.assignee, task.due_at) == (
        "Collect payslips",
        paralegal_a,
        datetime(2025, 1, 10, 7, 0, tzinfo=UTC),
    )
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Collect payslips" in page and f"Task for {paralegal_a.get_full_name()}" in page


@pytest.mark.parametrize(
    "data",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"date": "2024-12-31"},
        {"date": ""},
        {"assignee": "other office"},
        {"assignee": ""},
    ],
)
def test_bad_task_input_answers_400_with_a_field_error_and_saves_nothing(
    client, make_case, paralegal_a, paralegal_b, data
):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)
    body = {"title": "Call back", "assignee": paralegal_a.pk, "date": "2025-01-10", "time": "", "note": "", **data}
    if body["assignee"] == "other office":
        body["assignee"] = paralegal_b.pk

    response = client.post(reverse("task_add", args=[case.pk]), body)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="errorlist"' in page and '<details id="new-task" open>' in page
    assert not Deadline.objects.exists()


def test_an_overdue_task_stays_open_and_shows_overdue(client, make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    task_add(
        actor=paralegal_a, case_id=case.pk, title="Call back", assignee=paralegal_a, due_at=NOW + timedelta(hours=1)
    )
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        client.force_login(paralegal_a)
        page = client.get(reverse("case_detail", args=[case.pk])).content.decode()

    assert 'class="overdue"' in page and "Overdue" in page and ">Done</button>" in page
