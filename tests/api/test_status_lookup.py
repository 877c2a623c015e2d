"""POST /api/v1/status/: the worker's status check with the page's protections — one answer for an unknown reference
and a wrong PIN, locks and limits as 429 with Retry-After, 503 when the counters are down, only what the worker may
see, in the language asked, never cached and never logged."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError
from django.utils import timezone
from rest_framework.test import APIClient

from cases.core.references import new_reference
from cases.core.services.cases import case_add_note, case_close
from cases.core.stages import Outcome
from cases.models import Case, Deadline, DeadlineKind, EntryKind, ExchangeRate, Route
from cases.money.services.ledger import ledger_record
from cases.portal import limiter
from cases.portal.services import portal_show_amounts_set
from tests.log_capture import every_log_record
from tests.portal import conftest as portal

pytestmark = pytest.mark.django_db

URL = "/api/v1/status/"
PIN = portal.PIN
# The status check's own fixtures: a case in redress whose PIN is PIN, at an office with a phone, WhatsApp and email.
office_with_contacts = portal.office_with_contacts
worker_case = portal.worker_case
NO_MATCH = {
    "detail": "The reference or the PIN is not right. Check both and try again.",
    "code": "not_found_or_wrong_pin",
}
FIELDS = {
    "reference",
    "language",
    "closed",
    "stage",
    "next_step",
    "what_to_do",
    "next_hearing",
    "amounts",
    "office",
}


def ask(reference, pin=PIN, client=None, **extra):
    """A lookup as a partner's app sends it: JSON, no credentials."""
    client = client or APIClient()
    body = {"reference": reference, "pin": pin, **extra.pop("body", {})}
    return client.post(URL, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def unlimited(settings):
    settings.PORTAL_REFERENCE_LIMIT = settings.PORTAL_IP_LIMIT = 10**6


def _unknown_references(count: int) -> list[str]:
    known = set(Case.objects.values_list("reference", flat=True))
    references: set[str] = set()
    while len(references) < count:
        reference = new_reference()
        if reference not in known:
            references.add(reference)
    return sorted(references)


# --- the answer -----------------------------------------------------------------------------------------------------


def test_the_right_pin_gets_the_workers_status_and_nothing_else(worker_case, administrator):
    case_add_note(actor=administrator, case_id=worker_case.pk, text="Employer threatened him on 3 May.")

    response = ask(worker_case.reference, body={"language": "en"})

    assert response.status_code == 200
    data = response.json()
    assert set(data) == FIELDS
    assert data["reference"] == worker_case.reference
    assert data["stage"].startswith("We are working to get your money")
    assert data["next_step"] == "Next: if there is a hearing, its date will be shown on this page."
    assert data["what_to_do"] == "You don't need to do anything now."
    assert data["closed"] is False
    assert data["next_hearing"] is None
    assert data["amounts"] == []
    assert data["office"] == {
        "phone": "+60 3 1234 5678",
        "whatsapp": "60123456789",
        "email": "help@redress.example.org",
    }
    text = response.content.decode()
    employer = worker_case.case_respondents.get().respondent.name
    for secret in (employer, "threatened", worker_case.summary, worker_case.claimant.full_name, "pin_hash", PIN):
        assert secret not in text


def test_every_answer_is_never_cached_and_sends_no_referrer(worker_case):
    for response in (ask(worker_case.reference), ask(worker_case.reference, "11111111"), ask("nonsense", "")):
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_closed_case_explains_its_outcome_and_asks_nothing(worker_case, administrator):
    case_close(actor=administrator, case_id=worker_case.pk, outcome=Outcome.UNREACHABLE, reason="No answer.")

    data = ask(worker_case.reference, body={"language": "en"}).json()

    assert data["closed"] is True
    assert data["stage"].startswith("Your claim is closed because we could not reach you.")
    assert data["what_to_do"] is None


def test_the_next_hearing_is_given_in_the_hearings_time_zone(worker_case, paralegal_a):
    due = (timezone.now() + timedelta(days=5)).replace(hour=1, minute=30, second=0, microsecond=0)
    Deadline.objects.create(
        case=worker_case, kind=DeadlineKind.HEARING, due_at=due, timezone="Asia/Kuala_Lumpur", entered_by=paralegal_a
    )

    hearing = ask(worker_case.reference, body={"language": "en"}).json()["next_hearing"]

    assert hearing["timezone"] == "Asia/Kuala_Lumpur"
    assert hearing["at"].endswith("09:30:00+08:00")
    assert hearing["text"].startswith("Hearing: ") and hearing["text"].endswith(" at 09:30")


def test_amounts_only_when_the_case_allows_them(worker_case, administrator, paralegal_a):
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
    hidden = ask(worker_case.reference, body={"language": "en"})
    assert hidden.json()["amounts"] == [] and "1,200.50" not in hidden.content.decode()

    portal_show_amounts_set(actor=paralegal_a, case_id=worker_case.pk, show=True)
    shown = ask(worker_case.reference, body={"language": "en"})

    assert shown.json()["amounts"] == [
        {
            "recovered": "1,200.50\xa0MYR",
            "paid_to_you": "1,000.00\xa0MYR",
            "text": "Recovered so far: 1,200.50\xa0MYR\nPaid to you so far: 1,000.00\xa0MYR",
        }
    ]
    assert "3,000.00" not in shown.content.decode()  # the award is not what reached anyone


# --- languages ------------------------------------------------------------------------------------------------------


def test_without_a_choice_the_answer_is_in_the_workers_own_language(worker_case):
    worker_case.claimant.preferred_language = "ru"
    worker_case.claimant.save(update_fields=["preferred_language"])

    data = ask(worker_case.reference).json()

    assert data["language"] == "ru"
    assert (
        data["stage"]
        != "We are working to get your money: by asking the employer, or through a labour office or a court."
    )


def test_the_language_field_wins_over_accept_language(worker_case):
    data = ask(worker_case.reference, body={"language": "en"}, HTTP_ACCEPT_LANGUAGE="ar").json()
    assert data["language"] == "en"


def test_accept_language_names_the_language_when_no_field_does(worker_case):
    english = ask(worker_case.reference, body={"language": "en"}).json()

    arabic = ask(worker_case.reference, HTTP_ACCEPT_LANGUAGE="ar-EG,ar;q=0.9,en;q=0.5").json()

    assert arabic["language"] == "ar"
    assert arabic["stage"] != english["stage"]


@pytest.mark.parametrize("language", ["ru", "ky", "ar", "my", "th", "es", "fr"])
def test_refusals_speak_the_language_asked_too(worker_case, language):
    english = ask(worker_case.reference, "11111111", body={"language": "en"}).json()

    answer = ask(worker_case.reference, "11111111", body={"language": language})

    assert answer.status_code == 400
    assert answer.json()["code"] == "not_found_or_wrong_pin"
    assert answer.json()["detail"] != english["detail"]


def test_a_language_that_is_not_a_claimant_language_is_a_field_error(worker_case):
    response = ask(worker_case.reference, body={"language": "xx"})
    assert response.status_code == 400
    assert set(response.json()) == {"language"}


# --- one answer for an unknown reference and a wrong PIN -----------------------------------------------------------


def test_a_hundred_unknown_references_and_a_hundred_wrong_pins_get_the_same_bytes(unlimited, worker_case):
    answers = set()
    for reference in _unknown_references(100):
        response = ask(reference, "12345678")
        answers.add((response.status_code, response.content))
    for number in range(100):
        response = ask(worker_case.reference, f"{number:08d}")  # the real PIN is 20481024
        answers.add((response.status_code, response.content))

    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 400 and json.loads(body) == NO_MATCH


# --- bad input, as the page's form handles it ---------------------------------------------------------------------


def test_the_page_forms_normalisation_applies(worker_case):
    typed = worker_case.reference.lower().replace("-", " ")
    arabic_indic_pin = PIN.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    assert ask(typed, arabic_indic_pin).status_code == 200


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"reference", "pin"}),
        ({"reference": "not a reference", "pin": "12345678"}, {"reference"}),
        ({"reference": "{reference}", "pin": "1234"}, {"pin"}),
        ({"reference": "x" * 500, "pin": "1" * 500}, {"reference", "pin"}),
        ({"reference": ["a"], "pin": {"b": 1}}, {"reference", "pin"}),
    ],
)
def test_bad_input_is_a_field_map_and_counts_no_attempt(worker_case, body, fields, monkeypatch):
    def no_lookup(**kwargs):
        raise AssertionError("bad input must not reach the lookup")

    monkeypatch.setattr("cases.portal.services.portal_lookup", no_lookup)
    if body.get("reference") == "{reference}":
        body = {**body, "reference": worker_case.reference}
    response = APIClient().post(URL, json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()) == fields


