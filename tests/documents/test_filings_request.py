"""Asking for a filing: what the snapshot holds, what is refused, one document per request, queued after commit."""

import uuid
from datetime import date, timedelta

import pytest
from django.apps import apps

from cases.core.errors import GuardFailed, InvalidInput
from cases.core.services.cases import case_update_details
from cases.core.stages import Stage
from cases.models import Case, CaseEvent, EventKind
from cases.money.services.calculations import calculation_settings_update
from documents import filings, filings_snapshot
from documents.models import Document, DocumentKind, DocumentStatus
from tests.factories import RespondentFactory

from .filings_support import calculate, needs_poppler, pdf_text, request_and_render


@pytest.fixture(autouse=True)
def filing_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def filing_case(make_case):
    return make_case(Stage.EVIDENCE)


def ask(actor, case, kind=DocumentKind.INTAKE_RECEIPT, language="en", **kwargs) -> Document:
    return filings.document_request(actor=actor, case_id=case.pk, kind=kind, language=language, **kwargs)


def test_the_receipt_snapshot_has_the_reference_office_and_portal_but_no_respondent_amount_or_pin(
    filing_case, paralegal_a
):
    document = ask(paralegal_a, filing_case, language="th")

    snapshot = document.snapshot
    assert snapshot["reference"] == filing_case.reference
    assert snapshot["claimant"] == {"name": filing_case.claimant.full_name, "language": "ky"}
    assert snapshot["office"]["name"] == filing_case.office.name
    assert snapshot["portal_url"] == filings_snapshot.PORTAL_URL
    assert not {"respondents", "calculation", "employment", "addressee"} & set(snapshot)
    assert "pin" not in str(snapshot).lower()
    assert document.status == DocumentStatus.PENDING
    assert document.language == "th"


def test_a_request_writes_a_pending_document_and_one_requested_event(filing_case, paralegal_a):
    document = ask(paralegal_a, filing_case)

    event = CaseEvent.objects.get(case=filing_case, kind=EventKind.DOCUMENT_REQUESTED)
    assert event.actor == paralegal_a
    assert event.payload == {"document": document.pk, "kind": "intake_receipt", "language": "en"}
    assert document.requested_by == paralegal_a


def test_the_same_request_key_twice_makes_one_document(filing_case, paralegal_a):
    key = uuid.uuid4()

    first = ask(paralegal_a, filing_case, request_key=key)
    second = ask(paralegal_a, filing_case, request_key=key)

    assert first.pk == second.pk
    assert Document.objects.filter(case=filing_case).count() == 1
    assert CaseEvent.objects.filter(case=filing_case, kind=EventKind.DOCUMENT_REQUESTED).count() == 1


def test_a_request_key_already_used_for_another_case_is_refused(make_case, paralegal_a):
    key = uuid.uuid4()
    ask(paralegal_a, make_case(Stage.EVIDENCE), request_key=key)

    with pytest.raises(InvalidInput, match="another case"):
        ask(paralegal_a, make_case(Stage.EVIDENCE), request_key=key)


@pytest.mark.parametrize("kind", [DocumentKind.DEMAND_LETTER, DocumentKind.COMPLAINT])
def test_a_demand_letter_or_complaint_without_a_calculation_is_refused(filing_case, paralegal_a, kind):
    respondent = filing_case.case_respondents.get().respondent_id

    with pytest.raises(GuardFailed, match="Calculate what is owed first"):
        ask(paralegal_a, filing_case, kind=kind, respondent_id=respondent)

    assert not Document.objects.exists()


def test_a_calculation_older_than_its_inputs_is_refused(filing_case, paralegal_a):
    calculate(filing_case, paralegal_a)
    calculation_settings_update(actor=paralegal_a, case_id=filing_case.pk, changes={"basis_note": "Payslips."})

    with pytest.raises(GuardFailed, match="Calculate again"):
        ask(paralegal_a, filing_case, kind=DocumentKind.COMPLAINT)


def test_a_demand_letter_goes_to_one_of_the_cases_respondents(filing_case, paralegal_a):
    calculate(filing_case, paralegal_a)

    with pytest.raises(InvalidInput, match="Choose the respondent"):
        ask(paralegal_a, filing_case, kind=DocumentKind.DEMAND_LETTER)
    with pytest.raises(InvalidInput, match="not part of this case"):
        ask(paralegal_a, filing_case, kind=DocumentKind.DEMAND_LETTER, respondent_id=RespondentFactory().pk)


