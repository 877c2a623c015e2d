"""Anonymising a closed case blanks every personal text of the case and of its worker, read back from the database;
what the statistics count, and what is not personal, stays."""

import json

import pytest

from cases.core.errors import IllegalTransition
from cases.core.models import EventKind
from cases.core.services.cases import case_add_note, case_reopen
from cases.deadlines.models import DeadlineKind, Reminder, ReminderStatus
from cases.models import Case, CaseEvent, Deadline
from cases.money.models import (
    CalculationSettings,
    InstalmentPlan,
    LedgerEntry,
    OneOffItemRow,
    PayPeriodRow,
)
from cases.portal.models import PhoneChangeRequest
from cases.retention.services import ANONYMISED_TEXT, case_anonymise
from claimants.models import ANONYMISED_NAME, Claimant, ConsentRecord, ContactChannel
from documents.models import Document, DocumentStatus, EvidenceFile

from .conftest import MARK, every_row_of


def test_the_worker_s_name_is_everywhere_before_and_nowhere_after(worker_case):
    case = worker_case().case
    assert MARK in every_row_of(case)

    assert case_anonymise(actor=None, case=case) is True

    assert MARK not in every_row_of(case)


def test_the_case_s_own_texts_are_blanked_and_what_statistics_count_is_kept(worker_case):
    case = worker_case().case
    before = Case.objects.get(pk=case.pk)

    case_anonymise(actor=None, case=case)

    after = Case.objects.get(pk=case.pk)
    assert (after.summary, after.outcome_reason, after.job_title, after.pin_hash) == ("", "", "", "")
    assert (after.work_started_on, after.work_ended_on, after.departure_date, after.intake_token) == (None,) * 4
    assert after.anonymised_at is not None
    kept = [
        "reference",
        "office_id",
        "country_of_work",
        "sector",
        "stage",
        "outcome",
        "furthest_stage",
        "opened_at",
        "closed_at",
        "stage_changed_at",
        "assigned_to_id",
        "opened_by_id",
        "estimated_amount",
        "estimated_currency",
        "flag_unsafe_contact",
    ]
    assert {name: getattr(after, name) for name in kept} == {name: getattr(before, name) for name in kept}
    assert list(after.case_respondents.values_list("respondent__name", flat=True)) == ["Bina Sdn Bhd"]


def test_the_worker_s_record_keeps_only_gender_and_nationality(worker_case):
    case = worker_case().case

    case_anonymise(actor=None, case=case)

    worker = Claimant.objects.get(pk=case.claimant_id)
    assert worker.full_name == ANONYMISED_NAME
    assert str(worker) == "Anonymised worker"
    assert (worker.gender, worker.nationality.code) == ("man", "KG")
    blanked = [
        "preferred_language",
        "home_country_address",
        "alternate_contact_name",
        "alternate_contact_relationship",
        "alternate_contact_phone",
        "id_document_type",
        "id_document_number",
        "id_document_digest",
    ]
    assert {name: getattr(worker, name) for name in blanked} == dict.fromkeys(blanked, "")
    assert worker.anonymised_at is not None
    assert not ContactChannel.objects.filter(claimant=worker).exists()
    consents = ConsentRecord.objects.filter(claimant=worker)
    assert consents.count() == 3  # what was agreed, how and when stays
    assert set(consents.values_list("note", flat=True)) == {""}


def test_timeline_money_deadlines_and_portal_rows_lose_their_words_not_their_facts(worker_case):
    case = worker_case().case
    events_before = list(CaseEvent.objects.filter(case=case).values_list("pk", "kind", "actor_id", "payload"))
    ledger_before = list(LedgerEntry.objects.filter(case=case).values_list("pk", "amount_minor", "kind", "entry_date"))

    case_anonymise(actor=None, case=case)

    events = CaseEvent.objects.filter(case=case).exclude(kind=EventKind.ANONYMISED)
    assert list(events.values_list("pk", "kind", "actor_id", "payload")) == events_before
    assert set(events.values_list("reason", flat=True)) == {""}
    ledger = LedgerEntry.objects.filter(case=case)
    assert list(ledger.values_list("pk", "amount_minor", "kind", "entry_date")) == ledger_before
    assert set(ledger.values_list("note", flat=True)) == {""}
    assert set(InstalmentPlan.objects.filter(case=case).values_list("note", flat=True)) == {""}
    assert CalculationSettings.objects.get(case=case).basis_note == ""
    assert set(PayPeriodRow.objects.filter(case=case).values_list("label", "deductions_note")) == {("", "")}
    assert set(OneOffItemRow.objects.filter(case=case).values_list("description", flat=True)) == {""}
    deadlines = Deadline.objects.filter(case=case)
    assert set(deadlines.exclude(kind=DeadlineKind.TASK).values_list("note", "title", "status_reason")) == {
        ("", "", "")
    }
    assert set(deadlines.filter(kind=DeadlineKind.TASK).values_list("title", flat=True)) == {ANONYMISED_TEXT}
    assert not Reminder.objects.filter(case=case, status=ReminderStatus.PENDING).exists()
    assert set(Reminder.objects.filter(case=case).values_list("last_error", flat=True)) <= {""}
    assert all(context == {} for context in Reminder.objects.filter(case=case).values_list("context", flat=True))
    assert not PhoneChangeRequest.objects.filter(case=case).exists()