def test_a_body_that_is_not_an_object_is_refused():
    response = APIClient().post(URL, "[1, 2]", content_type="application/json")
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_get_is_not_allowed():
    response = APIClient().get(URL)
    assert response.status_code == 405
    assert response["Cache-Control"] == "no-store"


# --- limits ---------------------------------------------------------------------------------------------------------


def test_after_the_limit_the_reference_is_locked_even_for_the_right_pin(settings, worker_case):
    settings.PORTAL_REFERENCE_LIMIT = 3
    for _ in range(3):
        assert ask(worker_case.reference, "11111111").status_code == 400

    locked = ask(worker_case.reference, PIN)

    assert locked.status_code == 429
    assert locked.json()["code"] == "reference_locked"
    assert 0 < int(locked["Retry-After"]) <= settings.PORTAL_LOCK_SECONDS


def test_an_unknown_reference_locks_exactly_like_a_real_one(settings, worker_case):
    settings.PORTAL_REFERENCE_LIMIT = 3
    answers = {}
    for reference in (_unknown_references(1)[0], worker_case.reference):
        for _ in range(3):
            ask(reference, "11111111")
        response = ask(reference, "11111111")
        answers[reference] = (response.status_code, response.content)

    first, second = answers.values()
    assert first == second and first[0] == 429


