"""intake_submit writes the worker, contacts, consent, respondents and case in one transaction;
the find_*_matches reads offer existing records without revealing people from other offices."""

import logging
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection, connections

from cases.core.errors import InvalidInput, NotPermitted
from cases.core.pins import check_pin
from cases.core.services import intake
from cases.core.services.intake import (
    IntakeTokenUsed,
    find_claimant_matches,
    find_respondent_matches,
    intake_submit,
)
from cases.core.stages import Stage
from cases.models import Case, CaseEvent, CaseRespondent, Respondent, RespondentAlias
from claimants.models import ChannelKind, Claimant, ConsentPurpose, ConsentRecord, ContactChannel
from tests.factories import ClaimantFactory, RespondentFactory

PHONE = "+60 12-345 6789"


def submit(actor, *, token=None, office=None, claimant=None, claimant_data=None, channels=None, **overrides):
    """intake_submit with a complete, plausible intake; keyword arguments replace parts of it."""
    arguments = {
        "actor": actor,
        "token": token or uuid.uuid4(),
        "office": office or actor.office,
        "claimant": claimant,
        "claimant_data": {
            "full_name": "Aibek Toktogulov",
            "preferred_language": "ky",
            "nationality": "KG",
            "id_document_type": "passport",
            "id_document_number": "AC7654321",
            **(claimant_data or {}),
        },
        "channels": channels
        if channels is not None
        else [{"kind": ChannelKind.PHONE, "value": PHONE, "consent": True, "safe_to_contact": True}],
        "consents": [ConsentPurpose.DATA_PROCESSING, ConsentPurpose.CONTACT],
        "consent_method": "verbal",
        "respondents": [
            {
                "name": "Bina Jaya Sdn Bhd",
                "kind": "employer",
                "country": "MY",
                "aliases": ["BJ Construction", "Bina Jaya"],
                "role": "employer",
            }
        ],
        "case_data": {
            "country_of_work": "MY",
            "sector": "construction",
            "estimated_amount": Decimal("4500.00"),
            "estimated_currency": "myr",
        },
    }
    arguments.update(overrides)
    return intake_submit(**arguments)


def row_counts() -> dict[str, int]:
    models = [Claimant, ContactChannel, ConsentRecord, Respondent, RespondentAlias, Case, CaseRespondent, CaseEvent]
    return {model.__name__: model.objects.count() for model in models}


def test_an_intake_opens_a_case_with_the_worker_contacts_consent_and_respondent(paralegal_a, office_a):
    result = submit(paralegal_a)

    case = result.case
    assert result.created
    assert (case.office, case.stage, case.opened_by) == (office_a, Stage.INTAKE, paralegal_a)
    assert (case.estimated_amount, case.estimated_currency) == (Decimal("4500.00"), "MYR")
    claimant = case.claimant
    assert claimant.full_name == "Aibek Toktogulov"
    assert claimant.id_document_number == "AC7654321"
    channels = claimant.channels.all()
    assert [(c.kind, c.normalise(c.kind, c.value), c.consent, c.safe_to_contact) for c in channels] == [
        ("phone", "60123456789", True, True)
    ]
    assert sorted(claimant.consents.values_list("purpose", "method", "recorded_by")) == [
        ("contact", "verbal", paralegal_a.pk),
        ("data_processing", "verbal", paralegal_a.pk),
    ]
    [role] = case.case_respondents.select_related("respondent")
    assert (role.respondent.name, role.role) == ("Bina Jaya Sdn Bhd", "employer")


def test_the_pin_is_returned_once_and_stored_only_as_a_hash(paralegal_a):
    token = uuid.uuid4()
    result = submit(paralegal_a, token=token)

    stored = Case.objects.get(pk=result.case.pk)
    assert len(result.pin) == 8 and result.pin.isdigit()
    assert stored.intake_token == token
    assert stored.pin_hash and result.pin not in stored.pin_hash
    assert check_pin(result.pin, stored.pin_hash)
    assert result.pin not in repr(result)
    row = Case.objects.filter(pk=stored.pk).values().get()
    assert not any(result.pin in str(value) for value in row.values())


