"""Each API read of a case or a worker writes its access rows: one per case or worker, one INSERT per answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.audit.models import AccessKind, Via
from cases.core.stages import Stage
from cases.models import AccessRecord
from claimants.models import Claimant
from tests.factories import ClaimantFactory

from .conftest import ADDRESS

pytestmark = pytest.mark.django_db


def test_reading_one_case_writes_one_row(api_for, make_case, paralegal_a, only_record):
    case = make_case(Stage.EVIDENCE)

    assert api_for(paralegal_a).get(f"/api/v1/cases/{case.pk}/").status_code == 200

    record = only_record()
    assert (record.user, record.case, record.claimant_id) == (paralegal_a, case, case.claimant_id)
    assert (record.what, record.via, record.address) == (AccessKind.CASE_API, Via.API, ADDRESS)


def test_another_offices_case_is_a_404_and_writes_nothing(api_for, make_case, office_b, paralegal_a):
    case = make_case(office=office_b)
    assert api_for(paralegal_a).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_page_of_the_case_list_writes_one_row_per_case_on_it(api_for, make_case, paralegal_a):
    cases = [make_case() for _ in range(3)]
    api = api_for(paralegal_a)

    response = api.get("/api/v1/cases/", {"page_size": 2})

    shown = {row["id"] for row in response.json()["results"]}
    assert len(shown) == 2
    rows = AccessRecord.objects.all()
    assert {record.case_id for record in rows} == shown
    assert {(r.what, r.via, r.address, r.user_id) for r in rows} == {
        (AccessKind.CASE_LIST_API, Via.API, ADDRESS, paralegal_a.pk)
    }
    assert {record.claimant_id for record in rows} == {c.claimant_id for c in cases if c.pk in shown}


def test_an_empty_page_writes_nothing(api_for, paralegal_a):
    assert api_for(paralegal_a).get("/api/v1/cases/").json()["results"] == []
    assert not AccessRecord.objects.exists()


def test_the_case_list_costs_the_same_queries_for_2_and_for_20_rows(api_for, make_case, paralegal_a):
    api = api_for(paralegal_a)
    api.get("/api/v1/jurisdictions/")  # the token's first use writes last_used_at; later ones within a minute do not
    for _ in range(2):
        make_case()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/cases/").status_code == 200
        return len(captured)

    two = queries()
    for _ in range(18):
        make_case()
    twenty = queries()

    assert two == twenty  # the rows of a page are one INSERT
    assert AccessRecord.objects.count() == 22


def test_a_worker_read_by_their_caseworker_records_the_identity_document_number_revealed(
    api_for, make_case, paralegal_a, only_record
):
    case = make_case()

    data = api_for(paralegal_a).get(f"/api/v1/claimants/{case.claimant_id}/").json()

    assert data["contact"]["id_document_number"]
    record = only_record()
    assert (record.what, record.via, record.address) == (AccessKind.ID_DOCUMENT_REVEALED, Via.API, ADDRESS)
    assert (record.user, record.case, record.claimant_id) == (paralegal_a, case, case.claimant_id)


def test_a_worker_read_without_the_number_is_a_plain_worker_read(api_for, make_case, administrator, only_record):
    case = make_case()  # administrators oversee cases without the worker's contacts and document

    data = api_for(administrator).get(f"/api/v1/claimants/{case.claimant_id}/").json()

    assert data["contact"] is None
    record = only_record()
    assert (record.what, record.case, record.claimant_id) == (AccessKind.WORKER_API, case, case.claimant_id)


def test_a_worker_with_no_document_number_on_file_is_a_plain_worker_read(api_for, make_case, paralegal_a, only_record):
    case = make_case(claimant=ClaimantFactory(id_document_number=""))

    data = api_for(paralegal_a).get(f"/api/v1/claimants/{case.claimant_id}/").json()

    assert data["contact"] is not None and data["contact"]["id_document_number"] == ""
    assert only_record().what == AccessKind.WORKER_API


def test_a_worker_with_two_visible_cases_is_recorded_against_both_and_not_against_another_offices(
    api_for, make_case, office_b, paralegal_a
):
    first = make_case()
    claimant = Claimant.objects.get(pk=first.claimant_id)
    second = make_case(claimant=claimant)
    elsewhere = make_case(claimant=claimant, office=office_b)

    assert api_for(paralegal_a).get(f"/api/v1/claimants/{claimant.pk}/").status_code == 200

    assert set(AccessRecord.objects.values_list("case_id", flat=True)) == {first.pk, second.pk}
    assert not AccessRecord.objects.filter(case=elsewhere).exists()


def test_a_page_of_the_worker_list_writes_one_row_per_worker_on_it(api_for, make_case, paralegal_a):
    cases = [make_case() for _ in range(3)]

    response = api_for(paralegal_a).get("/api/v1/claimants/")

    assert len(response.json()["results"]) == 3
    rows = AccessRecord.objects.all()
    assert sorted(r.claimant_id for r in rows) == sorted(c.claimant_id for c in cases)
    assert {(r.what, r.case_id) for r in rows} == {(AccessKind.WORKER_LIST_API, None)}
