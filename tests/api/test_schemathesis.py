"""schemathesis against the live schema, through the WSGI app, for every persona: no 5xx, nothing off-schema.

Every operation of the schema (37) is generated twice: requests that fit the schema (positive) and requests that
break it (negative: wrong types, missing fields, bad headers). Each is sent as it was generated (random ids: mostly
404s, bad bodies: 400s) by paralegal A, and then again for each persona with its path ids pointed at real objects of
a seeded world (cases of office A and B, evidence, a filing, a ledger entry, a deadline), so the answers include real
200s, 403s, 404s and 409s. Every answer must be no 5xx, a status the schema lists, JSON where the schema says JSON,
a body and headers of the documented shape; a token-protected operation must refuse the same request without one
(``ignored_auth``). Then every method a path does not declare (OPTIONS aside) must be a JSON 405 naming the declared
ones. Examples are bounded (37 operations × 2 modes × 4 examples × 6 requests, about a minute on SQLite), so the
test runs in every pass, the PostgreSQL one included.

Left out on purpose: schemathesis' ``positive_data_acceptance`` and ``negative_data_rejection``. They judge the
schema's precision, not the API's behaviour: a schema-valid request is often refused by a rule no schema can state
(a deadline in the past, a reversed entry, a stage move, an opaque cursor), and DRF accepts a few things the schema
does not promise (unknown JSON keys are ignored). A 400 for those is the right answer.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_add
from cases.models import DeadlineKind, EntryKind, Route
from cases.money.services.ledger import ledger_record
from documents.filings import document_request
from paralegals.models import ApiToken

from .conftest import PDF

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
HTTP_METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture
def world(make_case, office_a, paralegal_a, paralegal_b, coordinator_a, administrator, settings, tmp_path):
    """Personas with tokens, and one object of every kind the paths point at."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.evidence import evidence_upload

    redress = make_case(Stage.REDRESS)
    case_b = make_case(Stage.EVIDENCE, office=paralegal_b.office)
    closed = make_case(Stage.CLOSED)
    evidence = evidence_upload(
        actor=paralegal_a,
        case_id=redress.pk,
        files=[SimpleUploadedFile("p.pdf", PDF, content_type="application/pdf")],
        kind="payslip",
        document_date=None,
        description="",
        provided_by="worker",
        received_on=timezone.localdate(),
    )[0]
    entry = ledger_record(
        actor=paralegal_a,
        case_id=redress.pk,
        kind=EntryKind.CLAIMED,
        amount=Decimal("100.00"),
        currency="USD",
        entry_date=timezone.localdate(),
        source=Route.NEGOTIATION,
    )
    deadline = deadline_add(
        actor=paralegal_a, case_id=redress.pk, kind=DeadlineKind.HEARING, due_at=timezone.now() + timedelta(days=9)
    )
    document = document_request(actor=paralegal_a, case_id=redress.pk, kind="case_summary", language="en")
    ids = {
        "cases": [redress.pk, case_b.pk, closed.pk],
        "claimants": [redress.claimant_id, case_b.claimant_id],
        "respondents": [redress.respondents.first().pk],
        "evidence": [evidence.pk],
        "filings": [document.pk],
        "deadlines": [deadline.pk],
        "ledger": [entry.pk],
    }
    personas = {"anonymous": None}
    for user in (paralegal_a, paralegal_b, coordinator_a, administrator):
        personas[user.username] = ApiToken.objects.issue(user=user, name="schemathesis")[1]
    return {
        "ids": ids,
        "personas": personas,
        "paralegal_a": personas[paralegal_a.username],
        "administrator": personas[administrator.username],
    }


def _real_ids(case, ids: dict, turn: int) -> dict:
    """The generated path parameters with each id replaced by a real object's (cycling through them by ``turn``)."""
    path = case.operation.path
    parameters = dict(case.path_parameters or {})
    for name in parameters:
        if name == "case_pk" or path.startswith("/api/v1/cases/{id}"):
            pool = ids["cases"]
        elif name == "entry_id":
            pool = ids["ledger"]
        elif name == "evidence_id":
            pool = ids["evidence"]
        else:
            pool = ids[path.split("/")[3]]
        parameters[name] = pool[turn % len(pool)]
    return parameters


@pytest.fixture
def api_schema(db, world, monkeypatch):
    rates = dict.fromkeys(["anon", "user", "uploads", "filings"], "100000/min")
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    # As Django's test client does: a request's end must not close the test's connection (and its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _send(case, world) -> None:
    headers = {"Authorization": f"Bearer {world['paralegal_a']}"}
    case.call_and_validate(headers=headers, checks=[*CHECKS, ignored_auth])
    for turn, key in enumerate(world["personas"].values()):
        case.path_parameters = _real_ids(case, world["ids"], turn)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        case.call_and_validate(headers=headers, checks=CHECKS)


def test_every_operation_answers_within_its_schema_for_every_persona(api_schema, world):
    # One bounded hypothesis run per operation and mode (schemathesis' pytest plugin does not run under pytest 9).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 37, "a new operation: check it is generated here, then update the count"
    for operation, mode in [
        (op, mode) for op in operations for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=4,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            _send(case, world)

        run()


def test_a_method_no_operation_declares_is_a_json_405_naming_the_declared_ones(api_schema, world):
    client = APIClient()
    # An administrator may call every operation: the answer is about the method, not a permission (DRF checks
    # permissions before it looks for the method's handler).
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['administrator']}")
    swept = 0
    for path, item in api_schema.raw_schema["paths"].items():
        declared = {method for method in item if method in HTTP_METHODS}
        url = path
        for name in ("id", "case_pk", "pk", "entry_id", "evidence_id"):
            url = url.replace("{" + name + "}", str(world["ids"]["cases"][0]))
        for method in sorted(set(HTTP_METHODS) - declared):
            response = client.generic(method.upper(), url)
            assert response.status_code == 405, (method, url, response.status_code)
            assert response["Content-Type"] == "application/json", (method, url)
            assert response.json()["code"] == "method_not_allowed"
            allowed = {name.strip().lower() for name in response["Allow"].split(",")}
            assert allowed - {"options", "head"} == declared, (method, url, response["Allow"])
            swept += 1
    assert swept > 100
