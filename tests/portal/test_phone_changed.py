""" "My phone number changed": a request for the paralegal, a follow-up deadline in two days, an event — in one go.
The number is stored encrypted, never logged, and does not become a contact channel by itself."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import CaseEvent, Deadline, DeadlineKind, EventKind, PhoneChangeRequest, Reminder
from cases.portal import services

from .conftest import look_up

pytestmark = pytest.mark.django_db

NEW_NUMBER = "+977 981-234-5678"


@pytest.fixture
def worker(worker_case):
    client = Client()
    assert look_up(client, worker_case.reference).status_code == 302
    return client


def test_the_request_creates_a_follow_up_for_the_paralegal_and_an_event(worker, worker_case, paralegal_a):
    response = worker.post("/status/claim/phone/", {"phone": NEW_NUMBER})

    assert response.status_code == 302
    request = PhoneChangeRequest.objects.get(case=worker_case)
    assert request.new_phone == "+9779812345678"
    deadline = Deadline.objects.get(case=worker_case, kind=DeadlineKind.FOLLOW_UP)
    assert timedelta(days=1, hours=23) < deadline.due_at - timezone.now() <= timedelta(days=2)
    event = CaseEvent.objects.get(case=worker_case, kind=EventKind.PHONE_CHANGE_REQUESTED)
    assert "9812345678" not in str(event.payload) and event.actor is None
    assert Reminder.objects.filter(case=worker_case, recipient_user=paralegal_a, template="deadline").exists()
    assert (
        "Thank you. The office will check your new number with you." in worker.get("/status/claim/en/").content.decode()
    )


def test_the_number_is_encrypted_in_the_database(worker, worker_case):
    worker.post("/status/claim/phone/", {"phone": NEW_NUMBER})

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT new_phone FROM {PhoneChangeRequest._meta.db_table}")  # noqa: S608
        stored = cursor.fetchone()[0]
    assert "9812345678" not in stored


def test_the_number_does_not_become_a_contact_channel(worker, worker_case):
    channels_before = list(worker_case.claimant.channels.values_list("pk", flat=True))

    worker.post("/status/claim/phone/", {"phone": NEW_NUMBER})

    assert list(worker_case.claimant.channels.values_list("pk", flat=True)) == channels_before


def test_it_is_one_transaction_nothing_stays_when_a_step_fails(worker_case, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("reminders down")

    monkeypatch.setattr(services.reminder_rules, "deadline_reminders", broken)

    with pytest.raises(RuntimeError):
        services.phone_change_request(case_id=worker_case.pk, phone="+9779812345678")

    assert not PhoneChangeRequest.objects.exists()
    assert not Deadline.objects.filter(kind=DeadlineKind.FOLLOW_UP).exists()
    assert not CaseEvent.objects.filter(kind=EventKind.PHONE_CHANGE_REQUESTED).exists()


@pytest.mark.parametrize("typed", ["", "12", "call me", "+1" + "2" * 20])
def test_a_number_that_cannot_be_one_is_refused_in_the_workers_words(worker, typed):
    response = worker.post("/status/claim/phone/", {"phone": typed})

    assert response.status_code == 400
    assert "Номерди өлкөнүн коду менен жазыңыз" in response.content.decode()  # the worker reads Kyrgyz
    assert not PhoneChangeRequest.objects.exists()


def test_digits_of_other_scripts_are_accepted(worker):
    worker.post("/status/claim/phone/", {"phone": "+٩٧٧ ٩٨١٢٣٤٥٦٧٨"})

    assert PhoneChangeRequest.objects.get().new_phone == "+9779812345678"


def test_no_request_without_a_looked_up_case(worker_case):
    response = Client().post("/status/claim/phone/", {"phone": NEW_NUMBER})

    assert response.status_code == 200
    assert not PhoneChangeRequest.objects.exists()


def test_at_most_three_requests_a_day_per_case(worker):
    for _ in range(5):
        worker.post("/status/claim/phone/", {"phone": NEW_NUMBER})

    assert PhoneChangeRequest.objects.count() == 3


def test_the_paralegal_sees_the_request_and_marks_it_checked(worker, worker_case, paralegal_a):
    worker.post("/status/claim/phone/", {"phone": NEW_NUMBER})
    request = PhoneChangeRequest.objects.get()
    staff = Client()
    staff.force_login(paralegal_a)

    page = staff.get(f"/cases/{worker_case.pk}/").content.decode()
    assert "+9779812345678" in page
    assert "The worker reported a new phone number" in page

    staff.post(f"/cases/{worker_case.pk}/status-check/phone/{request.pk}/")

    request.refresh_from_db()
    assert request.handled_by == paralegal_a
    assert Deadline.objects.get(kind=DeadlineKind.FOLLOW_UP).status == "met"
    assert "+9779812345678" not in staff.get(f"/cases/{worker_case.pk}/").content.decode()
