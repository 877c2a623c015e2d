"""Staff issue a new PIN from the case page: shown once, the old PIN stops working, an event records who did it."""

import re

import pytest
from django.test import Client

from cases.models import CaseEvent, EventKind

from .conftest import PIN, look_up

pytestmark = pytest.mark.django_db


def test_a_new_pin_is_shown_once_and_the_old_one_stops_working(client, worker_case, paralegal_a):
    client.force_login(paralegal_a)

    response = client.post(f"/cases/{worker_case.pk}/status-check/pin/")
    assert response.status_code == 302
    page = client.get(f"/cases/{worker_case.pk}/").content.decode()
    shown = re.search(r'id="new-pin">(\d{4}) (\d{4})<', page)
    assert shown
    new_pin = shown.group(1) + shown.group(2)

    assert 'id="new-pin"' not in client.get(f"/cases/{worker_case.pk}/").content.decode()  # once
    assert look_up(Client(), worker_case.reference, PIN).status_code == 400
    assert look_up(Client(), worker_case.reference, new_pin).status_code == 302
    event = CaseEvent.objects.get(case=worker_case, kind=EventKind.PIN_REISSUED)
    assert event.actor == paralegal_a and new_pin not in str(event.payload)


def test_the_new_pin_is_encrypted_in_the_session(client, worker_case, paralegal_a):
    client.force_login(paralegal_a)
    client.post(f"/cases/{worker_case.pk}/status-check/pin/")

    stored = client.session[f"intake_pin:{worker_case.pk}"]

    assert not re.search(r"\d{8}", stored)


def test_only_staff_who_can_see_the_case_can_reissue(client, worker_case, paralegal_b):
    client.force_login(paralegal_b)

    assert client.post(f"/cases/{worker_case.pk}/status-check/pin/").status_code == 404
    assert look_up(Client(), worker_case.reference, PIN).status_code == 302


def test_a_get_does_not_reissue(client, worker_case, paralegal_a):
    client.force_login(paralegal_a)

    assert client.get(f"/cases/{worker_case.pk}/status-check/pin/").status_code == 405
    assert not CaseEvent.objects.filter(kind=EventKind.PIN_REISSUED).exists()