def test_the_pin_is_never_logged(paralegal_a, caplog):
    with caplog.at_level(logging.DEBUG):
        result = submit(paralegal_a)

    assert result.pin not in caplog.text


def test_a_failure_while_opening_the_case_leaves_no_claimant_respondent_or_consent(paralegal_a, monkeypatch):
    before = row_counts()

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake, "case_open", fail)
    with pytest.raises(RuntimeError):
        submit(paralegal_a)

    assert row_counts() == before


def test_a_refusal_from_case_open_rolls_everything_back(paralegal_a, office_a):
    before = row_counts()

    with pytest.raises(InvalidInput):
        submit(paralegal_a, case_data={"country_of_work": "MY", "sector": "construction", "estimated_amount": 10})

    assert row_counts() == before


def test_opening_a_case_in_another_office_is_refused_before_anything_is_written(paralegal_a, office_b):
    before = row_counts()

    with pytest.raises(NotPermitted):
        submit(paralegal_a, office=office_b)

    assert row_counts() == before


def test_submitting_the_same_token_twice_opens_one_case(paralegal_a):
    token = uuid.uuid4()
    first = submit(paralegal_a, token=token)
    counts = row_counts()

    second = submit(paralegal_a, token=token)

    assert (second.case.pk, second.created, second.pin) == (first.case.pk, False, None)
    assert row_counts() == counts


def test_a_colleague_in_the_same_office_resubmitting_gets_the_same_case(paralegal_a, coordinator_a):
    token = uuid.uuid4()
    first = submit(paralegal_a, token=token)

    assert submit(coordinator_a, token=token).case.pk == first.case.pk


def test_a_token_used_for_a_case_the_actor_cannot_see_is_refused(paralegal_a, paralegal_b):
    token = uuid.uuid4()
    submit(paralegal_a, token=token)

    with pytest.raises(IntakeTokenUsed):
        submit(paralegal_b, token=token)


def test_losing_the_race_to_store_the_token_returns_the_case_that_won(paralegal_a, monkeypatch):
    token = uuid.uuid4()
    winner = submit(paralegal_a, token=token)
    counts = row_counts()
    real_lookup, calls = intake.case_for_intake_token, []

    def not_committed_yet_on_first_look(*, actor, token):
        calls.append(token)
        return None if len(calls) == 1 else real_lookup(actor=actor, token=token)

    monkeypatch.setattr(intake, "case_for_intake_token", not_committed_yet_on_first_look)
    loser = submit(paralegal_a, token=token)

    assert len(calls) == 2  # the first look missed, the IntegrityError led to the second
    assert (loser.case.pk, loser.created, loser.pin) == (winner.case.pk, False, None)
    assert row_counts() == counts


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: two real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_of_one_form_open_one_case(office_a, paralegal_a, monkeypatch):
    token = uuid.uuid4()
    barrier = threading.Barrier(2, timeout=10)
    real_lookup, seen = intake.case_for_intake_token, threading.local()
    outcomes: list[object] = []

    def look_then_wait(*, actor, token):
        found = real_lookup(actor=actor, token=token)
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait()  # both requests have looked and found nothing
        return found

    monkeypatch.setattr(intake, "case_for_intake_token", look_then_wait)

    def run():
        try:
            outcomes.append(submit(paralegal_a, token=token))
        except Exception as exc:  # collected and asserted below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    assert sorted(result.created for result in outcomes) == [False, True], outcomes
    assert len({result.case.pk for result in outcomes}) == 1
    assert (Case.objects.count(), Claimant.objects.count(), Respondent.objects.count()) == (1, 1, 1)