def test_one_address_is_slowed_down_for_wrong_tries_and_another_is_not(settings, worker_case):
    settings.PORTAL_IP_LIMIT = 4
    for reference in _unknown_references(4):
        ask(reference, "11111111")

    busy = ask(worker_case.reference, "11111111")

    assert busy.status_code == 429
    assert busy.json()["code"] == "throttled"
    assert int(busy["Retry-After"]) == settings.PORTAL_IP_WINDOW_SECONDS
    assert ask(worker_case.reference, PIN).status_code == 200  # the right PIN from the same address
    assert ask(_unknown_references(1)[0], "11111111", REMOTE_ADDR="10.9.8.7").status_code == 400


def test_the_page_and_the_endpoint_share_the_counters(settings, client, worker_case):
    settings.PORTAL_REFERENCE_LIMIT = 3
    for _ in range(3):
        client.post("/status/", {"reference": worker_case.reference, "pin": "11111111"})

    assert ask(worker_case.reference, PIN).status_code == 429


@pytest.fixture(params=["database", "cache"])
def broken_store(request, monkeypatch):
    store_class = limiter.DatabaseStore if request.param == "database" else limiter.CacheStore
    error = DatabaseError("connection refused") if request.param == "database" else ConnectionError("redis down")

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(store_class, "hit", fail)
    monkeypatch.setattr(store_class, "locked_until", fail)
    monkeypatch.setattr(limiter, "store", store_class)
    return store_class


def test_a_store_that_is_down_gets_503_not_the_status(broken_store, worker_case):
    response = ask(worker_case.reference, PIN, body={"language": "ru"})

    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert "Проверка сейчас недоступна" in response.json()["detail"]
    assert "Retry-After" in response


# --- whoever asks -------------------------------------------------------------------------------------------------


def test_staff_credentials_change_nothing_and_no_csrf_token_is_needed(worker_case, api_for, coordinator_a):
    anonymous = ask(worker_case.reference, body={"language": "en"})
    with_token = ask(worker_case.reference, client=api_for(coordinator_a), body={"language": "en"})
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(coordinator_a)
    with_session = ask(worker_case.reference, client=session, body={"language": "en"})

    assert anonymous.status_code == with_token.status_code == with_session.status_code == 200
    assert anonymous.content == with_token.content == with_session.content


def test_a_bad_token_is_ignored_not_refused(worker_case):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert ask(worker_case.reference, client=client).status_code == 200


# --- logs -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def captured():
    """Every log record, from every logger, at DEBUG."""
    with every_log_record() as handler:
        yield handler


def test_no_lookup_ever_logs_the_reference_or_the_pin(captured, settings, worker_case, monkeypatch):
    settings.PORTAL_REFERENCE_LIMIT = 2
    ask(worker_case.reference, PIN)  # right (200)
    for _ in range(3):
        ask(worker_case.reference, "99999999")  # wrong (400), then locked (429)
    ask(worker_case.reference.lower(), "")  # bad input (400)
    APIClient().get(f"{URL}?reference={worker_case.reference}&pin={PIN}")  # in the URL (405)
    APIClient().post(f"{URL}?reference={worker_case.reference}&pin={PIN}", "{}", content_type="application/json")

    def down(*args, **kwargs):
        raise ConnectionError("store down")

    monkeypatch.setattr(limiter.DatabaseStore, "hit", down)
    monkeypatch.setattr(limiter.CacheStore, "hit", down)
    ask(worker_case.reference, PIN)  # 503

    text = "\n".join(captured.lines)
    assert "Bad Request" in text and "Too Many Requests" in text and "Method Not Allowed" in text  # we did capture
    compact = worker_case.reference.replace("-", "")
    for secret in (worker_case.reference, compact, compact.lower(), worker_case.reference.lower(), PIN, "99999999"):
        assert secret not in text
