"""What people really type: empty fields, spaces, lower case, look-alikes, long input, digits of other scripts,
and addresses with parameters. Each gets a plain answer in the page's language; none reaches the lookup."""

import re

import pytest
from django.test import Client

from cases.models import RateCounter

from .conftest import PIN, look_up

pytestmark = pytest.mark.django_db


def test_empty_fields_ask_for_both(client):
    page = client.post("/status/", {"reference": "  ", "pin": ""})

    assert page.status_code == 400
    assert "Write your case reference." in page.content.decode()
    assert "Write your PIN." in page.content.decode()


def test_lower_case_spaces_and_full_width_letters_are_a_reference(worker_case):
    typed = worker_case.reference.lower().replace("-", "  ")
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in worker_case.reference)

    assert look_up(Client(), typed).status_code == 302
    assert look_up(Client(), full_width).status_code == 302


def test_look_alike_characters_are_a_plain_format_error_not_a_lookup(worker_case):
    # The alphabet has no 0/O, 1/I/L, U/V: a reference with them cannot exist, and guessing which was meant
    # (O for 0? for Q?) would turn one typo into a lookup of someone else's reference.
    typed = "O" + worker_case.reference[1:]

    response = look_up(Client(), typed)

    assert response.status_code == 400
    assert "This is not a case reference." in response.content.decode()
    assert not RateCounter.objects.filter(key__startswith="portal:ref:").exists()


def test_a_mistyped_check_character_is_caught_before_any_lookup(worker_case):
    body, check = worker_case.reference[:-1], worker_case.reference[-1]
    other = "2" if check != "2" else "3"

    assert "This is not a case reference." in look_up(Client(), body + other).content.decode()


def test_very_long_input_is_refused_without_work(client):
    response = client.post("/status/", {"reference": "A" * 100_000, "pin": "1" * 100_000})

    assert response.status_code == 400
    assert len(response.content) < 30_000
    assert not RateCounter.objects.exists()


@pytest.mark.parametrize(
    "pin", ["٢٠٤٨١٠٢٤", "२०४८१०२४", "2048 1024", "2048-1024", "２０４８１０２４", "২০৪৮১০২৪", "၂၀၄၈၁၀၂၄"]
)
def test_pin_digits_of_other_scripts_and_separators_are_accepted(worker_case, pin):
    assert look_up(Client(), worker_case.reference, pin).status_code == 302


@pytest.mark.parametrize("pin", ["1234567", "123456789", "12a45678", "1234567x"])
def test_a_pin_that_is_not_eight_digits_is_a_plain_format_error(worker_case, pin):
    response = look_up(Client(), worker_case.reference, pin)

    assert response.status_code == 400
    assert "The PIN is 8 digits." in response.content.decode()


def test_get_with_parameters_gets_a_plain_message_and_no_lookup(worker_case):
    response = Client().get(f"/status/?reference={worker_case.reference}&pin={PIN}")

    assert response.status_code == 200  # not 4xx: Django would log the request, query string and all
    assert "Please use the form below to check your claim." in response.content.decode()
    assert "portal" not in Client().session
    assert not RateCounter.objects.exists()


def test_get_with_parameters_answers_in_the_chosen_language():
    response = Client().get("/status/ne/?ref=x")

    assert "आफ्नो उजुरी जाँच गर्न तलको फारम प्रयोग गर्नुहोस्।" in response.content.decode()


def test_an_unknown_language_is_not_found():
    assert Client().get("/status/xx/").status_code == 404


def test_the_lookup_needs_a_csrf_token(worker_case):
    client = Client(enforce_csrf_checks=True)

    assert look_up(client, worker_case.reference).status_code == 403


def test_the_browser_language_picks_the_page_language():
    page = Client(HTTP_ACCEPT_LANGUAGE="my-MM,my;q=0.9,en;q=0.5").get("/status/").content.decode()

    assert '<html lang="my"' in page


def _csrf_client() -> tuple[Client, str]:
    """A client that enforces CSRF, with the cookie and token the lookup page hands out."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/status/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return client, token


def test_origin_null_with_the_token_is_accepted(worker_case):
    """Under Referrer-Policy: no-referrer browsers post with "Origin: null"; the token still proves the form is ours."""
    client, token = _csrf_client()

    response = client.post(
        "/status/", {"reference": worker_case.reference, "pin": PIN, "csrfmiddlewaretoken": token}, HTTP_ORIGIN="null"
    )

    assert response.status_code == 302 and response.url == "/status/claim/"


def test_origin_null_without_the_token_is_refused(worker_case):
    client, _token = _csrf_client()

    response = client.post("/status/", {"reference": worker_case.reference, "pin": PIN}, HTTP_ORIGIN="null")

    assert response.status_code == 403


def test_a_foreign_origin_is_refused_even_with_the_token(worker_case):
    client, token = _csrf_client()

    response = client.post(
        "/status/",
        {"reference": worker_case.reference, "pin": PIN, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
