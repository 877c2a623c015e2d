"""Taking a case through the API: the case comes back assigned to the caller; refusals are 403, 404 and 409."""

import pytest

from cases.core.stages import Stage
from cases.models import CaseEvent, EventKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def taking_office(office_a):
    office_a.paralegals_may_take_cases = True
    office_a.save(update_fields=["paralegals_may_take_cases"])
    return office_a


def test_a_paralegal_takes_an_unassigned_case_and_gets_it_back_assigned(make_case, paralegal_a, taking_office, api_for):
    case = make_case(Stage.EVIDENCE)

    response = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/take/", {"expected_version": case.version})

    assert response.status_code == 200
    body = response.json()
    assert body["assigned_to"]["id"] == paralegal_a.pk and body["version"] == case.version + 1
    event = CaseEvent.objects.get(case=case, kind=EventKind.ASSIGNED)
    assert (event.actor, event.payload) == (paralegal_a, {"from": None, "to": paralegal_a.pk, "taken": True})


def test_the_version_is_optional(make_case, paralegal_a, taking_office, api_for):
    case = make_case(Stage.INTAKE)

    assert api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/take/", {}).status_code == 200


def test_an_office_that_does_not_allow_it_answers_403(make_case, paralegal_a, api_for):
    case = make_case(Stage.EVIDENCE)

    response = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/take/", {})

    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNED).exists()


def test_a_case_someone_took_first_is_a_409_naming_them(make_case, paralegal_a, taking_office, api_for):
    case = make_case(Stage.EVIDENCE)
    first = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/take/", {"expected_version": case.version})
    colleague = UserFactory(office=taking_office)

    late = api_for(colleague).post(f"/api/v1/cases/{case.pk}/take/", {"expected_version": case.version})

    assert late.status_code == 409
    assert late.json() == {
        "detail": f"The case is already assigned to {paralegal_a.get_full_name()}.",
        "code": "stale_case",
        "current_stage": "evidence",
        "version": first.json()["version"],
    }


def test_a_closed_case_is_a_409(make_case, paralegal_a, taking_office, api_for):
    case = make_case(Stage.CLOSED)

    response = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/take/", {})

    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"


def test_a_case_of_another_office_is_a_404(make_case, paralegal_b, taking_office, api_for):
    case = make_case(Stage.EVIDENCE)

    response = api_for(paralegal_b).post(f"/api/v1/cases/{case.pk}/take/", {})

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_version_that_is_not_a_number_is_a_400(make_case, paralegal_a, taking_office, api_for):
    case = make_case(Stage.EVIDENCE)

    response = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/take/", {"expected_version": "soon"})

    assert response.status_code == 400 and "expected_version" in response.json()
