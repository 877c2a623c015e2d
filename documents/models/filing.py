"""Generated filings: one row per PDF asked for, from the snapshot of the case taken when it was asked for.

A ``Document`` is written ``pending`` by ``documents.filings.document_request`` together with everything its template
needs (``snapshot``), so the PDF shows the case as it was when staff asked for it and can be rendered again to the
same content. The render task (``documents.tasks.render_document``) turns it ``ready`` (with the file's SHA-256,
size and pages) or ``failed`` (with the error shown to staff). The row is the record of the request: a lost task
leaves a pending row that can be queued again.
"""

import re
import secrets
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CalculationSnapshot, Case, Respondent


def _language_choices() -> list[tuple[str, str]]:
    """Every language a filing can be written in: the worker's languages and the staff's, once each."""
    seen: dict[str, object] = {}
    for code, name in [*settings.CLAIMANT_LANGUAGES, *settings.LANGUAGES]:
        seen.setdefault(code, name)
    return list(seen.items())


LANGUAGE_CHOICES = _language_choices()


class DocumentKind(models.TextChoices):
    INTAKE_RECEIPT = "intake_receipt", _("Intake receipt (for the worker)")
    DEMAND_LETTER = "demand_letter", _("Demand letter (to a respondent)")
    COMPLAINT = "complaint", _("Complaint / claim statement")
    CASE_SUMMARY = "case_summary", _("Case summary (internal)")


# Kinds that state an amount owed: they cite a calculation and cannot be made without one.
KINDS_WITH_CALCULATION = frozenset({DocumentKind.DEMAND_LETTER, DocumentKind.COMPLAINT})


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    # The PDF was deleted and the case data it was made from blanked when the worker's data was anonymised
    # (cases.retention, documents.receivers); kind, size, pages, SHA-256 and dates remain.
    REMOVED = "removed", _("Removed (personal data deleted)")


# A document still pending this long after its render was queued was lost (a worker died, a broker lost it).
STUCK_AFTER = timedelta(minutes=15)


def new_storage_name() -> str:
    """A random file name: nothing about the case or the worker is in a path on disk."""
    return f"{secrets.token_hex(16)}.pdf"


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="filings", verbose_name=_("case"))
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=12, choices=LANGUAGE_CHOICES)
    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed to"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING, editable=False
    )
    error = models.TextField(_("what went wrong"), blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("render attempts"), default=0, editable=False)
    snapshot = models.JSONField(_("case data as requested"), default=dict, editable=False)
    calculation_snapshot = models.ForeignKey(
        CalculationSnapshot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calculation cited"),
    )
    storage_name = models.CharField(max_length=64, default=new_storage_name, unique=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True, editable=False)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True, editable=False)
    render_ms = models.PositiveIntegerField(_("render time (ms)"), null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # When the render was last queued: a pending document queued long ago was lost and may be queued again.
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True, editable=False)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True, editable=False)
    # The request form's one-time key: a double-click or a resubmitted form finds the document it already made.
    request_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        indexes = [
            models.Index(fields=["case", "-requested_at", "-id"], name="document_case_latest"),
            # The sweep that queues lost renders again reads pending rows only.
            models.Index(fields=["queued_at"], name="document_pending", condition=models.Q(status="pending")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | (~models.Q(sha256="") & models.Q(ready_at__isnull=False)),
                name="document_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="demand_letter") | models.Q(respondent__isnull=False),
                name="document_demand_letter_has_respondent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()} ({self.language})"

    @property
    def path(self) -> Path:
        """Where the PDF lives: outside any public path, served only by the download view."""
        return Path(settings.PRIVATE_STORAGE_ROOT) / "filings" / self.storage_name

    @property
    def is_stuck(self) -> bool:
        """Pending long after its render was queued: the render was lost and may be queued again."""
        return self.status == DocumentStatus.PENDING and self.queued_at < timezone.now() - STUCK_AFTER

    @property
    def download_name(self) -> str:
        """``K7M4-Q9XP-3-complaint.pdf``: the reference (letters, digits, hyphens) and the kind, nothing else."""
        reference = re.sub(r"[^A-Z0-9-]", "", str(self.snapshot.get("reference", "")).upper()) or str(self.case_id)
        return f"{reference}-{self.kind.replace('_', '-')}.pdf"
