"""The pages are light (≤ 30 KB with their CSS, no script, no web font) and say: don't cache, don't send a referrer,
don't index, run no script."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from cases.models import Case, EntryKind, ExchangeRate, Route
from cases.money.services.ledger import ledger_record
from cases.portal.views import CSS

from .conftest import look_up

pytestmark = pytest.mark.django_db

BUDGET = 30 * 1024
LANGUAGES = ["en", "ar", "my", "km", "ne", "bn", "th", "ky"]


def _weight(client: Client, html: bytes) -> int:
    """HTML plus every stylesheet it links (fetched as a browser would); scripts and fonts are not allowed at all."""
    text = html.decode()
    assert "<script" not in text
    assert "@font-face" not in text and "fonts.googleapis" not in text
    total = len(html)
    for href in re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text):
        total += len(b"".join(client.get(href).streaming_content))
    return total


@pytest.fixture
def heaviest_case(worker_case, hearing, administrator):
    """Every section on: a hearing, amounts, all three contacts."""
    ExchangeRate.objects.create(currency="MYR", date=date(2025, 3, 1), rate=Decimal("0.21"), source="test")
    for kind in (EntryKind.AWARDED, EntryKind.PAID, EntryKind.DISBURSED):
        ledger_record(
            actor=administrator,
            case_id=worker_case.pk,
            kind=kind,
            amount=Decimal("100"),
            currency="MYR",
            entry_date=date(2025, 3, 15),
            source=Route.NEGOTIATION,
        )
    Case.objects.filter(pk=worker_case.pk).update(portal_show_amounts=True)
    return worker_case


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lookup_and_status_pages_weigh_under_30_kb(heaviest_case, lang):
    client = Client()
    lookup_page = client.get(f"/status/{lang}/")
    look_up(client, heaviest_case.reference, lang=lang)
    status_page = client.get("/status/claim/")

    assert "100.00" in status_page.content.decode() and "tel:" in status_page.content.decode()
    for page in (lookup_page, status_page):
        assert page.status_code == 200
        weight = _weight(client, page.content)
        print(f"{lang} {page.request['PATH_INFO']}: {weight} bytes")  # the figure, shown with -s
        assert weight <= BUDGET


def test_the_stylesheet_is_small_and_uses_system_fonts_with_noto_fallbacks():
    assert len(CSS.encode()) < 4 * 1024
    for family in ("system-ui", '"Noto Sans"', '"Noto Sans Myanmar"', '"Noto Naskh Arabic"', "sans-serif"):
        assert family in CSS
    assert "min-height:48px" in CSS  # tap targets


def test_every_portal_response_carries_the_privacy_headers(worker_case):
    client = Client()
    responses = [
        client.get("/status/"),
        client.get("/status/ar/"),
        look_up(client, "nonsense"),
        look_up(client, worker_case.reference),
        client.get("/status/claim/"),
        client.post("/status/claim/phone/", {"phone": "1"}),
        client.post("/status/claim/done/"),
    ]
    for response in responses:
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_the_status_link_to_whatsapp_sends_no_referrer(worker_case):
    client = Client()
    look_up(client, worker_case.reference)

    page = client.get("/status/claim/").content.decode()

    assert 'rel="noreferrer noopener"' in page
