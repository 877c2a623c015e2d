"""Reading the authorization matrix (matrix.csv) and walking the URL resolver it must cover.

A row is ``route, method, url, body, anonymous, paralegal_a, paralegal_b, coordinator_a, admin``:
- ``route``: the resolver pattern as ``resolver_routes()`` spells it (includes joined, regex anchors dropped);
- ``url``: the path requested, with ``{placeholders}`` naming objects of the seeded world (world.py);
- ``body``: for unsafe methods, the name of a body in bodies.py ("-" for none);
- one expected outcome per persona: a status code, ``login`` (302 to the login page), ``admin_login`` (302 to the
  admin's login page) or ``redirect`` (any other 302).
Several rows may share a route (the same page for a case of office A and of office B). Lines starting with ``#``
and blank lines are ignored; cells are stripped, so columns can be aligned.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import PERSONAS

MATRIX = Path(__file__).with_name("matrix.csv")
COLUMNS = ("route", "method", "url", "body", *PERSONAS)
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    url: str
    body: str
    expected: dict  # persona -> outcome
    line: int


def spell(route: str) -> str:
    """A route as the matrix writes it: from the root, without regex anchors ("/admin/(?P<url>.*)")."""
    route = re.sub(r"(?:^|(?<=/))\^", "", str(route)).removesuffix("$")
    return "/" + route.lstrip("/")


def resolver_routes(resolver=None, prefix: str = "") -> list[str]:
    """Every route the project answers, depth first through includes (admin and i18n included), spelled."""
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            routes += resolver_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            routes.append(spell(prefix + str(entry.pattern)))
    return list(dict.fromkeys(routes))


def load_rows(path: Path = MATRIX) -> list[Row]:
    lines = [
        (number, line)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    reader = csv.reader((line for _, line in lines), skipinitialspace=True)
    rows = []
    header = None
    for (number, _), cells in zip(lines, reader, strict=True):
        cells = [cell.strip() for cell in cells]
        if header is None:
            header = tuple(cells)
            if header != COLUMNS:
                raise ValueError(f"{path.name}:{number}: the header must be {', '.join(COLUMNS)}")
            continue
        if len(cells) != len(COLUMNS):
            raise ValueError(f"{path.name}:{number}: {len(cells)} cells, expected {len(COLUMNS)}")
        values = dict(zip(COLUMNS, cells, strict=True))
        rows.append(
            Row(
                route=values["route"],
                method=values["method"].upper(),
                url=values["url"],
                body=values["body"],
                expected={persona: values[persona] for persona in PERSONAS},
                line=number,
            )
        )
    return rows


def paste_line(route: str) -> str:
    """A row to paste for a route the matrix lacks: the URL guessed from the route, outcomes to fill in."""
    return f"{route}, GET, {route}, -, " + ", ".join("?" for _ in PERSONAS)


def outcome_of(response) -> str:
    """What the matrix compares: the status code, or the kind of redirect."""
    if response.status_code in REDIRECTS:
        path = urlsplit(response["Location"]).path
        if path == resolve_url(settings.LOGIN_URL):
            return "login"
        if path == reverse("admin:login"):
            return "admin_login"
        return "redirect"
    return str(response.status_code)
