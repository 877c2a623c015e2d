"""A demo-like case for the browser tests, built through the services as staff would build it.

``populated_case(make_case, actor)`` gives a case in redress with what the case page shows when a case is well under
way: money claimed, awarded, paid and disbursed (two currencies), an instalment plan, a hearing and a task, a
calculation, evidence files (their SHA-256 hashes on the page) and a filing. Evidence needs a private storage root:
set ``settings.PRIVATE_STORAGE_ROOT`` (the ``evidence_store`` idea of tests/documents) before calling it.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.core.services.cases import case_add_note
from cases.core.stages import Stage
from cases.deadlines.services.deadlines import deadline_add, task_add
from cases.models import Case
from cases.money.models import EntryKind, ExchangeRate, Route
from cases.money.services import ledger
from documents import filings
from documents.evidence import evidence_upload
from documents.models import DocumentKind
from tests.documents.conftest import EvidenceSamples
from tests.documents.filings_support import calculate

LONG_NOTE = (
    "The worker forwarded a bank statement by WhatsApp: "
    "https://example.org/statements/2025/03/worker-upload-7f3c9a1e5b2d4c8f9e0a1b2c3d4e5f6a7b8c9d0e.pdf"
)


def populated_case(make_case, actor) -> Case:
    case = make_case(Stage.REDRESS, job_title="Deckhand and net repairer on a long-haul fishing vessel")
    employer = case.respondents.first()
    today = timezone.localdate()
    for currency, rate in (("MYR", "0.2200000000"), ("IDR", "0.0000640000")):  # reference data an admin enters
        ExchangeRate.objects.get_or_create(
            currency=currency, date=date(2025, 1, 1), defaults={"rate": Decimal(rate), "source": "test"}
        )

    def record(kind, amount, currency="MYR", **extra):
        ledger.ledger_record(
            actor=actor,
            case_id=case.pk,
            kind=kind,
            amount=Decimal(amount),
            currency=currency,
            entry_date=today - timedelta(days=10),
            source=Route.LABOUR_COURT,
            **extra,
        )

    record(EntryKind.CLAIMED, "12450.75")
    record(EntryKind.AWARDED, "9800.00", respondent=employer)
    record(EntryKind.PAID, "2500.00", respondent=employer, note="First payment at the labour office, in cash.")
    record(EntryKind.DISBURSED, "2500.00", note=LONG_NOTE)
    record(EntryKind.CLAIMED, "350000", currency="IDR", note="Recruitment fee charged in Jakarta.")
    ledger.instalment_plan_create(
        actor=actor,
        case_id=case.pk,
        currency="MYR",
        instalments=[(today + timedelta(days=30 * n), Decimal("2433.33")) for n in (1, 2)]
        + [(today + timedelta(days=90), Decimal("2433.34"))],
        respondent=employer,
        source=Route.LABOUR_COURT,
        note="Agreed at the labour office.",
    )

    now = timezone.now()
    deadline_add(actor=actor, case_id=case.pk, kind="hearing", due_at=now + timedelta(days=5), note="Room 4B")
    task_add(
        actor=actor,
        case_id=case.pk,
        title="Collect the payslips from the recruitment agency in Johor Bahru and copy them for the file",
        assignee=actor,
        due_at=now + timedelta(days=2),
    )

    calculate(case, actor)

    evidence_upload(
        actor=actor,
        case_id=case.pk,
        files=[
            SimpleUploadedFile("payslips-january-to-march-2025-scanned-at-the-office.pdf", EvidenceSamples.pdf()),
            SimpleUploadedFile("photo.jpg", EvidenceSamples.jpeg_with_gps()),
        ],
        kind="payslip",
        document_date=date(2025, 3, 1),
        description="Payslips the worker kept, and a photo of the notice board at the site.",
        provided_by="worker",
        received_on=date(2025, 3, 4),
    )
    filings.document_request(actor=actor, case_id=case.pk, kind=DocumentKind.INTAKE_RECEIPT, language="en")
    case_add_note(actor=actor, case_id=case.pk, text=LONG_NOTE)
    return Case.objects.get(pk=case.pk)
