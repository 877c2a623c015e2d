"""Case actions through the API: the services' answers as HTTP — 400 field maps, 403, 404 outside scope, 409 with
the current stage and version, and the same moves as the web."""

import pytest

from cases.core.stages import Stage
from cases.models import CaseEvent, EventKind
from claimants.models import ConsentPurpose

from ..factories import ConsentFactory

pytestmark = pytest.mark.django_db


def test_a_move_with_the_current_version_advances_the_case(make_case, paralegal_a, api_for):
    case = make_case()
    ConsentFactory(claimant=case.claimant, purpose=ConsentPurpose.DATA_PROCESSING)
    response = api_for(paralegal_a).post(
        f"/api/v1/cases/{case.pk}/advance/", {"to_stage": "evidence", "expected_version": case.version}
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "evidence" and response.json()["version"] == case.version + 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.STAGE_CHANGED, actor=paralegal_a).exists()


def test_a_stale_move_is_a_409_naming_the_current_stage_and_version(make_case, paralegal_a, api_for):
    case = make_case(Stage.EVIDENCE)
    response = api_for(paralegal_a).post(
        f"/api/v1/cases/{case.pk}/advance/", {"to_stage": "assignment", "expected_version": case.version - 1}
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The case was changed by someone else. Reload it and try again.",
        "code": "stale_case",
        "current_stage": "evidence",
        "version": case.version,
    }


def test_an_illegal_move_is_a_409(make_case, paralegal_a, api_for):
    case = make_case()
    response = api_for(paralegal_a).post(
        f"/api/v1/cases/{case.pk}/advance/", {"to_stage": "redress", "expected_version": case.version}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition" and response.json()["current_stage"] == "intake"


def test_a_guard_that_fails_is_a_409_with_its_reason(make_case, paralegal_a, api_for):
    case = make_case()  # no consent recorded
    response = api_for(paralegal_a).post(
        f"/api/v1/cases/{case.pk}/advance/", {"to_stage": "evidence", "expected_version": case.version}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "guard_failed"
    assert "consent" in response.json()["detail"]


def test_missing_fields_are_a_400_field_map(make_case, paralegal_a, api_for):
    case = make_case()
    response = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/advance/", {"to_stage": "nowhere"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"to_stage", "expected_version"}
    assert all(isinstance(messages, list) for messages in body.values())


def test_a_refusal_for_bad_input_from_the_service_is_a_400_field_map(make_case, paralegal_a, api_for):
    case = make_case(Stage.ASSIGNMENT)
    response = api_for(paralegal_a).post(
        f"/api/v1/cases/{case.pk}/advance/", {"to_stage": "evidence", "expected_version": case.version}
    )  # moving back needs a reason
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Say why the case is moving back."]}


def test_a_case_of_another_office_is_a_404_whatever_is_asked(make_case, paralegal_b, api_for):
    case = make_case()
    api = api_for(paralegal_b)
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    for action, body in [
        ("advance", {"to_stage": "evidence", "expected_version": 1}),
        ("assign", {"assignee": paralegal_b.pk, "expected_version": 1}),
        ("take", {}),
        ("note", {"text": "hello"}),
        ("close", {"outcome": "nothing", "reason": "x", "expected_version": 1}),
        ("reopen", {"reason": "x"}),
    ]:
        response = api.post(f"/api/v1/cases/{case.pk}/{action}/", body)
        assert response.status_code == 404, action
        assert response.json()["code"] == "not_found"
    assert api.get(f"/api/v1/cases/{case.pk}/evidence/").status_code == 404
    assert api.get(f"/api/v1/cases/{case.pk}/ledger/").status_code == 404


def test_a_paralegal_may_not_assign_or_reopen_403(make_case, paralegal_a, api_for):
    case = make_case(Stage.CLOSED)
    api = api_for(paralegal_a)
    reopen = api.post(f"/api/v1/cases/{case.pk}/reopen/", {"reason": "New evidence."})
    assert reopen.status_code == 403
    assert reopen.json() == {"detail": "Only a coordinator can reopen a case.", "code": "not_permitted"}
    open_case = make_case()
    assign = api.post(
        f"/api/v1/cases/{open_case.pk}/assign/", {"assignee": paralegal_a.pk, "expected_version": open_case.version}
    )
    assert assign.status_code == 403


def test_a_coordinator_assigns_closes_and_reopens(make_case, coordinator_a, paralegal_a, api_for):
    case = make_case()
    api = api_for(coordinator_a)
    assigned = api.post(
        f"/api/v1/cases/{case.pk}/assign/", {"assignee": paralegal_a.pk, "expected_version": case.version}
    ).json()
    assert assigned["assigned_to"]["id"] == paralegal_a.pk
    closed = api.post(
        f"/api/v1/cases/{case.pk}/close/",
        {"outcome": "withdrawn", "reason": "The worker withdrew.", "expected_version": assigned["version"]},
    ).json()
    assert closed["stage"] == "closed" and closed["outcome"] == "withdrawn"
    reopened = api.post(f"/api/v1/cases/{case.pk}/reopen/", {"reason": "The worker came back."}).json()
    assert reopened["stage"] == "intake" and reopened["outcome"] == ""


def test_a_note_is_added_and_the_case_returned(make_case, paralegal_a, api_for):
    case = make_case()
    response = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/note/", {"text": "Called the worker."})
    assert response.status_code == 201
    assert response.json()["version"] == case.version + 1
    assert CaseEvent.objects.get(case=case, kind=EventKind.NOTE).reason == "Called the worker."


def test_a_session_needs_the_csrf_token_for_writes(make_case, paralegal_a):
    from rest_framework.test import APIClient

    case = make_case()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(paralegal_a)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    response = client.post(f"/api/v1/cases/{case.pk}/note/", {"text": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_unknown_api_path_is_a_json_404(paralegal_a, api_for):
    response = api_for(paralegal_a).get("/api/v1/cases/-3/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
