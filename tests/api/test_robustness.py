"""The API never answers 500 for bad input, and every answer under /api/ is JSON (issue #16, "API robustness").

Each case the contract test (``test_schemathesis.py``) found is pinned here through the real routes: a path id that
is not a number, OPTIONS (which built a serializer for a view without ``get_object``), a NUL byte in a search, an
unreadable or oversized body, a method a route does not have — and the evidence upload answers what its schema says.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver

from cases.core.stages import Stage

from .conftest import PDF

pytestmark = pytest.mark.django_db

ACTIONS = ("advance", "close", "reopen", "assign", "take", "note")


def _is_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("bad_id", ["null,null", "abc", "1.5", "-1", "%00", "1e3"])
def test_a_case_action_on_an_id_that_is_not_a_number_is_a_json_404(action, bad_id, paralegal_a, api_for):
    response = api_for(paralegal_a).post(f"/api/v1/cases/{bad_id}/{action}/", {"text": "x"}, format="json")
    assert _is_json_error(response, 404)["code"] == "not_found"


@pytest.mark.parametrize("route", ["cases", "claimants", "respondents"])
def test_reading_an_object_by_an_id_that_is_not_a_number_is_a_json_404(route, paralegal_a, api_for):
    for bad_id in ("null", "1,2", "99999999999999999999999"):
        response = api_for(paralegal_a).get(f"/api/v1/{route}/{bad_id}/")
        assert _is_json_error(response, 404)["code"] == "not_found"


def test_an_id_beyond_the_database_range_in_a_case_route_is_a_404(paralegal_a, api_for):
    response = api_for(paralegal_a).get("/api/v1/cases/9223372036854775808/evidence/")
    assert _is_json_error(response, 404)["code"] == "not_found"


def _api_routes(case_pk: int, ids: dict) -> list[str]:
    """Every /api/v1/ route of the URL conf, with its ids filled in."""
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/")
    v1 = next(p for p in api.url_patterns if str(p.pattern) == "v1/")
    paths = []
    for pattern in v1.url_patterns:
        route = str(pattern.pattern).lstrip("^").rstrip("$")
        route = route.replace("(?P<pk>[0-9]+)", str(case_pk)).replace("(?P<pk>[^/.]+)", str(case_pk))
        for name, value in ids.items():
            route = route.replace(f"<int:{name}>", str(value))
        if "(?P<format>" in route or "\\." in route:
            continue
        paths.append("/api/v1/" + route.replace("\\", ""))
    return paths


def test_options_on_every_route_is_json_with_an_allow_header(make_case, paralegal_a, api_for):
    case = make_case(Stage.REDRESS)
    client = api_for(paralegal_a)
    routes = _api_routes(case.pk, {"case_pk": case.pk, "pk": 1, "entry_id": 1, "evidence_id": 1})
    assert f"/api/v1/cases/{case.pk}/calculation/settings/" in routes
    assert len(routes) >= 25
    answered = []
    for route in routes:
        response = client.options(route)
        assert response.status_code in (200, 403), (route, response.status_code)  # 403: statistics, a paralegal
        assert response["Content-Type"] == "application/json", route
        assert "OPTIONS" in response["Allow"], route
        assert "actions" not in response.json(), route  # what a write takes is the schema's to say
        answered.append(response.status_code)
    assert answered.count(200) == len(routes) - 1


def test_a_method_a_route_does_not_have_is_a_json_405_naming_the_allowed_ones(make_case, paralegal_a, api_for):
    case = make_case(Stage.REDRESS)
    response = api_for(paralegal_a).delete(f"/api/v1/cases/{case.pk}/calculation/settings/")
    assert _is_json_error(response, 405)["code"] == "method_not_allowed"
    assert response["Allow"] == "PUT, OPTIONS"


def test_a_nul_byte_in_the_respondent_search_is_a_400_on_the_field(paralegal_a, api_for):
    response = api_for(paralegal_a).get("/api/v1/respondents/", {"name": "Acme\x00 Ltd"})
    assert _is_json_error(response, 400) == {"name": ["Null characters are not allowed."]}


def test_a_nul_byte_in_a_case_filter_or_a_body_is_a_400_field_map(paralegal_a, api_for, make_case):
    case = make_case(Stage.REDRESS)
    client = api_for(paralegal_a)
    assert "q" in _is_json_error(client.get("/api/v1/cases/", {"q": "\x00"}), 400)
    response = client.post(f"/api/v1/cases/{case.pk}/note/", {"text": "a\x00b"}, format="json")
    assert "text" in _is_json_error(response, 400)


def test_a_body_that_is_not_json_is_a_400_field_map(make_case, paralegal_a, api_for):
    case = make_case(Stage.REDRESS)
    response = api_for(paralegal_a).generic(
        "POST", f"/api/v1/cases/{case.pk}/note/", b'{"text": ', content_type="application/json"
    )
    assert list(_is_json_error(response, 400)) == ["non_field_errors"]


def test_a_body_beyond_djangos_size_limit_is_a_json_413(make_case, paralegal_a, api_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    case = make_case(Stage.REDRESS)
    response = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/note/", {"text": "x" * 5000}, format="json")
    assert _is_json_error(response, 413)["code"] == "payload_too_large"


def test_an_unknown_path_or_method_under_api_is_never_html(paralegal_a, api_for, anonymous):
    for client, status in ((api_for(paralegal_a), 404), (anonymous, 401)):
        for method in ("get", "post", "put", "patch", "delete", "options"):
            response = getattr(client, method)("/api/v1/no-such-thing/")
            assert _is_json_error(response, status)["code"] in ("not_found", "not_authenticated")


def test_the_evidence_upload_answers_the_array_its_schema_promises(make_case, paralegal_a, api_for, anonymous):
    case = make_case(Stage.EVIDENCE)
    form = {
        "files": [SimpleUploadedFile("p.pdf", PDF, content_type="application/pdf")],
        "kind": "payslip",
        "provided_by": "worker",
        "received_on": "2025-03-01",
    }
    response = api_for(paralegal_a).post(f"/api/v1/cases/{case.pk}/evidence/", form, format="multipart")
    assert response.status_code == 201
    body = response.json()
    assert isinstance(body, list)
    assert body[0]["display_name"] == "p.pdf"
    schema = anonymous.get("/api/schema/?format=json").json()
    created = schema["paths"]["/api/v1/cases/{case_pk}/evidence/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Evidence"},
    }


def test_django_handles_a_bad_host_under_api_with_json(settings):
    settings.ALLOWED_HOSTS = ["redress.example"]
    response = Client(HTTP_HOST="evil.example").get("/api/v1/cases/")
    assert _is_json_error(response, 400)["code"] == "bad_request"


@pytest.mark.parametrize("page_size", ["false", "0", "-3", "1.5", "µ", "٣"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_a_400_on_the_field(page_size, paralegal_a, api_for):
    response = api_for(paralegal_a).get("/api/v1/respondents/", {"page_size": page_size})
    assert list(_is_json_error(response, 400)) == ["page_size"]


def test_a_page_size_above_the_maximum_is_the_maximum(paralegal_a, api_for):
    assert api_for(paralegal_a).get("/api/v1/respondents/", {"page_size": "100000"}).status_code == 200
