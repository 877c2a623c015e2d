"""Generated filings: asking for a PDF, rendering it, retrying a failed one, downloading it.

The same shape as ``cases.core.services.cases``: keyword-only, an explicit ``actor``, the case loaded through
``visible_to(actor)`` with a row lock (a case the actor may not see raises ``Case.DoesNotExist``, which views
answer with 404), one transaction, and a ``CaseEvent``.

``document_request`` freezes what the template needs into ``Document.snapshot`` — only what that kind of document
shows (the worker's receipt carries no respondent and no amount) — and queues the render after commit. The render
(``document_render``, run by the Celery task) works from the snapshot alone, so a PDF can be made again exactly as
it was asked for, and it is idempotent: a ready document is never rendered twice.
"""

import hashlib
import logging
import os
import time
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.audit.services import AccessKind, Via, record_access
from cases.core.errors import CaseError, GuardFailed, InvalidInput
from cases.core.stages import Stage
from cases.models import CalculationSettings, CalculationSnapshot, Case, CaseEvent, CaseRespondent, EventKind

from . import filings_print, pdf
from .filings_snapshot import build_snapshot
from .models import KINDS_WITH_CALCULATION, LANGUAGE_CHOICES, Document, DocumentKind, DocumentStatus
from .models.filing import STUCK_AFTER

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 1000


class FileIntegrityError(CaseError):
    default_message = gettext_lazy("The stored PDF does not match its recorded SHA-256.")


# --- asking for a document --------------------------------------------------------------------------------------


def _lock(actor, case_id: int) -> Case:
    """The case (with what the snapshot reads), locked for this transaction, if ``actor`` may see it."""
    return Case.objects.select_related("claimant", "office__organisation", "assigned_to").lock_for(actor, case_id)


@transaction.atomic
def document_request(
    *,
    actor,
    case_id: int,
    kind: str,
    language: str,
    respondent_id: int | None = None,
    request_key: uuid.UUID | None = None,
) -> Document:
    """Ask for a PDF of ``kind`` in ``language``; returns the pending document (rendered after commit).

    A demand letter is addressed to ``respondent_id`` (one of the case's respondents). A demand letter and a complaint
    state the amount owed from the case's latest calculation and are refused without one. The same ``request_key``
    twice (a double-click, a resubmitted form) returns the document the first request made.
    """
    case = _lock(actor, case_id)
    if request_key is not None:
        existing = Document.objects.filter(request_key=request_key).first()
        if existing is not None:
            if existing.case_id != case.pk:
                raise InvalidInput(_("This form was already used for another case. Reload the page and try again."))
            return existing
    if kind not in DocumentKind.values:
        raise InvalidInput(_("Choose which document to make."))
    if language not in dict(LANGUAGE_CHOICES):
        raise InvalidInput(_("Choose a language we can write documents in."))

    respondent = _addressee(case, kind, respondent_id)
    calculation = None
    if kind in KINDS_WITH_CALCULATION:
        calculation = _calculation_to_cite(case, kind)
    elif kind == DocumentKind.CASE_SUMMARY:
        calculation = _latest_calculation(case)  # shown if there is one

    document = Document.objects.create(
        case=case,
        kind=kind,
        language=language,
        respondent=respondent.respondent if respondent else None,
        calculation_snapshot=calculation,
        requested_by=actor,
        request_key=request_key or uuid.uuid4(),
        snapshot=build_snapshot(case, kind=kind, actor=actor, respondent=respondent, calculation=calculation),
    )
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=EventKind.DOCUMENT_REQUESTED,
        payload={"document": document.pk, "kind": kind, "language": language},
    )
    _queue(document)
    return document


def _addressee(case: Case, kind: str, respondent_id: int | None) -> CaseRespondent | None:
    if kind != DocumentKind.DEMAND_LETTER:
        return None
    if respondent_id is None:
        raise InvalidInput(_("Choose the respondent the letter is addressed to."))
    role = CaseRespondent.objects.select_related("respondent").filter(case=case, respondent_id=respondent_id).first()
    if role is None:
        raise InvalidInput(_("That respondent is not part of this case."))
    if case.flag_do_not_contact_employer:
        # Any letter about the claim can reach the employer; the flag is there because that could hurt the worker.
        raise GuardFailed(
            _("The case says not to contact the employer yet. Clear that flag first if a letter is now safe.")
        )
    return role


def _calculation_to_cite(case: Case, kind: str) -> CalculationSnapshot:
    if case.stage == Stage.CLOSED:
        raise GuardFailed(_("The case is closed. Reopen it to make a demand letter or a complaint."))
    calculation = _latest_calculation(case)
    if calculation is None:
        raise GuardFailed(
            _("Calculate what is owed first: a demand letter or a complaint states the amount from the calculation.")
        )
    inputs = CalculationSettings.objects.filter(case=case).only("updated_at").first()
    if inputs is not None and inputs.updated_at > calculation.created_at:
        raise GuardFailed(_("The calculation inputs changed after the last calculation. Calculate again first."))
    if kind == DocumentKind.DEMAND_LETTER and calculation.total_owed <= 0:
        raise GuardFailed(_("The latest calculation shows nothing owed, so there is nothing to demand."))
    return calculation


def _latest_calculation(case: Case) -> CalculationSnapshot | None:
    return (
        CalculationSnapshot.objects.filter(case=case)
        .select_related("jurisdiction")
        .order_by("-created_at", "-id")
        .first()
    )


