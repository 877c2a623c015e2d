"""The case page: who may see it, what it costs, and how each action answers good and bad input."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.core.services.cases import case_add_note
from cases.core.stages import Stage
from cases.models import CaseEvent, EventKind
from cases.portal import limiter
from tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


def detail(case):
    return reverse("case_detail", args=[case.pk])


def test_a_paralegal_sees_a_case_of_their_office_with_its_stage_bar_and_timeline(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)

    response = client.get(detail(case))

    page = response.content.decode()
    assert response.status_code == 200
    assert case.reference in page
    assert 'aria-current="step"' in page
    assert "Move to Assignment" in page
    assert "Case opened" in page


@pytest.mark.parametrize("who", ["paralegal_b", "coordinator_b"])
def test_someone_of_another_office_gets_404_for_the_page_and_every_action(client, make_case, request, who):
    case = make_case()
    client.force_login(request.getfixturevalue(who))

    assert client.get(detail(case)).status_code == 404
    for name in ("case_move", "case_close", "case_note", "case_assign", "case_take", "case_reopen"):
        assert client.post(reverse(name, args=[case.pk]), {"text": "x", "to_stage": "evidence"}).status_code == 404
    assert client.get(reverse("case_edit", args=[case.pk])).status_code == 404
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, make_case):
    case = make_case()
    response = client.get(detail(case))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_page_costs_the_same_queries_with_a_short_or_long_timeline(client, make_case, coordinator_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(coordinator_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail(case)).status_code == 200
        return len(captured)

    short = queries()
    for number in range(30):
        case_add_note(actor=coordinator_a, case_id=case.pk, text=f"Call {number}")
    long = queries()

    # session, user, case + claimant/office/assignee, respondents, consent guard, timeline,
    # assignee suggestions (one query for every candidate); calculation: settings + jurisdiction,
    # periods, items, latest snapshot, jurisdiction choices; ledger: totals, entries; deadlines and tasks, the task
    # form's assignees; reminders: failed, waiting; status check: pending phone requests, and the lock when the
    # limiter's store is the database (with Redis the lock is a cache read, not a query); the header's counts;
    # + access log (one INSERT: tests/audit/test_case_page_audit.py).
    lock_query = 1 if isinstance(limiter.store(), limiter.DatabaseStore) else 0
    assert short == long == 21 + lock_query


def test_a_move_goes_through_and_redirects_back_to_the_case(client, make_case, paralegal_a):
    case = make_case()
    ConsentFactory(claimant=case.claimant)
    client.force_login(paralegal_a)

    response = client.post(
        reverse("case_move", args=[case.pk]), {"to_stage": "evidence", "expected_version": case.version}
    )

    assert response.status_code == 302 and response.url == detail(case) + "#stage"
    case.refresh_from_db()
    assert case.stage == Stage.EVIDENCE


def test_a_blocked_move_shows_the_guard_reason_with_409(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)

    response = client.post(
        reverse("case_move", args=[case.pk]), {"to_stage": "evidence", "expected_version": case.version}
    )

    assert response.status_code == 409
    assert "consent to use their information has not been recorded" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.INTAKE


def test_a_move_from_a_stale_page_is_refused_with_409_and_nothing_changes(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)
    stale_version = case.version
    case_add_note(actor=paralegal_a, case_id=case.pk, text="Someone else acted meanwhile.")

    response = client.post(
        reverse("case_move", args=[case.pk]), {"to_stage": "assignment", "expected_version": stale_version}
    )

    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.EVIDENCE


def test_moving_back_without_a_reason_is_a_400_and_with_one_is_recorded(client, make_case, paralegal_a):
    case = make_case(Stage.ASSIGNMENT)
    client.force_login(paralegal_a)
    url = reverse("case_move", args=[case.pk])

    assert client.post(url, {"to_stage": "evidence", "expected_version": case.version}).status_code == 400
    response = client.post(url, {"to_stage": "evidence", "expected_version": case.version, "reason": "Need payslips."})

    assert response.status_code == 302
    event = CaseEvent.objects.filter(case=case, kind=EventKind.STAGE_CHANGED).first()
    assert (event.to_stage, event.reason) == (Stage.EVIDENCE, "Need payslips.")


def test_only_coordinators_assign_and_the_choice_lists_suggested_paralegals(
    client, make_case, paralegal_a, coordinator_a
):
    case = make_case(Stage.ASSIGNMENT)
    url = reverse("case_assign", args=[case.pk])

    client.force_login(paralegal_a)
    assert "Reassign" not in client.get(detail(case)).content.decode()
    assert client.post(url, {"assignee": paralegal_a.pk, "expected_version": case.version}).status_code == 403

    client.force_login(coordinator_a)
    page = client.get(detail(case)).content.decode()
    assert f'value="{paralegal_a.pk}"' in page and "open cases" in page
    response = client.post(url, {"assignee": paralegal_a.pk, "expected_version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == paralegal_a


def test_an_empty_note_shows_a_field_error_and_a_note_is_added(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)
    url = reverse("case_note", args=[case.pk])

    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Worker called."}).status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=EventKind.NOTE, reason="Worker called.").exists()


def test_closing_needs_an_outcome_and_a_coordinator_can_reopen(client, make_case, paralegal_a, coordinator_a):
    case = make_case(Stage.REDRESS)
    client.force_login(paralegal_a)
    url = reverse("case_close", args=[case.pk])

    assert client.post(url, {"reason": "Done", "expected_version": case.version}).status_code == 400
    assert (
        client.post(
            url, {"outcome": "nothing", "reason": "Employer vanished.", "expected_version": case.version}
        ).status_code
        == 302
    )
    assert client.post(reverse("case_reopen", args=[case.pk]), {"reason": "New address found"}).status_code == 403

    client.force_login(coordinator_a)
    assert client.post(reverse("case_reopen", args=[case.pk]), {"reason": "New address found"}).status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.REDRESS, "")


def edit_data(case, **changes):
    data = {"version": case.version, "country_of_work": "MY", "sector": "construction", "job_title": "Welder"}
    return {**data, **changes}


def test_an_edit_saves_and_a_stale_edit_shows_a_conflict_without_overwriting(
    client, make_case, paralegal_a, coordinator_a
):
    case = make_case()
    url = reverse("case_edit", args=[case.pk])
    client.force_login(paralegal_a)
    stale = edit_data(case, job_title="Cook")

    other = Client()
    other.force_login(coordinator_a)
    assert other.post(url, edit_data(case, job_title="Welder")).status_code == 302

    response = client.post(url, stale)

    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.job_title == "Welder"
    # Saving again from the conflict page (now on the current version) is a deliberate overwrite.
    assert client.post(url, edit_data(case, job_title="Cook")).status_code == 302
    case.refresh_from_db()
    assert case.job_title == "Cook"


def test_an_invalid_edit_keeps_what_was_typed_and_marks_the_field(client, make_case, paralegal_a):
    case = make_case()
    client.force_login(paralegal_a)

    response = client.post(
        reverse("case_edit", args=[case.pk]),
        edit_data(case, work_started_on="2026-05-01", work_ended_on="2026-01-01", job_title="Typed text"),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "ends before it starts" in page and "Typed text" in page


def test_actions_refuse_a_post_without_a_csrf_token(make_case, paralegal_a):
    case = make_case()
    client = Client(enforce_csrf_checks=True)
    client.force_login(paralegal_a)

    response = client.post(reverse("case_note", args=[case.pk]), {"text": "No token"})

    assert response.status_code == 403
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()
