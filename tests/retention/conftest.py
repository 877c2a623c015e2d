"""Retention fixtures: a worker whose case carries personal data in every place one can be written, made through
the real services (intake, notes, evidence, calculation, ledger, instalments, deadlines, tasks, the status check's
"my number changed", a rendered filing, closing), so the tests read back what anonymisation really left."""

import io
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases.core.services.cases import case_add_note, case_advance, case_assign, case_close
from cases.core.services.intake import intake_submit
from cases.core.stages import Outcome, Stage
from cases.deadlines.models import Notification, Reminder
from cases.deadlines.services.deadlines import deadline_add, task_add
from cases.models import Case, CaseEvent, Deadline, DeadlineKind, EntryKind, ExchangeRate, ItemKind, Route
from cases.money.models import (
    CalculationSettings,
    CalculationSnapshot,
    InstalmentPlan,
    LedgerEntry,
    OneOffItemRow,
    PayPeriodRow,
)
from cases.money.services.calculations import calculation_item_add, calculation_settings_update
from cases.money.services.ledger import instalment_plan_create, ledger_record
from cases.portal.models import PhoneChangeRequest
from cases.portal.services import phone_change_request
from claimants.models import Claimant, ConsentRecord, ContactChannel
from claimants.services import consent_record
from documents import filings
from documents.evidence import evidence_upload
from documents.models import Document, DocumentKind, EvidenceFile
from documents.tasks import render_document
from tests.documents.filings_support import calculate

# Every personal text the case is given contains this, so a test can look for it anywhere.
MARK = "Nurlan"


@dataclass
class WorkerCase:
    case: Case
    pin: str


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def rates(db):
    ExchangeRate.objects.get_or_create(currency="MYR", date=date(2020, 1, 1), defaults={"rate": Decimal("0.22")})


@pytest.fixture
def worker_case(private_storage, rates, office_a, office_b, paralegal_a, paralegal_b, administrator):
    """``worker_case(close=True, claimant=None, office=None, name=...)``: a case full of personal data, closed now
    (unless ``close=False``), in office A by default; another case of the same worker with ``claimant``."""

    def make(*, close: bool = True, claimant=None, office=None, name: str = f"{MARK} Asanov") -> WorkerCase:
        office = office or office_a
        actor, paralegal = administrator, (paralegal_b if office == office_b else paralegal_a)
        result = intake_submit(
            actor=actor,
            token=uuid.uuid4(),
            office=office,
            claimant=claimant,
            claimant_data={
                "full_name": name,
                "preferred_language": "ky",
                "gender": "man",
                "nationality": "KG",
                "home_country_address": f"{MARK} street 5, Osh",
                "alternate_contact_name": f"Aigul {MARK}ova",
                "alternate_contact_relationship": "sister",
                "alternate_contact_phone": "+996 555 123 456",
                "id_document_type": "passport",
                "id_document_number": "AC7654321",
            },
            channels=[{"kind": "phone", "value": "+60 12-345 6789", "consent": True, "safe_to_contact": True}],
            consents=["data_processing", "contact"],
            consent_method="verbal",
            respondents=[
                {"name": "Bina Sdn Bhd", "kind": "employer", "country": "MY", "aliases": "", "role": "employer"}
            ],
            case_data={
                "country_of_work": "MY",
                "sector": "construction",
                "job_title": f"Scaffolder for {MARK}'s uncle",
                "work_started_on": date(2024, 1, 6),
                "work_ended_on": date(2024, 6, 30),
                "departure_date": date(2024, 7, 15),
                "summary": f"{MARK} was not paid for three months.",
            },
        )
        case = result.case
        consent_record(actor=actor, claimant=case.claimant, purpose="contact", method="verbal", note=f"{MARK} agreed")
        for stage in (Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS):
            if stage == Stage.REDRESS:
                case_assign(actor=actor, case_id=case.pk, assignee=paralegal)
            case_advance(actor=actor, case_id=case.pk, to_stage=stage, reason=f"{MARK} is ready")
        case_add_note(actor=paralegal, case_id=case.pk, text=f"{MARK} called from his cousin's phone.")
        evidence_upload(
            actor=paralegal,
            case_id=case.pk,
            files=[SimpleUploadedFile(f"{MARK}-payslip.jpg", _jpeg())],
            kind="payslip",
            document_date=None,
            description=f"Payslip with {MARK}'s signature",
            provided_by="worker",
            received_on=date(2025, 3, 1),
        )
        calculate(case, paralegal)
        calculation_settings_update(actor=paralegal, case_id=case.pk, changes={"basis_note": f"{MARK} said so"})
        calculation_item_add(
            actor=paralegal,
            case_id=case.pk,
            kind=ItemKind.RECRUITMENT_FEE,
            amount=Decimal("300.00"),
            description=f"Fee paid by {MARK}'s father",
        )
        document = filings.document_request(
            actor=paralegal, case_id=case.pk, kind=DocumentKind.CASE_SUMMARY, language="en"
        )
        render_document.run(document.pk)  # its after-commit hook does not fire inside the test's transaction
        ledger_record(
            actor=paralegal,
            case_id=case.pk,
            kind=EntryKind.CLAIMED,
            amount=Decimal("1000.00"),
            currency="MYR",
            entry_date=date(2025, 3, 15),
            source=Route.NEGOTIATION,
            note=f"Claimed for {MARK}",
        )
        instalment_plan_create(
            actor=paralegal,
            case_id=case.pk,
            currency="MYR",
            instalments=[(timezone.localdate() + timedelta(days=30), Decimal("500.00"))],
            note=f"{MARK} agreed to instalments",
        )
        deadline_add(
            actor=paralegal,
            case_id=case.pk,
            kind=DeadlineKind.HEARING,
            due_at=timezone.now() + timedelta(days=30),
            note=f"{MARK} must bring his passport",
        )
        task_add(
            actor=paralegal,
            case_id=case.pk,
            title=f"Call {MARK}",
            assignee=paralegal,
            due_at=timezone.now() + timedelta(days=3),
        )
        phone_change_request(case_id=case.pk, phone="+60 11-999 8888")
        if close:
            case_close(actor=actor, case_id=case.pk, outcome=Outcome.NOTHING, reason=f"{MARK} went home.")
        return WorkerCase(case=Case.objects.get(pk=case.pk), pin=result.pin)

    return make


def every_row_of(case: Case) -> str:
    """Every row that belongs to the case or its worker, serialised: what a search for a name would read."""
    claimant = Claimant.objects.get(pk=case.claimant_id)
    querysets = [
        Case.objects.filter(pk=case.pk),
        Claimant.objects.filter(pk=claimant.pk),
        ContactChannel.objects.filter(claimant=claimant),
        ConsentRecord.objects.filter(claimant=claimant),
        CaseEvent.objects.filter(case=case),
        Deadline.objects.filter(case=case),
        Reminder.objects.filter(case=case),
        Notification.objects.filter(case=case),
        PhoneChangeRequest.objects.filter(case=case),
        LedgerEntry.objects.filter(case=case),
        InstalmentPlan.objects.filter(case=case),
        CalculationSettings.objects.filter(case=case),
        CalculationSnapshot.objects.filter(case=case),
        PayPeriodRow.objects.filter(case=case),
        OneOffItemRow.objects.filter(case=case),
        EvidenceFile.objects.filter(case=case),
        Document.objects.filter(case=case),
    ]
    return "\n".join(serializers.serialize("json", qs) for qs in querysets)
