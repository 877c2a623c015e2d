"""The home page: my open cases, cases waiting for assignment, my deadlines and tasks this week, recent activity."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.core.services.cases import case_add_note, case_assign
from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_add, task_add
from cases.models import Case
from tests.factories import ClaimantFactory

URL = reverse("home")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_my_open_cases_lists_my_cases_with_the_latest_activity_first(
    client, make_case, paralegal_a, coordinator_a, administrator
):
    quiet, busy = make_case(Stage.REDRESS), make_case(Stage.REDRESS)
    closed = make_case(Stage.CLOSED, closed_from=Stage.REDRESS)
    someone_elses = make_case(Stage.EVIDENCE)
    case_assign(actor=coordinator_a, case_id=someone_elses.pk, assignee=coordinator_a)
    Case.objects.filter(pk=quiet.pk).update(updated_at=timezone.now() - timedelta(days=2))
    case_add_note(actor=paralegal_a, case_id=busy.pk, text="Called the worker.")
    client.force_login(paralegal_a)

    response = client.get(URL)

    assert [case.reference for case in response.context["mine"]] == [busy.reference, quiet.reference]
    page = response.content.decode()
    assert f'href="{reverse("case_detail", args=[busy.pk])}"' in page
    assert closed.reference not in [case.reference for case in response.context["mine"]]


def test_my_open_cases_shows_at_most_ten(client, make_case, paralegal_a):
    for _ in range(11):
        make_case(Stage.REDRESS)
    client.force_login(paralegal_a)

    response = client.get(URL)

    assert len(response.context["mine"]) == 10
    assert response.context["figures"]["mine"] == 11
    assert "See all 11 of your open cases" in response.content.decode()


def test_coordinators_see_open_cases_in_assignment_or_without_a_paralegal(client, make_case, coordinator_a, office_b):
    in_assignment = make_case(Stage.ASSIGNMENT)
    in_intake = make_case(Stage.INTAKE)
    assigned_in_redress = make_case(Stage.REDRESS)
    closed = make_case(Stage.CLOSED)
    other_office = make_case(Stage.ASSIGNMENT, office=office_b)
    client.force_login(coordinator_a)

    response = client.get(URL)

    waiting = {case.reference for case in response.context["waiting"]}
    assert waiting == {in_assignment.reference, in_intake.reference}
    assert not waiting & {assigned_in_redress.reference, closed.reference, other_office.reference}
    assert "Cases waiting for assignment" in response.content.decode()


def test_paralegals_do_not_get_the_waiting_for_assignment_section(client, make_case, paralegal_a):
    make_case(Stage.ASSIGNMENT)
    client.force_login(paralegal_a)

    response = client.get(URL)

    assert response.context["waiting"] is None
    assert "Cases waiting for assignment" not in response.content.decode()


def test_deadlines_show_a_placeholder_when_none_fall_due_this_week(client, paralegal_a):
    client.force_login(paralegal_a)

    page = client.get(URL).content.decode()

    assert "Deadlines this week" in page
    assert "Nothing of yours is overdue or due this week." in page
    assert 'href="/my-work/">See all in My work (0)</a>' in page


def test_recent_activity_shows_the_latest_events_of_visible_cases_only(client, make_case, paralegal_a, office_b):
    mine = make_case(Stage.EVIDENCE)
    hidden = make_case(Stage.EVIDENCE, office=office_b)
    client.force_login(paralegal_a)

    response = client.get(URL)

    events = list(response.context["activity"])
    assert {event.case_id for event in events} == {mine.pk}
    assert events[0].created_at >= events[-1].created_at
    page = response.content.decode()
    assert f'href="{reverse("case_detail", args=[mine.pk])}">{mine.reference}</a>' in page
    assert hidden.reference not in page


def test_recent_activity_shows_fifteen_events_with_actor_and_a_truncated_note(client, make_case, paralegal_a):
    case = make_case()
    for number in range(16):
        case_add_note(actor=paralegal_a, case_id=case.pk, text=f"Note {number}: " + "spoke with the worker " * 10)
    client.force_login(paralegal_a)

    response = client.get(URL)

    assert len(response.context["activity"]) == 15
    page = response.content.decode()
    note = "Note 15: " + "spoke with the worker " * 10
    assert note[:79] + "…" in page
    assert note[:81] not in page
    assert paralegal_a.get_full_name() in page


def test_the_counts_are_still_there(client, make_case, paralegal_a):
    make_case(Stage.REDRESS)
    make_case(Stage.INTAKE)
    client.force_login(paralegal_a)

    figures = client.get(URL).context["figures"]

    assert figures == {"mine": 1, "unassigned": 1, "open": 2}


@pytest.mark.parametrize("who", ["paralegal_a", "coordinator_a"])
def test_the_home_page_costs_the_same_queries_with_one_case_or_many(
    client, make_case, request, who, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    make_case(Stage.REDRESS)

    with CaptureQueriesContext(connection) as one_case:
        client.get(URL)
    for _ in range(12):
        case = make_case(Stage.REDRESS, claimant=ClaimantFactory())
        case_add_note(actor=user, case_id=case.pk, text="Checked the payslips.")
        make_case(Stage.ASSIGNMENT)

    with CaptureQueriesContext(connection) as many_cases:
        client.get(URL)

    assert len(one_case) == len(many_cases)
    if who == "coordinator_a":
        # session, user, counts, my open cases, waiting for assignment, recent activity, my office (and its zone),
        # my deadlines and tasks this week (their ids in one UNION ALL, then the rows), how many My work holds, how
        # many on unassigned cases, the header's counts
        with django_assert_num_queries(11):
            client.get(URL)
    else:
        # session, user, counts, my open cases, recent activity, my office (and its zone), my deadlines and tasks
        # this week (their ids in one UNION ALL, then the rows), how many My work holds, the header's counts
        with django_assert_num_queries(9):
            client.get(URL)


def test_the_deadline_panel_shows_my_own_items_overdue_first_then_soonest_and_links_to_my_work(
    client, make_case, paralegal_a, coordinator_a
):
    now = timezone.now()
    mine, unassigned = make_case(Stage.REDRESS), make_case(Stage.INTAKE)
    with time_machine.travel(now - timedelta(days=400)):
        # Old items: mine is overdue; the other is on an unassigned case (the coordinators', not mine).
        old_mine = deadline_add(actor=paralegal_a, case_id=mine.pk, kind="hearing", due_at=now - timedelta(days=300))
        deadline_add(actor=coordinator_a, case_id=unassigned.pk, kind="departure", due_at=now - timedelta(days=390))
    soon = [
        deadline_add(actor=paralegal_a, case_id=mine.pk, kind="follow_up", due_at=now + timedelta(hours=hour + 1))
        for hour in range(9)
    ]
    task = task_add(
        actor=coordinator_a,
        case_id=unassigned.pk,
        title="Call back",
        assignee=paralegal_a,
        due_at=now + timedelta(days=2),
    )
    deadline_add(actor=paralegal_a, case_id=mine.pk, kind="filing_due", due_at=now + timedelta(days=12))
    client.force_login(paralegal_a)

    response = client.get(URL)

    shown = [item.pk for item in response.context["deadlines"]]
    assert shown == [old_mine.pk, *[item.pk for item in soon]]  # ten at most: the task (day 2) is the eleventh
    assert task.pk not in shown
    page = response.content.decode()
    assert 'href="/my-work/">See all in My work (12)</a>' in page
    assert "on a case nobody is assigned to" not in page

    client.force_login(coordinator_a)
    coordinator = client.get(URL)
    assert [item.kind for item in coordinator.context["deadlines"]] == ["departure"]
    assert "1 of them is on a case nobody is assigned to yet." in coordinator.content.decode()
