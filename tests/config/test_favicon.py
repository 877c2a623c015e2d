"""The favicon: a small SVG in the brand colour, linked from the staff pages and the worker's status check, and
/favicon.ico (which browsers ask for anyway) redirects to it instead of answering 404."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client

pytestmark = pytest.mark.django_db

ICON = static("redress/favicon.svg")


def test_favicon_ico_redirects_to_the_static_svg_for_anyone():
    response = Client().get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == ICON


def test_the_icon_is_a_small_svg_in_the_brand_colour():
    path = finders.find("redress/favicon.svg")
    text = Path(path).read_text(encoding="utf-8")

    assert text.startswith("<svg") and "#123c5a" in text
    assert len(text.encode()) < 1024


def test_the_staff_pages_and_the_status_check_link_the_icon(client):
    link = f'<link rel="icon" href="{ICON}" type="image/svg+xml">'

    assert link in client.get("/accounts/login/").content.decode()
    assert link in Client().get("/status/en/").content.decode()
