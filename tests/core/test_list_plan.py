"""The case list's plan reads the person's own cases, not other offices' (PostgreSQL's EXPLAIN, CI's second pass).

A small office next to a big one: the list of the small office's paralegal must not walk the big office's rows,
whatever the order the planner picks. The list's query is taken from the real request (CaptureQueriesContext), then
explained with ANALYZE on the same connection, so the figures are what that query really read.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.core.models import Case
from cases.core.references import new_reference
from tests.factories import ClaimantFactory, OfficeFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's plans (CI's second pass)"),
]

BIG = 6000
SMALL = 40
PAGE = 25


def _bulk_cases(office, count: int, opener, claimant, *, newer: bool) -> None:
    now = timezone.now()
    Case.objects.bulk_create(
        [
            Case(
                reference=new_reference(),
                claimant=claimant,
                office=office,
                country_of_work="TH",
                sector="fishing",
                opened_by=opener,
            )
            for _index in range(count)
        ],
        batch_size=2000,
    )
    # The big office's cases are the newest: walking all cases newest first would meet them first.
    start = now - timedelta(minutes=0 if newer else 100_000)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET opened_at = %s - (id - (SELECT MIN(id) FROM cases_case WHERE office_id = %s))"
            " * interval '1 minute' WHERE office_id = %s",
            [start, office.pk, office.pk],
        )


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _case_rows_read(sql: str, params) -> tuple[int, list[str]]:
    """Rows the plan read from cases_case (kept + removed by a filter) and the node types that read it."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    read, kinds = 0, []
    for node in _nodes(plan[0]["Plan"]):
        if node.get("Relation Name") == "cases_case":
            loops = node.get("Actual Loops", 1)
            read += (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
            kinds.append(node["Node Type"])
    return read, kinds


@pytest.mark.parametrize("sort", ["-opened", "reference", "stage"], ids=["newest", "reference", "stage"])
def test_a_small_office_list_does_not_walk_a_big_office(client, sort):
    small, big = OfficeFactory(), OfficeFactory()
    paralegal = UserFactory(office=small)
    _bulk_cases(big, BIG, UserFactory(office=big), ClaimantFactory(), newer=True)
    _bulk_cases(small, SMALL, paralegal, ClaimantFactory(), newer=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    client.force_login(paralegal)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("case_list"), {"sort": sort, "size": PAGE})
    assert response.status_code == 200
    assert len(response.context["cases"]) == PAGE
    statements = [query["sql"] for query in captured.captured_queries]
    listing = [sql for sql in statements if 'FROM "cases_case"' in sql and f"LIMIT {PAGE + 1}" in sql]
    assert len(listing) == 1, [sql[:120] for sql in statements]

    # Run the captured statement again under EXPLAIN ANALYZE: the SQL as sent (psycopg inlined its parameters).
    read, kinds = _case_rows_read(listing[0], None)
    assert "Seq Scan" not in kinds, kinds
    assert read <= SMALL * 3, (read, kinds)
