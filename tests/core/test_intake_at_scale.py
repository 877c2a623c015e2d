"""Intake stays as cheap with many cases as with few (issue #17): the duplicate-worker search starts from the
workers with the typed number or document, not from every case the user can see, and a matched respondent's
cases are counted only up to a cap. At 1M cases on PostgreSQL the two searches took 460-540 ms and 181 ms."""

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.core.services import intake
from cases.core.services.intake import find_claimant_matches, find_respondent_matches
from cases.models import Case, CaseRespondent
from claimants.models import ChannelKind, Claimant, ContactChannel
from tests.core.test_intake_service import submit
from tests.factories import ClaimantFactory, RespondentFactory

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's EXPLAIN ANALYZE")

PHONE = "+60 19-555 0142"
DOCUMENT = "ZZ9912345"
MANY = 300


def add_cases(office, actor, count: int, respondent) -> None:
    """``count`` cases in ``office``, each with its own worker and ``respondent`` as employer, in a few queries."""
    claimants = Claimant.objects.bulk_create(Claimant(full_name=f"Worker {n}") for n in range(count))
    start = Case.objects.count()
    cases = Case.objects.bulk_create(
        Case(
            reference=f"BULK{start + n:08d}",
            claimant=claimant,
            office=office,
            country_of_work="MY",
            sector="construction",
            opened_by=actor,
        )
        for n, claimant in enumerate(claimants)
    )
    CaseRespondent.objects.bulk_create(
        CaseRespondent(case=case, respondent=respondent, role="employer") for case in cases
    )


@pytest.fixture
def busy_employer(make_case, office_a, office_b):
    """An employer named in a few cases, a worker on record in office A, and a worker on record only in office B."""
    employer = RespondentFactory(name="Golden Security Sdn Bhd", country="MY")
    known = ClaimantFactory(full_name="Nurlan Asanov", id_document_number=DOCUMENT)
    ContactChannel.objects.create(claimant=known, kind=ChannelKind.PHONE, value=PHONE)
    make_case(office=office_a, claimant=known, respondents=[(employer, "employer")])
    elsewhere = ClaimantFactory(full_name="Aida Bekova")
    ContactChannel.objects.create(claimant=elsewhere, kind=ChannelKind.WHATSAPP, value=PHONE)
    make_case(office=office_b, claimant=elsewhere, respondents=[(employer, "employer")])
    return employer


def searches(actor) -> dict:
    """What the intake form looks up, with the number of queries each took."""
    results = {}
    for name, search in {
        "worker by phone": lambda: find_claimant_matches(actor=actor, phone=PHONE),
        "worker by document": lambda: find_claimant_matches(actor=actor, document_number=DOCUMENT),
        "worker by both": lambda: find_claimant_matches(actor=actor, phone=PHONE, document_number=DOCUMENT),
        "nobody": lambda: find_claimant_matches(actor=actor, phone="+60 11-000 0000", document_number="XX1"),
        "respondent": lambda: find_respondent_matches(name="golden sec"),
    }.items():
        with CaptureQueriesContext(connection) as queries:
            found = search()
        results[name] = (
            [(getattr(match, "claimant", None) or match.respondent).pk for match in found],
            len(queries),
        )
    return results


def test_the_searches_find_the_same_records_in_the_same_number_of_queries_with_many_more_cases(
    busy_employer, paralegal_a, office_a, office_b, coordinator_a
):
    few = searches(paralegal_a)
    add_cases(office_a, coordinator_a, MANY, busy_employer)
    add_cases(office_b, coordinator_a, MANY, busy_employer)

    many = searches(paralegal_a)

    assert many == few
    assert {name: count for name, (_found, count) in few.items()} == {
        "worker by phone": 2,  # the workers with the number and a case the user can see; their latest case
        "worker by document": 2,
        "worker by both": 2,
        "nobody": 1,
        "respondent": 2,  # the respondents with their (capped) case counts; their aliases
    }
    # Only the worker with a case in the user's office: office B's worker with the same number is not offered.
    assert few["worker by phone"][0] == few["worker by document"][0] != []


def test_a_respondents_cases_are_counted_up_to_the_cap(busy_employer, coordinator_a, office_a, monkeypatch):
    monkeypatch.setattr(intake, "CASE_COUNT_CAP", 5)
    [match] = find_respondent_matches(name="Golden Security")
    assert (match.case_count, match.many_cases) == (2, False)

    add_cases(office_a, coordinator_a, 3, busy_employer)
    [match] = find_respondent_matches(name="Golden Security")
    assert (match.case_count, match.many_cases) == (5, True)

    add_cases(office_a, coordinator_a, 10, busy_employer)
    [match] = find_respondent_matches(name="Golden Security")
    assert (match.case_count, match.many_cases) == (5, True)