def test_evidence_and_filings_rows_keep_metadata_and_lose_personal_data(worker_case):
    case = worker_case().case
    evidence_before = EvidenceFile.objects.get(case=case)
    document_before = Document.objects.get(case=case)
    assert document_before.status == DocumentStatus.READY and MARK in json.dumps(document_before.snapshot)

    case_anonymise(actor=None, case=case)

    evidence = EvidenceFile.objects.get(case=case)
    assert (evidence.description, evidence.display_name, evidence.removal_reason) == ("", "", "anonymised")
    assert evidence.removed_at is not None and evidence.removed_by is None
    kept = ["kind", "size", "sha256", "content_type", "received_on", "uploaded_at", "uploaded_by_id"]
    assert {name: getattr(evidence, name) for name in kept} == {name: getattr(evidence_before, name) for name in kept}
    document = Document.objects.get(case=case)
    assert (document.status, document.snapshot, document.error) == (DocumentStatus.REMOVED, {}, "")
    assert document.removed_at is not None
    kept = ["kind", "language", "sha256", "size", "pages", "requested_at", "ready_at"]
    assert {name: getattr(document, name) for name in kept} == {name: getattr(document_before, name) for name in kept}


def test_the_anonymisation_is_one_event_on_the_timeline_without_personal_data(worker_case):
    case = worker_case().case

    case_anonymise(actor=None, case=case)

    event = CaseEvent.objects.get(case=case, kind=EventKind.ANONYMISED)
    assert (event.actor, event.reason, event.payload) == (None, "", {"cause": "retention"})


def test_a_worker_with_another_case_not_yet_anonymised_keeps_their_record(worker_case):
    first = worker_case().case
    second = worker_case(claimant=first.claimant).case

    case_anonymise(actor=None, case=first)

    worker = Claimant.objects.get(pk=first.claimant_id)
    assert worker.full_name.startswith(MARK) and worker.anonymised_at is None
    assert ContactChannel.objects.filter(claimant=worker).exists()
    assert Case.objects.get(pk=first.pk).summary == ""  # the case's own texts are gone all the same
    assert Case.objects.get(pk=second.pk).summary.startswith(MARK)

    case_anonymise(actor=None, case=second)

    assert Claimant.objects.get(pk=first.claimant_id).anonymised_at is not None


def test_an_open_case_is_refused(worker_case):
    case = worker_case(close=False).case

    with pytest.raises(IllegalTransition, match="Close the case"):
        case_anonymise(actor=None, case=case)
    assert Case.objects.get(pk=case.pk).anonymised_at is None


def test_an_anonymised_case_cannot_be_reopened_or_given_notes(worker_case, coordinator_a):
    case = worker_case().case
    case_anonymise(actor=None, case=case)

    with pytest.raises(IllegalTransition, match="cannot be reopened"):
        case_reopen(actor=coordinator_a, case_id=case.pk, reason="New evidence.")
    with pytest.raises(IllegalTransition, match="personal data was removed"):
        case_add_note(actor=coordinator_a, case_id=case.pk, text="Called again.")
    assert Case.objects.get(pk=case.pk).stage == "closed"


def test_a_worker_who_came_back_after_anonymisation_is_anonymised_again_with_the_new_case(worker_case):
    first = worker_case().case
    case_anonymise(actor=None, case=first)
    worker = Claimant.objects.get(pk=first.claimant_id)
    # Intake attaches the new case to the old record and fills in its blank fields and a channel again.
    second = worker_case(claimant=worker).case
    worker.refresh_from_db()
    assert worker.home_country_address.startswith(MARK) and worker.channels.exists()

    case_anonymise(actor=None, case=second)

    worker.refresh_from_db()
    assert worker.home_country_address == "" and not worker.channels.exists()
    assert MARK not in every_row_of(second)