def test_an_existing_worker_is_reused_and_only_new_channels_are_added(make_case, paralegal_a):
    claimant = ClaimantFactory(home_country_address="")
    ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.PHONE, value="60123456789")
    make_case(claimant=claimant)

    result = submit(
        paralegal_a,
        claimant=claimant,
        claimant_data={"full_name": "Someone Else", "home_country_address": "Osh, Kyrgyzstan"},
        channels=[
            {"kind": ChannelKind.PHONE, "value": PHONE, "consent": True, "safe_to_contact": True},
            {"kind": ChannelKind.WHATSAPP, "value": "+996 555 123 456", "consent": True, "in_home_country": True},
        ],
    )

    claimant.refresh_from_db()
    assert result.case.claimant_id == claimant.pk
    assert Claimant.objects.count() == 1
    assert claimant.full_name != "Someone Else"  # never overwritten
    assert claimant.home_country_address == "Osh, Kyrgyzstan"  # a gap filled
    channels = {(c.kind, c.normalise(c.kind, c.value)): c for c in claimant.channels.all()}
    assert set(channels) == {("phone", "60123456789"), ("whatsapp", "996555123456")}
    assert channels["phone", "60123456789"].safe_to_contact  # the flags given now
    assert channels["whatsapp", "996555123456"].in_home_country


def test_choosing_a_worker_the_actor_cannot_see_is_refused(make_case, paralegal_a, office_b):
    elsewhere = make_case(office=office_b).claimant
    before = row_counts()

    with pytest.raises(NotPermitted):
        submit(paralegal_a, claimant=elsewhere)

    assert row_counts() == before


def test_a_new_respondent_is_created_with_its_aliases(paralegal_a):
    result = submit(
        paralegal_a,
        respondents=[
            {
                "name": "Bina Jaya Sdn Bhd",
                "kind": "employer",
                "country": "MY",
                "aliases": ["BJ Construction", " bj construction ", "Bina Jaya Sdn Bhd", ""],
                "role": "",
            },
            {"name": "Kyrgyz Labour Export LLC", "kind": "recruiter", "country": "KG", "role": "recruiter"},
        ],
    )

    roles = {r.respondent.name: r for r in result.case.case_respondents.select_related("respondent")}
    assert {name: r.role for name, r in roles.items()} == {
        "Bina Jaya Sdn Bhd": "employer",
        "Kyrgyz Labour Export LLC": "recruiter",
    }
    employer = roles["Bina Jaya Sdn Bhd"].respondent
    assert list(employer.aliases.values_list("name", flat=True)) == ["BJ Construction"]


def test_an_existing_respondent_is_reused_in_its_role(paralegal_a):
    agency = RespondentFactory(name="Agensi Pekerjaan Maju", kind="agency")

    result = submit(paralegal_a, respondents=[{"respondent": agency, "role": "employer"}])

    assert Respondent.objects.count() == 1
    assert list(result.case.case_respondents.values_list("respondent", "role")) == [(agency.pk, "employer")]


def test_unknown_fields_are_refused_so_nothing_like_immigration_status_gets_in(paralegal_a):
    with pytest.raises(InvalidInput):
        submit(paralegal_a, claimant_data={"immigration_status": "overstayer"})
    with pytest.raises(InvalidInput):
        submit(paralegal_a, case_data={"country_of_work": "MY", "sector": "construction", "stage": "closed"})


def test_consent_needs_to_say_how_it_was_given(paralegal_a):
    with pytest.raises(InvalidInput):
        submit(paralegal_a, consent_method="")


def test_an_intake_without_consent_is_allowed(paralegal_a):
    result = submit(paralegal_a, consents=[], consent_method="")

    assert not result.case.claimant.consents.exists()


# --- find_claimant_matches ---------------------------------------------------------


@pytest.fixture
def known_worker(make_case, office_a):
    """A worker with a case in office A, a phone and a WhatsApp number and a passport number."""
    claimant = ClaimantFactory(full_name="Nurlan Asanov", id_document_number="AC 1234567")
    ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.PHONE, value="+60 12-345 6789")
    ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.WHATSAPP, value="+996 555 000 111")
    case = make_case(office=office_a, claimant=claimant)
    return claimant, case


def test_a_worker_is_found_by_the_digits_of_their_phone_or_whatsapp(known_worker, paralegal_a):
    claimant, case = known_worker

    [by_phone] = find_claimant_matches(actor=paralegal_a, phone="60123456789")
    [by_whatsapp_typed_as_phone] = find_claimant_matches(actor=paralegal_a, phone="00 (996) 555-000-111"[3:])
    [by_whatsapp] = find_claimant_matches(actor=paralegal_a, whatsapp="+996555000111")

    assert by_phone.claimant == claimant and by_phone.case_reference == case.reference
    assert by_phone.same_phone and not by_phone.same_document
    assert by_whatsapp.claimant == by_whatsapp_typed_as_phone.claimant == claimant