def _queue(document: Document) -> None:
    from .tasks import render_document  # the task module imports this one

    render_document.delay_on_commit(document.pk)


@transaction.atomic
def document_retry(*, actor, document_id: int) -> Document:
    """Queue a failed document's render again (or a pending one whose render was lost)."""
    document = _visible_documents(actor).select_for_update(of=("self",)).get(pk=document_id)
    if document.status == DocumentStatus.READY:
        raise GuardFailed(_("This document is ready; there is nothing to retry."))
    if document.status == DocumentStatus.PENDING and not document.is_stuck:
        raise GuardFailed(_("This document is still being prepared."))
    document.status = DocumentStatus.PENDING
    document.error = ""
    document.queued_at = timezone.now()
    document.save(update_fields=["status", "error", "queued_at"])
    CaseEvent.objects.create(
        case_id=document.case_id,
        actor=actor,
        kind=EventKind.DOCUMENT_REQUESTED,
        payload={"document": document.pk, "kind": document.kind, "language": document.language, "retry": True},
    )
    _queue(document)
    return document


def documents_requeue_stuck() -> int:
    """Queue again every document whose render was lost; returns how many. Run periodically (``tasks``)."""
    with transaction.atomic():
        stuck = list(
            Document.objects.filter(status=DocumentStatus.PENDING, queued_at__lt=timezone.now() - STUCK_AFTER)
            .select_for_update(skip_locked=True)
            .order_by("queued_at")[:100]
        )
        for document in stuck:
            document.queued_at = timezone.now()
            document.save(update_fields=["queued_at"])
            _queue(document)
    return len(stuck)


def _visible_documents(actor):
    return Document.objects.filter(case__in=Case.objects.visible_to(actor).values("pk"))


# --- rendering ----------------------------------------------------------------------------------------------------


def document_render(*, document_id: int, final_attempt: bool = True) -> Document:
    """Render a pending document into its PDF in private storage; idempotent.

    A document that is not pending (ready, or failed and waiting for a retry) is left as it is. The PDF is made
    without holding any lock (it takes a while); the row is then locked and, if no other run finished first, the
    file is written and the document marked ready with its SHA-256, size, pages and render time. On an error the
    attempt and the message are recorded; on the ``final_attempt`` the document is marked failed. The error is
    then raised again for the task to retry.
    """
    document = Document.objects.get(pk=document_id)
    if document.status != DocumentStatus.PENDING:
        return document
    started = time.perf_counter()
    try:
        data = pdf.render(filings_print.render_html(document), pdf.BASE_URL)
    except Exception as exc:
        _render_failed(document_id, exc, final=final_attempt)
        raise
    render_ms = round((time.perf_counter() - started) * 1000)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.PENDING:
            return document  # another run finished first; its file stands
        _write(document, data)
        document.status = DocumentStatus.READY
        document.error = ""
        document.attempts += 1
        document.sha256 = digest
        document.size = len(data)
        document.pages = getattr(data, "pages", None)
        document.render_ms = render_ms
        document.ready_at = timezone.now()
        document.save(update_fields=["status", "error", "attempts", "sha256", "size", "pages", "render_ms", "ready_at"])
        CaseEvent.objects.create(
            case_id=document.case_id,
            kind=EventKind.DOCUMENT_READY,
            payload={"document": document.pk, "kind": document.kind, "sha256": digest},
        )
    return document


def _write(document: Document, data: bytes) -> None:
    """Write the PDF whole or not at all: to a temporary name, then renamed over the final one."""
    path = document.path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_suffix(".partial")
    with open(partial, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)


def _render_failed(document_id: int, exc: Exception, *, final: bool) -> None:
    # Staff see the message; the log gets the document id and the exception's class only (no case data).
    message = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
    logger.warning("filing %s: render failed (%s)%s", document_id, type(exc).__name__, "" if final else ", will retry")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.PENDING:
            return
        document.attempts += 1
        document.error = message
        fields = ["attempts", "error"]
        if final:
            document.status = DocumentStatus.FAILED
            fields.append("status")
            CaseEvent.objects.create(
                case_id=document.case_id,
                kind=EventKind.DOCUMENT_FAILED,
                payload={"document": document.pk, "kind": document.kind, "error": type(exc).__name__},
            )
        document.save(update_fields=fields)


# --- downloading --------------------------------------------------------------------------------------------------


@transaction.atomic
def document_download(
    *, actor, document_id: int, address: str | None = None, via: str = Via.WEB
) -> tuple[Document, bytes]:
    """The ready PDF's bytes (checked against its SHA-256), recording who downloaded it from ``address`` (on the
    case's timeline and in the read audit).

    A document of a case the actor may not see raises ``Document.DoesNotExist``.
    """
    document = _visible_documents(actor).get(pk=document_id)
    if document.status != DocumentStatus.READY:
        raise GuardFailed(_("This document is not ready yet."))
    data = document.path.read_bytes()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        logger.error("filing %s: stored file does not match its SHA-256", document.pk)
        raise FileIntegrityError(_("The stored PDF does not match its recorded SHA-256. Make the document again."))
    CaseEvent.objects.create(
        case_id=document.case_id,
        actor=actor,
        kind=EventKind.DOCUMENT_DOWNLOADED,
        payload={"document": document.pk, "kind": document.kind},
    )
    record_access(
        user=actor,
        address=address,
        what=AccessKind.FILING,
        via=via,
        case_id=document.case_id,
        object_id=document.pk,
        detail=document.kind,
    )
    return document, data
