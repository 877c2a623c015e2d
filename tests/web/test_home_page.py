"""The home page: my open cases, cases waiting for assignment, my deadlines and tasks this week, recent activity."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.services import case_add_note, case_assign
from cases.stages import Stage
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
        # my deadlines and tasks this week, My work's totals (all, on unassigned cases)
        with django_assert_num_queries(9):
            client.get(URL)
    else:
        # session, user, counts, my open cases, recent activity, my office (and its zone), my deadlines and tasks
        # this week, My work's totals
        with django_assert_num_queries(8):
            client.get(URL)