def test_a_worker_is_found_by_their_document_number(known_worker, paralegal_a):
    claimant, _case = known_worker

    [match] = find_claimant_matches(actor=paralegal_a, document_number="ac1234567")

    assert match.claimant == claimant
    assert match.same_document and not match.same_phone


def test_nothing_is_found_for_other_or_too_short_numbers(known_worker, paralegal_a):
    assert find_claimant_matches(actor=paralegal_a, phone="60123456780") == []
    assert find_claimant_matches(actor=paralegal_a, phone="6789") == []
    assert find_claimant_matches(actor=paralegal_a) == []


def test_a_worker_whose_cases_are_only_in_another_office_is_not_offered(
    known_worker, paralegal_a, paralegal_b, global_coordinator
):
    claimant, _case = known_worker

    assert find_claimant_matches(actor=paralegal_b, phone="60123456789") == []
    assert find_claimant_matches(actor=paralegal_b, document_number="AC1234567") == []
    assert [m.claimant for m in find_claimant_matches(actor=paralegal_a, phone="60123456789")] == [claimant]
    assert [m.claimant for m in find_claimant_matches(actor=global_coordinator, phone="60123456789")] == [claimant]


def test_a_worker_with_no_case_at_all_is_not_offered(paralegal_a):
    claimant = ClaimantFactory(id_document_number="ZZ999")
    ContactChannel.objects.create(claimant=claimant, kind=ChannelKind.PHONE, value="60111222333")

    assert find_claimant_matches(actor=paralegal_a, phone="60111222333", document_number="ZZ999") == []


def test_claimant_matches_are_limited(make_case, paralegal_a):
    for _ in range(3):
        case = make_case()
        ContactChannel.objects.create(claimant=case.claimant, kind=ChannelKind.PHONE, value="60111222333")

    assert len(find_claimant_matches(actor=paralegal_a, phone="60111222333", limit=2)) == 2


# --- find_respondent_matches -------------------------------------------------------


@pytest.fixture
def register(db):
    bina = RespondentFactory(name="Bina Jaya Sdn Bhd", country="MY")
    RespondentAlias.objects.create(respondent=bina, name="BJ Construction")
    binaan = RespondentFactory(name="Binaan Utama", country="MY")
    bina_kg = RespondentFactory(name="Bina", country="KG", kind="recruiter")
    other = RespondentFactory(name="Sunrise Plantations", country="MY")
    return {"bina": bina, "binaan": binaan, "bina_kg": bina_kg, "other": other}


def names(matches):
    return [match.respondent.name for match in matches]


def test_respondents_are_found_by_name_prefix_ignoring_case_exact_first(register):
    assert names(find_respondent_matches(name="bina")) == ["Bina", "Bina Jaya Sdn Bhd", "Binaan Utama"]


def test_respondents_are_found_by_alias(register):
    [match] = find_respondent_matches(name="bj construction")

    assert match.respondent == register["bina"]
    assert match.aliases == ["BJ Construction"]


def test_respondent_matches_can_be_narrowed_to_a_country(register):
    assert names(find_respondent_matches(name="Bina", country="KG")) == ["Bina"]


def test_respondent_matches_count_the_cases_against_them(register, make_case):
    make_case(respondents=[(register["bina"], "employer")])
    make_case(respondents=[(register["bina"], "employer"), (register["bina"], "sponsor")])

    [match] = find_respondent_matches(name="Bina Jaya")

    assert match.case_count == 2


def test_no_respondent_matches_for_an_empty_or_unknown_name(register):
    assert find_respondent_matches(name="  ") == []
    assert find_respondent_matches(name="Nowhere Ltd") == []
    assert find_respondent_matches(name="B") == []  # one letter matches only an exact name


def test_an_intake_reusing_a_worker_keeps_a_case_visible_to_them(known_worker, paralegal_a):
    claimant, _case = known_worker

    result = submit(paralegal_a, claimant=claimant, channels=[])

    assert Case.objects.filter(claimant=claimant).count() == 2
    assert result.case.claimant_id == claimant.pk
