"""Celery tasks of the documents app: they take ids, call a service, and are idempotent."""

import logging

from celery import shared_task

from . import filings
from .models import Document

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 30  # 30 s, then 60 s


@shared_task(bind=True, name="documents.tasks.render_document", max_retries=MAX_ATTEMPTS - 1)
def render_document(self, document_id: int):
    """Render a requested filing's PDF (``filings.document_render``); retried with backoff, 3 attempts in all.

    Running it again for a ready document does nothing. After the last failed attempt the document is marked
    failed with the error for staff (who can retry it from the case page) and the task ends quietly: the
    document row is the record, so a failure is not raised into the caller (eager mode) or the result backend.
    """
    final = self.request.retries >= MAX_ATTEMPTS - 1
    try:
        filings.document_render(document_id=document_id, final_attempt=final)
    except Document.DoesNotExist:
        logger.warning("filing %s: no such document", document_id)
    except Exception as exc:
        if final:
            return
        # throw=False: the retry is queued (run at once when eager) and this run ends. A raised Retry would escape
        # eager runs that propagate errors (the tests) instead of being retried.
        return self.retry(exc=exc, countdown=BACKOFF_SECONDS * 2**self.request.retries, throw=False)


@shared_task(name="documents.tasks.requeue_stuck_documents")
def requeue_stuck_documents() -> int:
    """Queue again the renders that were lost (pending long after they were queued). Schedule it with beat."""
    return filings.documents_requeue_stuck()
