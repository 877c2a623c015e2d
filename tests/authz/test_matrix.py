"""The authorization matrix: every route × method × persona of matrix.csv, requested in the seeded world.

One test per cell, named "<METHOD> <url> <persona>", so a failure names the cell. The coverage test fails for a
route the resolver has and the matrix lacks (printing rows to paste) and for a row whose route no longer exists.
"""

import json

import pytest
from django.core.cache import cache
from django.urls import resolve

from .bodies import body_for, is_json
from .matrix import load_rows, outcome_of, paste_line, resolver_routes, spell
from .world import PERSONAS

ROWS = load_rows()

# Cells whose expectation is right but whose view answers otherwise today: (route, method, url, persona) -> reason.
# strict: once the view is fixed the cell passes, the xfail fails, and the entry must go.
KNOWN_BUGS: dict[tuple[str, str, str, str], str] = {}


def _cells() -> list:
    return list(_cell_params())


def _cell_params():
    for row in ROWS:
        for persona in PERSONAS:
            reason = KNOWN_BUGS.get((row.route, row.method, row.url, persona))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(row, persona, id=f"{row.method} {row.url} {persona}", marks=marks)


def test_every_route_of_the_resolver_is_in_the_matrix_and_nothing_else():
    routes = resolver_routes()
    listed = {row.route for row in ROWS}
    missing = [route for route in routes if route not in listed]
    gone = sorted(listed - set(routes))
    message = []
    if missing:
        message += ["Routes missing from tests/authz/matrix.csv (paste, then fill in the outcomes):"]
        message += [paste_line(route) for route in missing]
    if gone:
        message += ["Rows for routes that no longer exist (remove them):", *gone]
    if message:
        pytest.fail("\n".join(message), pytrace=False)


def test_every_persona_has_a_column_and_every_route_a_get_or_post():
    assert ROWS, "the matrix is empty"
    for row in ROWS:
        assert row.method in {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}, row
        assert all(row.expected[persona] for persona in PERSONAS), row


def _api_request(world, client, row, persona, path, body):
    """The API as an integration calls it: with the persona's token (no session), JSON bodies, fresh throttles."""
    cache.clear()  # throttle counters live in the cache; a cell must not be refused for the cells before it
    headers = {} if persona == "anonymous" else {"Authorization": f"Bearer {world.tokens[persona]}"}
    if row.method == "GET":
        return client.get(path, headers=headers)
    if body is not None and not is_json(row.body):
        return client.post(path, body, headers=headers)  # multipart (an upload)
    data = json.dumps(body if body is not None else {})
    return client.generic(row.method, path, data, content_type="application/json", headers=headers)


@pytest.mark.parametrize(("row", "persona"), _cells())
def test_cell(world, db, client, row, persona):
    path = world.fill(row.url)
    assert spell(resolve(path.split("?")[0]).route) == row.route, f"{path} does not reach {row.route}"
    body = body_for(row.body, world)
    if path.startswith("/api/"):
        response = _api_request(world, client, row, persona, path, body)
    else:
        if persona != "anonymous":
            client.force_login(world.users[persona])
        if row.method == "GET":
            response = client.get(path)
        elif row.method == "POST":
            response = client.post(path, body or {})
        else:
            response = client.generic(row.method, path)
    outcome = outcome_of(response)
    if response.streaming:
        # Reading to the end lets the test client close the file the way Django does (closing it ourselves would
        # fire request_finished and close the PostgreSQL connection in the middle of the world's transaction).
        b"".join(response.streaming_content)
    assert outcome == row.expected[persona], f"matrix.csv line {row.line}: {persona} {row.method} {path}"
