"""Time the worker's status check (lookup POST + status page GET) against a raw indexed lookup of the case.

Not part of the test suite. Run against a seeded PostgreSQL database (manage.py seed_benchmark), with DEBUG off:

    DEBUG=0 DATABASE_URL=postgres://... [REDIS_URL=redis://.../13] .venv/bin/python bench/portal_status.py [--runs 15]

Gives a PIN to a few cases (cases made by seed_benchmark have none), then, interleaved in each round: the floor (one
raw SQL SELECT of a case by its reference, through the unique index), a request floor (the same POST and GET through
the same middleware, answered by two minimal views over raw SQL), the status check without its PIN hash (the
hasher's check replaced by a plain comparison, so only the deliberate slowness is left out; each check is a new
visitor with no cookies) and the PIN check alone.
Prints medians, p95 and the queries of the lookup and of the status page. Needs ``manage.py collectstatic`` with
DEBUG off (the status page links its favicon through the manifest).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import check_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse, HttpResponseRedirect  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402

from cases.core.pins import hash_pin  # noqa: E402
from cases.models import Case  # noqa: E402
from cases.portal import services  # noqa: E402

PIN = "20481024"
CASES = 20


def _cases() -> list[tuple[int, str, str]]:
    """A few cases spread over the table, each with the known PIN."""
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    wanted = [1 + i * (last // CASES) for i in range(CASES)]
    pin_hash = hash_pin(PIN)
    Case.objects.filter(pk__in=wanted, pin_hash="").update(pin_hash=pin_hash)
    return list(Case.objects.filter(pk__in=wanted).values_list("pk", "reference", "pin_hash"))


def _floor(reference: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, pin_hash FROM cases_case WHERE reference = %s", [reference])
        cursor.fetchone()


def _check(client: Client, reference: str) -> None:
    response = client.post("/status/", {"reference": reference, "pin": PIN}, secure=True)
    assert response.status_code == 302, response.status_code
    page = client.get("/status/claim/", secure=True)
    assert page.status_code == 200 and reference.encode() in page.content, page.status_code


_FLOOR_PAGE = engines["django"].from_string("<!doctype html><title>{{ reference }}</title><p>{{ stage }}</p>")


def _floor_lookup(request):
    """The request floor's POST: the raw SELECT of the case by reference, and a redirect."""
    _floor(request.POST["reference"])
    return HttpResponseRedirect(f"/bench-floor/page/?r={request.POST['reference']}")


def _floor_page(request):
    """The request floor's GET: one raw SELECT of what a page shows, a one-line template."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reference, stage FROM cases_case WHERE reference = %s", [request.GET["r"]])
        reference, stage = cursor.fetchone()
    return HttpResponse(_FLOOR_PAGE.render({"reference": reference, "stage": stage}, request))


urlpatterns = [
    path("bench-floor/", _floor_lookup),
    path("bench-floor/page/", _floor_page),
    path("", include("config.urls")),
]


def _request_floor(client: Client, reference: str) -> None:
    """The same two requests through the same middleware, answered by minimal views over raw SQL."""
    response = client.post("/bench-floor/", {"reference": reference}, secure=True)
    page = client.get(response["Location"], secure=True)
    assert page.status_code == 200 and reference.encode() in page.content, page.status_code


def _fast_check(pin: str, stored: str) -> bool:
    """The PIN check without the hasher's deliberate cost (the stored hash is the bench PIN's)."""
    return pin == PIN


def _ms(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = __name__
    cases = _cases()
    store = "Redis" if settings.REDIS_URL else "database"
    print(f"{Case.objects.count():,} cases; limiter store: {store}; DEBUG={settings.DEBUG}")

    with mock.patch.object(services, "check_password", _fast_check):
        client = Client()
        for _pk, reference, _hash in cases[:3]:  # warm up: templates, connection, translations
            _check(client, reference)
            _floor(reference)
        client.cookies.clear()
        with CaptureQueriesContext(connection) as capture:
            client.post("/status/", {"reference": cases[0][1], "pin": PIN}, secure=True)
        lookup = [query["sql"] for query in capture.captured_queries]
        with CaptureQueriesContext(connection) as capture:
            client.get("/status/claim/", secure=True)
        page = [query["sql"] for query in capture.captured_queries]

        floor, request_floor, without_hash, hashing = [], [], [], []
        for run in range(args.runs):
            for _pk, reference, _pin_hash in cases:
                start = time.perf_counter()
                _floor(reference)
                floor.append(time.perf_counter() - start)
                client.cookies.clear()
                start = time.perf_counter()
                _request_floor(client, reference)
                request_floor.append(time.perf_counter() - start)
                client.cookies.clear()  # a new visitor each time, as a worker on their phone
                start = time.perf_counter()
                _check(client, reference)
                without_hash.append(time.perf_counter() - start)
            if run < 3:
                start = time.perf_counter()
                check_password(PIN, cases[run][2])
                hashing.append(time.perf_counter() - start)

    floor_ms, without_ms, hash_ms = _ms(floor), _ms(without_hash), _ms(hashing)
    request_ms = _ms(request_floor)
    print(f"{'scenario':<44} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    print(f"{'floor: raw SELECT of the case by reference':<44} {floor_ms[0]:>10.2f} {floor_ms[1]:>8.2f} {1:>8}")
    print(f"{'request floor: same POST + GET, raw SQL views':<44} {request_ms[0]:>10.2f} {request_ms[1]:>8.2f} {2:>8}")
    print(
        f"{'status check without PIN hash (POST + GET)':<44} {without_ms[0]:>10.2f} {without_ms[1]:>8.2f} "
        f"{len(lookup) + len(page):>8}"
    )
    print(f"{'the PIN hash alone (check_password)':<44} {hash_ms[0]:>10.2f} {hash_ms[1]:>8.2f} {0:>8}")
    print(f"ratio without hash / raw lookup: {without_ms[0] / floor_ms[0]:.1f}x")
    print(f"ratio without hash / request floor: {without_ms[0] / request_ms[0]:.1f}x")
    for name, queries in (("lookup POST", lookup), ("status GET", page)):
        print(f"{name}: {len(queries)} queries")
        for sql in queries:
            print("   ", sql[:150])


if __name__ == "__main__":
    main()
