"""The stored files go with the personal data: evidence originals and their cleaned copies, and filing PDFs, deleted
after the anonymisation commits — not before, and not at all if it rolls back. A file already gone is fine."""

from pathlib import Path

import pytest
from django.db import transaction

from cases.core.services.cases import case_close
from cases.core.stages import Outcome
from cases.retention.services import case_anonymise
from documents.evidence import evidence_remove
from documents.models import Document, EvidenceFile


def _stored(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_evidence_originals_cleaned_copies_and_filings_are_deleted_after_commit(
    worker_case, private_storage, django_capture_on_commit_callbacks
):
    case = worker_case().case
    evidence = EvidenceFile.objects.get(case=case)
    assert evidence.metadata_stripped  # a JPEG: the original and a cleaned copy
    document = Document.objects.get(case=case)
    expected = {
        private_storage / "evidence" / evidence.storage_name,
        private_storage / "evidence" / evidence.display_storage_name,
        document.path,
    }
    assert expected <= set(_stored(private_storage))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_anonymise(actor=None, case=case)
    assert expected <= set(_stored(private_storage))  # nothing is deleted before the commit

    for callback in callbacks:
        callback()
    assert not expected & set(_stored(private_storage))


def test_a_rolled_back_anonymisation_deletes_no_file(worker_case, private_storage, django_capture_on_commit_callbacks):
    case = worker_case().case
    before = _stored(private_storage)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        case_anonymise(actor=None, case=case)
        raise RuntimeError("the database went away")

    assert _stored(private_storage) == before
    assert EvidenceFile.objects.get(case=case).removed_at is None


def test_a_file_already_missing_does_not_stop_the_others(
    worker_case, private_storage, django_capture_on_commit_callbacks
):
    case = worker_case().case
    evidence = EvidenceFile.objects.get(case=case)
    (private_storage / "evidence" / evidence.storage_name).unlink()

    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(actor=None, case=case)

    assert not Document.objects.get(case=case).path.exists()
    assert not (private_storage / "evidence" / evidence.display_storage_name).exists()


def test_evidence_removed_earlier_by_staff_is_deleted_too(
    worker_case, private_storage, paralegal_a, coordinator_a, django_capture_on_commit_callbacks
):
    open_case = worker_case(close=False).case
    evidence = EvidenceFile.objects.get(case=open_case)
    evidence_remove(actor=paralegal_a, evidence_id=evidence.pk, reason="Nurlan's cousin's payslip by mistake")
    case = case_close(actor=coordinator_a, case_id=open_case.pk, outcome=Outcome.NOTHING, reason="Gone home.")
    kept_by_soft_delete = private_storage / "evidence" / evidence.storage_name
    assert kept_by_soft_delete.exists()

    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(actor=None, case=case)

    assert not kept_by_soft_delete.exists()
    evidence.refresh_from_db()
    assert (evidence.removal_reason, evidence.removed_by) == ("anonymised", paralegal_a)
