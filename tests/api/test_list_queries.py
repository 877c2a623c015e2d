"""Every list costs the same number of queries for 2 rows as for 20 (and filters and cursors work on the case list)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_add
from cases.models import DeadlineKind, EntryKind, Jurisdiction, Route
from cases.money.services.calculations import calculation_item_add, calculation_run, calculation_settings_update
from cases.money.services.ledger import instalment_plan_create, ledger_record
from documents.evidence import evidence_upload
from documents.filings import document_request

from ..factories import RespondentFactory
from .conftest import PDF

pytestmark = pytest.mark.django_db


def _evidence(case, actor, n):
    for start in range(0, n, 10):
        files = [SimpleUploadedFile(f"{i}.pdf", PDF, content_type="application/pdf") for i in range(min(10, n - start))]
        evidence_upload(
            actor=actor,
            case_id=case.pk,
            files=files,
            kind="payslip",
            document_date=None,
            description="",
            provided_by="worker",
            received_on=timezone.localdate(),
        )


def _add(kind, case, actor, n, make_case, jurisdiction):
    for i in range(n):
        if kind == "cases":
            make_case(Stage.EVIDENCE)
        elif kind == "claimants":
            make_case()
        elif kind == "respondents":
            RespondentFactory()
        elif kind == "filings":
            document_request(actor=actor, case_id=case.pk, kind="case_summary", language="en")
        elif kind == "ledger":
            ledger_record(
                actor=actor,
                case_id=case.pk,
                kind=EntryKind.CLAIMED,
                amount=Decimal(10 + i),
                currency="USD",
                entry_date=timezone.localdate(),
                source=Route.NEGOTIATION,
            )
        elif kind == "instalment-plans":
            instalment_plan_create(
                actor=actor,
                case_id=case.pk,
                currency="USD",
                instalments=[(timezone.localdate() + timedelta(days=30), Decimal(5))] * 2,
            )
        elif kind == "deadlines":
            deadline_add(
                actor=actor, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=timezone.now() + timedelta(days=5 + i)
            )
        elif kind == "calculations":
            calculation_run(actor=actor, case_id=case.pk)
        elif kind == "jurisdictions":
            Jurisdiction.objects.create(country="TH", region=f"R{i}-{Jurisdiction.objects.count()}", name="x")
    if kind == "evidence":
        _evidence(case, actor, n)


def _url(kind, case):
    if kind in ("cases", "claimants", "respondents", "jurisdictions"):
        return f"/api/v1/{kind}/"
    return f"/api/v1/cases/{case.pk}/{kind}/"


KINDS = [
    "cases",
    "claimants",
    "respondents",
    "jurisdictions",
    "evidence",
    "filings",
    "calculations",
    "ledger",
    "instalment-plans",
    "deadlines",
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_costs_the_same_queries_for_2_and_for_20_rows(
    kind, make_case, paralegal_a, api_for, jurisdiction, django_assert_num_queries
):
    case = make_case(Stage.EVIDENCE)
    calculation_settings_update(
        actor=paralegal_a, case_id=case.pk, changes={"jurisdiction": jurisdiction, "currency": "MYR"}
    )
    calculation_item_add(actor=paralegal_a, case_id=case.pk, kind="recruitment_fee", amount=Decimal(500))
    api = api_for(paralegal_a)
    api.get("/api/v1/jurisdictions/")  # the token's first use writes last_used_at; later ones within a minute do not
    _add(kind, case, paralegal_a, 2, make_case, jurisdiction)
    with CaptureQueriesContext(connection) as two:
        response = api.get(_url(kind, case))
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 2
    _add(kind, case, paralegal_a, 18, make_case, jurisdiction)
    with django_assert_num_queries(len(two.captured_queries)):
        response = api.get(_url(kind, case))
    assert len(response.json()["results"]) >= 20


def test_the_case_list_takes_the_web_lists_filters(make_case, office_b, paralegal_a, administrator, api_for):
    intake, evidence = make_case(), make_case(Stage.EVIDENCE)
    other_office = make_case(office=office_b)
    api = api_for(administrator)
    ids = lambda response: [row["id"] for row in response.json()["results"]]  # noqa: E731
    assert ids(api.get("/api/v1/cases/", {"stage": "evidence"})) == [evidence.pk]
    assert ids(api.get("/api/v1/cases/", {"office": office_b.pk})) == [other_office.pk]
    assert ids(api.get("/api/v1/cases/", {"q": intake.reference})) == [intake.pk]
    assert ids(api.get("/api/v1/cases/", {"assigned": "none", "stage": "intake", "office": intake.office_id})) == [
        intake.pk
    ]
    bad = api.get("/api/v1/cases/", {"stage": "limbo", "opened_from": "yesterday"})
    assert bad.status_code == 400 and set(bad.json()) == {"stage", "opened_from"}
    assert api.get("/api/v1/cases/", {"q": "Maria"}).status_code == 400  # names never travel in URLs


def test_the_case_list_pages_with_cursors_newest_first(make_case, paralegal_a, api_for):
    cases = [make_case() for _ in range(3)]
    api = api_for(paralegal_a)
    first = api.get("/api/v1/cases/", {"page_size": 2}).json()
    assert [row["id"] for row in first["results"]] == [cases[2].pk, cases[1].pk]
    second = api.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [cases[0].pk] and second["next"] is None
    assert api.get("/api/v1/cases/", {"cursor": "bogus"}).status_code == 400


def test_a_plain_case_list_reads_no_office_or_staff_choices_and_a_filter_still_checks_them(
    api_for, paralegal_a, make_case
):
    """The filter form's office and staff choices are read only when the request names an office or a person."""
    make_case()
    api = api_for(paralegal_a)
    with CaptureQueriesContext(connection) as captured:
        assert api.get("/api/v1/cases/").status_code == 200
    assert not [q for q in captured.captured_queries if 'FROM "paralegals_office"' in q["sql"]]
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/cases/", {"office": 999999})
    assert response.status_code == 400
    assert "office" in response.json()
    assert [q for q in captured.captured_queries if 'FROM "paralegals_office"' in q["sql"]]