def test_the_intake_form_says_when_a_respondent_has_the_cap_or_more_cases(
    client, paralegal_a, busy_employer, coordinator_a, office_a, monkeypatch
):
    monkeypatch.setattr(intake, "CASE_COUNT_CAP", 3)
    add_cases(office_a, coordinator_a, 1, busy_employer)
    client.force_login(paralegal_a)
    data = {"token": str(uuid.uuid4()), "full_name": "Aibek", "office": str(office_a.pk), "check": "1"}
    data |= {"respondent-0-name": "Golden Security", "respondent-0-kind": "employer", "respondent-0-country": "MY"}

    html = client.post(reverse("intake"), data).content.decode()

    assert "3 or more cases" in html


def test_an_intake_takes_the_same_number_of_queries_with_many_more_cases(
    busy_employer, paralegal_a, office_a, office_b, coordinator_a
):
    def queries_of_one_intake() -> int:
        with CaptureQueriesContext(connection) as queries:
            submit(paralegal_a, claimant_data={"id_document_number": DOCUMENT}, token=uuid.uuid4())
        return len(queries)

    few = queries_of_one_intake()
    add_cases(office_a, coordinator_a, MANY, busy_employer)
    add_cases(office_b, coordinator_a, MANY, busy_employer)

    assert queries_of_one_intake() == few


def test_the_intake_form_submit_takes_the_same_number_of_queries_with_many_more_cases(
    client, busy_employer, paralegal_a, office_a, office_b, coordinator_a
):
    client.force_login(paralegal_a)

    def queries_of_one_submit() -> int:
        data = {
            "token": str(uuid.uuid4()),
            "full_name": "Aibek Toktogulov",
            "preferred_language": "ky",
            "id_document_type": "passport",
            "id_document_number": DOCUMENT,
            "phone": PHONE,
            "office": str(office_a.pk),
            "country_of_work": "MY",
            "sector": "construction",
            "respondent-0-name": "Golden Security",
            "respondent-0-kind": "employer",
            "respondent-0-country": "MY",
            # The matches were shown and the user chose new records.
            "matches_shown": "on",
            "claimant_match": "new",
            "respondent_match_0": "new",
        }
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("intake"), data)
        assert response.status_code == 302, response.context["summary"]
        return len(queries)

    few = queries_of_one_submit()
    add_cases(office_a, coordinator_a, MANY, busy_employer)
    add_cases(office_b, coordinator_a, MANY, busy_employer)

    assert queries_of_one_submit() == few


# --- what PostgreSQL reads -----------------------------------------------------------


def rows_read(sql: str, params, table: str) -> int:
    """Rows of ``table`` that PostgreSQL read to answer the query (kept or filtered out), from EXPLAIN ANALYZE."""
    with connection.cursor() as cursor:
        # As on a large table: statistics, and an index wherever one fits (these tables are too small to matter).
        cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node) -> int:
        read = 0
        if node.get("Relation Name") == table:
            kept_and_dropped = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
            read = kept_and_dropped * node["Actual Loops"]
        return read + sum(walk(child) for child in node.get("Plans", ()))

    return walk(plan[0]["Plan"])


def reads(search, table: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        search()
    return sum(rows_read(query["sql"], None, table) for query in queries.captured_queries)


@on_postgresql
def test_the_worker_search_does_not_read_the_offices_cases(busy_employer, paralegal_a, office_a, coordinator_a):
    def search():
        find_claimant_matches(actor=paralegal_a, phone=PHONE, document_number=DOCUMENT)

    few = reads(search, "cases_case")
    add_cases(office_a, coordinator_a, MANY, busy_employer)

    assert reads(search, "cases_case") == few <= 4  # the known worker's case (a probe and its reference)


@on_postgresql
def test_the_respondent_search_reads_no_more_than_the_cap_of_its_cases(
    busy_employer, coordinator_a, office_a, monkeypatch
):
    monkeypatch.setattr(intake, "CASE_COUNT_CAP", 10)
    add_cases(office_a, coordinator_a, MANY, busy_employer)

    assert reads(lambda: find_respondent_matches(name="Golden Security"), "cases_caserespondent") <= 10
