"""Looking up a claim: the right reference and PIN open the status; anything else gets one plain answer."""

import pytest

from .conftest import look_up

pytestmark = pytest.mark.django_db


def test_the_right_reference_and_pin_open_the_status_page(client, worker_case):
    response = look_up(client, worker_case.reference)

    assert response.status_code == 302
    assert response["Location"] == "/status/claim/"
    page = client.get("/status/claim/")
    assert page.status_code == 200
    assert worker_case.reference in page.content.decode()


def test_the_reference_is_normalised_lower_case_spaces_and_no_dashes(client, worker_case):
    typed = "  " + worker_case.reference.replace("-", " ").lower() + " "

    assert look_up(client, typed).status_code == 302
