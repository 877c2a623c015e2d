"""Every write to a case bumps its version by one, so an edit made on an older view can be detected."""

from datetime import date
from decimal import Decimal

from cases.core.services.cases import (
    case_add_note,
    case_advance,
    case_assign,
    case_close,
    case_reopen,
    case_update_details,
)
from cases.core.stages import Outcome, Stage
from cases.models import Case, EventKind
from cases.money.services.ledger import ledger_record
from tests.factories import CaseFactory, ConsentFactory


def test_every_service_write_increments_the_version_by_one(office_a, coordinator_a, paralegal_a):
    case = CaseFactory(office=office_a, actor=coordinator_a)
    assert Case.objects.get(pk=case.pk).version == 1
    ConsentFactory(claimant=case.claimant, actor=coordinator_a)
    writes = [
        lambda: case_advance(actor=coordinator_a, case_id=case.pk, to_stage=Stage.EVIDENCE),
        lambda: case_assign(actor=coordinator_a, case_id=case.pk, assignee=paralegal_a),
        lambda: case_add_note(actor=paralegal_a, case_id=case.pk, text="Met the worker."),
        lambda: case_update_details(
            actor=paralegal_a, case_id=case.pk, expected_version=4, changes={"job_title": "Rigger"}
        ),
        lambda: case_advance(actor=paralegal_a, case_id=case.pk, to_stage=Stage.ASSIGNMENT),
        lambda: case_advance(actor=paralegal_a, case_id=case.pk, to_stage=Stage.REDRESS),
        lambda: ledger_record(
            actor=paralegal_a,
            case_id=case.pk,
            kind="disbursed",
            amount=Decimal("250.00"),
            currency="USD",
            entry_date=date(2025, 1, 1),
            source="negotiation",
            confirm_over_award=True,
        ),
        lambda: case_close(actor=paralegal_a, case_id=case.pk, outcome=Outcome.RECOVERED_FULL, reason="Paid."),
        lambda: case_reopen(actor=coordinator_a, case_id=case.pk, reason="Cheque bounced."),
    ]

    for expected_version, write in enumerate(writes, start=2):
        returned = write()
        if isinstance(returned, Case):
            assert returned.version == expected_version
        assert Case.objects.get(pk=case.pk).version == expected_version

    # One event per write, plus the OPENED event.
    assert case.events.count() == len(writes) + 1
    assert set(case.events.values_list("kind", flat=True)) == {
        EventKind.OPENED,
        EventKind.STAGE_CHANGED,
        EventKind.ASSIGNED,
        EventKind.NOTE,
        EventKind.DETAILS_CHANGED,
        EventKind.LEDGER_ENTRY,
        EventKind.CLOSED,
        EventKind.REOPENED,
    }