def test_no_demand_letter_while_the_employer_must_not_be_contacted(filing_case, paralegal_a):
    calculate(filing_case, paralegal_a)
    case_update_details(
        actor=paralegal_a,
        case_id=filing_case.pk,
        expected_version=Case.objects.get(pk=filing_case.pk).version,
        changes={"flag_do_not_contact_employer": True},
    )
    respondent = filing_case.case_respondents.get().respondent_id

    with pytest.raises(GuardFailed, match="not to contact the employer"):
        ask(paralegal_a, filing_case, kind=DocumentKind.DEMAND_LETTER, respondent_id=respondent)


def test_the_demand_letter_states_the_amount_and_a_deadline_14_days_after_the_request(filing_case, paralegal_a):
    calculation = calculate(filing_case, paralegal_a)
    respondent = filing_case.case_respondents.get().respondent

    document = ask(paralegal_a, filing_case, kind=DocumentKind.DEMAND_LETTER, respondent_id=respondent.pk)

    snapshot = document.snapshot
    assert snapshot["addressee"]["name"] == respondent.name
    assert snapshot["calculation"]["total_owed"] == str(calculation.total_owed)
    assert len(snapshot["calculation"]["lines"]) == len(calculation.result["lines"])
    assert date.fromisoformat(snapshot["pay_by"]) - date.fromisoformat(snapshot["requested_on"]) == timedelta(days=14)
    assert document.calculation_snapshot == calculation
    assert document.respondent == respondent


def test_unknown_kinds_and_languages_are_refused(filing_case, paralegal_a):
    with pytest.raises(InvalidInput):
        ask(paralegal_a, filing_case, kind="affidavit")
    with pytest.raises(InvalidInput):
        ask(paralegal_a, filing_case, language="xx")


def test_a_case_of_another_office_is_not_found(filing_case, paralegal_b):
    with pytest.raises(Case.DoesNotExist):
        ask(paralegal_b, filing_case)


def test_the_render_is_queued_only_after_the_request_commits(
    filing_case, paralegal_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = ask(paralegal_a, filing_case)

    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    assert not document.path.exists()

    callbacks[0]()

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.path.exists()


@needs_poppler
def test_the_pdf_shows_the_case_as_it_was_when_asked_for(
    filing_case, paralegal_a, administrator, django_capture_on_commit_callbacks
):
    calculate(filing_case, paralegal_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = ask(paralegal_a, filing_case, kind=DocumentKind.COMPLAINT)
    case_update_details(
        actor=administrator,
        case_id=filing_case.pk,
        expected_version=Case.objects.get(pk=filing_case.pk).version,
        changes={"summary": "Changed after the request."},
    )

    for callback in callbacks:
        callback()

    text = pdf_text(Document.objects.get(pk=document.pk).path.read_bytes())
    assert "Three months of wages unpaid" in text
    assert "Changed after the request" not in text


@needs_poppler
def test_the_complaint_lists_the_evidence_with_its_sha256(
    filing_case, paralegal_a, evidence_add, evidence_samples, django_capture_on_commit_callbacks
):
    calculate(filing_case, paralegal_a)
    (evidence,) = evidence_add(filing_case, ("payslip-march.pdf", evidence_samples.pdf()))

    document = request_and_render(
        django_capture_on_commit_callbacks,
        actor=paralegal_a,
        case_id=filing_case.pk,
        kind=DocumentKind.COMPLAINT,
        language="en",
    )

    assert document.snapshot["evidence"] == [
        {
            "kind": evidence.kind,
            "display_name": evidence.display_name,
            "sha256": evidence.sha256,
            "received_on": evidence.received_on.isoformat(),
        }
    ]
    text = "".join(pdf_text(document.path.read_bytes()).split())
    assert evidence.sha256[:32] in text
    assert "payslip-march.pdf" in text


def test_without_the_evidence_locker_the_evidence_list_is_empty(filing_case, paralegal_a, monkeypatch):
    calculate(filing_case, paralegal_a)

    get_model = apps.get_model

    def without_evidence(app_label, model_name=None, **kwargs):
        if (app_label, model_name) == ("documents", "EvidenceFile"):
            raise LookupError(model_name)
        return get_model(app_label, model_name, **kwargs)

    monkeypatch.setattr(apps, "get_model", without_evidence)
    document = ask(paralegal_a, filing_case, kind=DocumentKind.COMPLAINT)

    assert document.snapshot["evidence"] == []
