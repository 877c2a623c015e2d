"""Identity document numbers and contact details: never in lists; in a worker's detail only for the staff of their
case's office (or its assignee). No PIN, PIN hash or immigration status anywhere."""

import json

import pytest

from claimants.models import ChannelKind, ContactChannel

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_case):
    case = make_case()
    ContactChannel.objects.create(claimant=case.claimant, kind=ChannelKind.WHATSAPP, value="+60 12 345 6789")
    return case


def _everything(api, case) -> str:
    bodies = [
        api.get("/api/v1/cases/").json(),
        api.get(f"/api/v1/cases/{case.pk}/").json(),
        api.get("/api/v1/claimants/").json(),
    ]
    return json.dumps(bodies)


@pytest.mark.parametrize("persona", ["paralegal_a", "coordinator_a", "administrator"])
def test_lists_and_cases_never_carry_the_document_number_contacts_or_pin(persona, case, api_for, request):
    text = _everything(api_for(request.getfixturevalue(persona)), case)
    assert case.claimant.full_name in text  # the bodies are about this worker …
    for secret in (case.claimant.id_document_number, "345 6789", case.pin_hash or "pbkdf2"):
        assert secret not in text  # … without what could identify or reach them
    for name in ("id_document_number", "channels", "pin", "pin_hash", "immigration"):
        assert f'"{name}"' not in text


@pytest.mark.parametrize("persona", ["paralegal_a", "coordinator_a"])
def test_the_staff_of_the_case_see_the_workers_contact_details(persona, case, api_for, request):
    body = api_for(request.getfixturevalue(persona)).get(f"/api/v1/claimants/{case.claimant_id}/").json()
    assert body["contact"]["id_document_number"] == case.claimant.id_document_number
    assert body["contact"]["channels"][0]["value"] == "+60 12 345 6789"
    assert body["cases"] == [{"id": case.pk, "reference": case.reference, "stage": "intake"}]


@pytest.mark.parametrize("persona", ["administrator", "global_coordinator"])
def test_oversight_roles_see_the_worker_without_contact_details(persona, case, api_for, request):
    body = api_for(request.getfixturevalue(persona)).get(f"/api/v1/claimants/{case.claimant_id}/").json()
    assert body["full_name"] == case.claimant.full_name
    assert body["contact"] is None
    assert case.claimant.id_document_number not in json.dumps(body)


def test_a_worker_of_another_office_is_a_404(case, paralegal_b, api_for):
    assert api_for(paralegal_b).get(f"/api/v1/claimants/{case.claimant_id}/").status_code == 404
    assert api_for(paralegal_b).get("/api/v1/claimants/").json()["results"] == []
