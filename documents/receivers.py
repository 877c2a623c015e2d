"""What the documents app does when the case core announces something (``cases.core.signals``).

Connected in ``DocumentsConfig.ready``: documents is a layer above cases, so the cases app cannot call it.
"""

import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cases.core.signals import case_anonymising
from documents.models import Document, DocumentStatus, EvidenceFile
from documents.storage import evidence_storage

logger = logging.getLogger(__name__)

# The removal reason of evidence deleted with the worker's personal data (a stored constant, like a kind).
ANONYMISED_REASON = "anonymised"


def delete_stored_files(evidence_names: list[str], filing_paths: list[Path]) -> None:
    """Delete evidence files (originals and cleaned copies) and filing PDFs; a file already gone is fine, a file
    that cannot be deleted is logged (by its random name, which says nothing about the case) and the rest go on."""
    storage = evidence_storage()
    for name in evidence_names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("retention: could not delete an evidence file (%s)", name)
    for path in filing_paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.exception("retention: could not delete a filing (%s)", path.name)


def case_anonymising_received(sender, case, actor=None, **kwargs) -> None:
    """Blank the case's evidence and filings rows (descriptions, file names, snapshots of the case) and mark them
    removed, keeping what is not personal (kind, dates, size, pages, SHA-256); delete the stored files after commit,
    so a rolled-back anonymisation deletes nothing."""
    now = timezone.now()
    evidence = EvidenceFile.objects.filter(case=case)
    names = sorted({name for pair in evidence.values_list("storage_name", "display_storage_name") for name in pair})
    evidence.filter(removed_at__isnull=True).update(removed_at=now, removed_by=actor, removal_reason=ANONYMISED_REASON)
    evidence.update(description="", display_name="", removal_reason=ANONYMISED_REASON)
    filings = Document.objects.filter(case=case)
    paths = [document.path for document in filings.only("pk", "storage_name")]
    filings.filter(removed_at__isnull=True).update(removed_at=now)
    filings.update(status=DocumentStatus.REMOVED, snapshot={}, error="")
    if names or paths:
        transaction.on_commit(lambda: delete_stored_files(names, paths))


def connect() -> None:
    case_anonymising.connect(case_anonymising_received, dispatch_uid="documents.case_anonymising")
