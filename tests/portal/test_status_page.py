"""What the worker sees: the stage in plain words, the next hearing, amounts only when allowed, the office contact;
never the employer, notes or documents. "Done" ends the check; the check ends by itself too."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from cases.core.services.cases import case_add_note, case_close
from cases.core.stages import Outcome
from cases.models import Deadline, DeadlineKind, DeadlineStatus, EntryKind, ExchangeRate, Route
from cases.money.services.ledger import ledger_record
from cases.portal.services import portal_show_amounts_set

from .conftest import look_up

pytestmark = pytest.mark.django_db


def _status(client: Client, case) -> str:
    assert look_up(client, case.reference).status_code == 302
    return client.get("/status/claim/en/").content.decode()


def test_the_page_explains_the_stage_and_what_comes_next(client, worker_case):
    page = _status(client, worker_case)

    assert "We are working to get your money" in page
    assert "Next: if there is a hearing, its date will be shown on this page." in page
    assert "You don&#x27;t need to do anything now." in page


def test_a_closed_case_explains_its_outcome_and_asks_nothing(client, worker_case, administrator):
    case_close(actor=administrator, case_id=worker_case.pk, outcome=Outcome.UNREACHABLE, reason="No answer.")

    page = _status(client, worker_case)

    assert "Your claim is closed because we could not reach you." in page
    assert "What you need to do" not in page


def test_the_next_open_future_hearing_is_shown_in_the_office_time(client, worker_case, paralegal_a):
    now = timezone.now()
    for days, status in ((3, DeadlineStatus.CANCELLED), (5, DeadlineStatus.OPEN), (20, DeadlineStatus.OPEN)):
        Deadline.objects.create(
            case=worker_case,
            kind=DeadlineKind.HEARING,
            due_at=(now + timedelta(days=days)).replace(hour=1, minute=30),  # 09:30 in Kuala Lumpur
            timezone="Asia/Kuala_Lumpur",
            entered_by=paralegal_a,
            status=status,
        )

    page = _status(client, worker_case)

    shown = (now + timedelta(days=5)).date()
    assert "Hearing:" in page and "09:30" in page
    with translation.override("en"):
        assert f"Hearing: {date_format(shown, 'DATE_FORMAT')} at 09:30" in page


def test_without_a_hearing_there_is_no_date_section(client, worker_case):
    assert "Next date" not in _status(client, worker_case)


def test_contacts_are_the_offices_with_a_whatsapp_link(client, worker_case):
    page = _status(client, worker_case)

    assert 'href="tel:+60312345678"' in page
    assert 'href="https://wa.me/60123456789"' in page
    assert "help@redress.example.org" in page


def test_the_employer_notes_and_summary_never_appear(client, worker_case, administrator):
    case_add_note(actor=administrator, case_id=worker_case.pk, text="Employer threatened him on 3 May.")
    employer = worker_case.case_respondents.get().respondent.name

    page = _status(client, worker_case)

    assert employer not in page
    assert "threatened" not in page
    assert worker_case.summary not in page
    assert worker_case.claimant.full_name not in page


@pytest.fixture
def money(worker_case, administrator):
    ExchangeRate.objects.create(currency="MYR", date=date(2025, 3, 1), rate=Decimal("0.21"), source="test")
    for kind, amount in ((EntryKind.AWARDED, "3000.00"), (EntryKind.PAID, "1200.50"), (EntryKind.DISBURSED, "1000")):
        ledger_record(
            actor=administrator,
            case_id=worker_case.pk,
            kind=kind,
            amount=Decimal(amount),
            currency="MYR",
            entry_date=date(2025, 3, 15),
            source=Route.NEGOTIATION,
        )


def test_amounts_are_hidden_unless_the_case_allows_them(client, worker_case, money, paralegal_a):
    assert "1,200.50" not in _status(client, worker_case)

    portal_show_amounts_set(actor=paralegal_a, case_id=worker_case.pk, show=True)
    page = _status(Client(), worker_case)

    assert "Recovered so far: 1,200.50\xa0MYR" in page
    assert "Paid to you so far: 1,000.00\xa0MYR" in page
    assert "3,000.00" not in page  # the award is not what reached anyone


def test_done_ends_the_check(client, worker_case):
    _status(client, worker_case)

    response = client.post("/status/claim/done/")

    assert response.status_code == 302
    page = client.get("/status/claim/").content.decode()
    assert worker_case.reference not in page
    assert "Your check has ended." in page


def test_the_check_ends_by_itself_after_the_session_time(client, worker_case, settings):
    _status(client, worker_case)

    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PORTAL_SESSION_SECONDS + 1)):
        page = client.get("/status/claim/").content.decode()

    assert worker_case.reference not in page


def test_a_successful_lookup_starts_a_new_session_id(client, worker_case):
    client.get("/status/")
    client.cookies["sessionid"] = "stale-session-key-from-before"
    look_up(client, worker_case.reference)

    assert client.cookies["sessionid"].value != "stale-session-key-from-before"


def test_a_staff_member_trying_the_page_stays_signed_in_after_done(client, worker_case, paralegal_a):
    client.force_login(paralegal_a)
    _status(client, worker_case)

    client.post("/status/claim/done/")

    assert client.get(f"/cases/{worker_case.pk}/").status_code == 200
