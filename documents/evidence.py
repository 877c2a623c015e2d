"""Evidence services: upload, logged download, removal. Every one writes a CaseEvent with its actor.

They follow ``cases.core.services.cases``: keyword-only, an explicit ``actor``, the case loaded through
``visible_to(actor)`` with a row lock (a case the actor may not see raises ``Case.DoesNotExist``, a 404 for views),
checks under the lock, then the write, the case's ``version`` bump and the event. Events carry ids, kinds and hashes —
never file names or descriptions (the timeline is widely read).

An upload is all or nothing. Every file is checked (``documents.validation``) before anything is written; the files
are then written to private storage inside the transaction that creates their rows, and if anything fails — a later
file, the database, the commit — the files written so far are deleted before the error goes on. (Inside a caller's
own outer transaction that later rolls back, the files would stay behind as unreferenced random names: harmless,
and no view or form does that.)
"""

from collections.abc import Sequence
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.audit.services import AccessKind, Via, record_access
from cases.models import Case, CaseEvent, EventKind

from . import storage
from .models import EvidenceFile, EvidenceKind, ProvidedBy
from .validation import EvidenceRejected, inspect_batch

DESCRIPTION_MAX_LENGTH = 2_000
REASON_MAX_LENGTH = 2_000


def _lock_open(actor, case_id: int, message: str) -> Case:
    case = Case.objects.lock_for(actor, case_id)
    case.check_open(message)
    return case


def _check_details(*, kind: str, provided_by: str, description: str, received_on: date | None) -> str:
    if kind not in EvidenceKind.values:
        raise EvidenceRejected(_("Choose what kind of evidence this is."), field="kind")
    if provided_by not in ProvidedBy.values:
        raise EvidenceRejected(_("Choose who provided the evidence."), field="provided_by")
    if received_on is None:
        raise EvidenceRejected(_("Enter the date the evidence was received."), field="received_on")
    if received_on > timezone.localdate():
        raise EvidenceRejected(_("The date received cannot be in the future."), field="received_on")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise EvidenceRejected(
            _("Keep the description under %(max)d characters.") % {"max": DESCRIPTION_MAX_LENGTH}, field="description"
        )
    return description


def evidence_upload(
    *,
    actor,
    case_id: int,
    files: Sequence[UploadedFile],
    kind: str,
    document_date: date | None,
    description: str,
    provided_by: str,
    received_on: date,
) -> list[EvidenceFile]:
    """Add ``files`` to the case, all sharing the same kind, dates, description and source.

    Each file is checked by its content and hashed (SHA-256 of the original); JPEG, PNG and WebP also get a staff
    copy without metadata. Refuses with ``EvidenceRejected`` (bad input, nothing written) or ``IllegalTransition``
    (the case is closed). One ``EVIDENCE_ADDED`` event per file.
    """
    description = _check_details(kind=kind, provided_by=provided_by, description=description, received_on=received_on)
    checked = inspect_batch(files)
    store = storage.evidence_storage()
    written: list[str] = []
    try:
        with transaction.atomic():
            case = _lock_open(actor, case_id, _("The case is closed. Reopen it to add evidence."))
            rows = []
            for item in checked:
                original = storage.write(store, item.file_type.extension, item.upload)
                written.append(original)
                display = original
                if item.clean_copy is not None:
                    display = storage.write(store, item.file_type.extension, item.clean_copy)
                    written.append(display)
                rows.append(
                    EvidenceFile(
                        case=case,
                        kind=kind,
                        document_date=document_date,
                        description=description,
                        provided_by=provided_by,
                        received_on=received_on,
                        display_name=item.display_name,
                        content_type=item.file_type.content_type,
                        size=item.size,
                        sha256=item.sha256,
                        storage_name=original,
                        display_storage_name=display,
                        uploaded_by=actor,
                    )
                )
            EvidenceFile.objects.bulk_create(rows)
            CaseEvent.objects.bulk_create(
                CaseEvent(
                    case=case,
                    actor=actor,
                    kind=EventKind.EVIDENCE_ADDED,
                    payload={"evidence": row.pk, "kind": row.kind, "sha256": row.sha256},
                )
                for row in rows
            )
            case.save_bumping_version()
    except BaseException:
        storage.delete_quietly(store, written)
        raise
    finally:
        for item in checked:
            item.close()
    return rows


@transaction.atomic
def evidence_download_logged(
    *, actor, evidence: EvidenceFile, original: bool = False, address: str | None = None, via: str = Via.WEB
) -> CaseEvent:
    """Record that ``actor`` opened ``evidence`` (the staff copy, or the ``original``) from ``address``: on the
    case's timeline and in the read audit.

    The caller fetched ``evidence`` through ``EvidenceFile.objects.visible_to(actor).present()``. Reading does not
    change the case, so its version stays as it is.
    """
    copy = "original" if original else "staff"
    record_access(
        user=actor,
        address=address,
        what=AccessKind.EVIDENCE_FILE,
        via=via,
        case_id=evidence.case_id,
        object_id=evidence.pk,
        detail=copy,
    )
    return CaseEvent.objects.create(
        case_id=evidence.case_id,
        actor=actor,
        kind=EventKind.EVIDENCE_DOWNLOADED,
        payload={"evidence": evidence.pk, "copy": copy},
    )


@transaction.atomic
def evidence_remove(*, actor, evidence_id: int, reason: str) -> EvidenceFile:
    """Hide an evidence file from lists and downloads, with a reason; the file and its row are kept.

    A file already removed, or of a case ``actor`` may not see, raises ``EvidenceFile.DoesNotExist``.
    """
    reason = (reason or "").strip()
    if not reason:
        raise EvidenceRejected(_("Say why the file is being removed."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise EvidenceRejected(
            _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX_LENGTH}, field="reason"
        )
    case_id = EvidenceFile.objects.visible_to(actor).values_list("case_id", flat=True).get(pk=evidence_id)
    case = _lock_open(actor, case_id, _("The case is closed. Reopen it to remove evidence."))
    # Read again under the case lock: of two people removing the same file, the second finds it gone.
    evidence = EvidenceFile.objects.present().get(pk=evidence_id, case=case)
    evidence.removed_at = timezone.now()
    evidence.removed_by = actor
    evidence.removal_reason = reason
    evidence.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    CaseEvent.objects.create(
        case=case, actor=actor, kind=EventKind.EVIDENCE_REMOVED, reason=reason, payload={"evidence": evidence.pk}
    )
    case.save_bumping_version()
    return evidence
