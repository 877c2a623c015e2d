"""Evidence files: what the worker, the employer or an authority handed over, kept with its chain of custody.

Each row points at two files in private storage (``documents.storage``) under random names: the original, byte for
byte as uploaded (its SHA-256 is recorded at upload and shown to staff), and the copy staff open by default — for
JPEG, PNG and WebP a re-encode without EXIF, GPS or other metadata, for every other type the original itself.
Rows are written only by ``documents.evidence``; removal is a soft delete with a reason, the file is kept.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class EvidenceKind(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    PAYSLIP = "payslip", _("Payslip")
    BANK_RECORD = "bank_record", _("Bank or wage-protection record")
    PHOTO = "photo", _("Photo")
    CHAT_SCREENSHOT = "chat_screenshot", _("Chat screenshot")
    HOUR_LOG = "hour_log", _("Worker's own hour log")
    ID_COPY = "id_copy", _("ID copy")
    OTHER = "other", _("Other")


class ProvidedBy(models.TextChoices):
    WORKER = "worker", _("The worker")
    EMPLOYER = "employer", _("The employer")
    AGENCY = "agency", _("An agency")
    AUTHORITY = "authority", _("An authority")
    OTHER = "other", _("Someone else")


class EvidenceFileQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EvidenceFileQuerySet":
        """Evidence of the cases ``user`` may see (``Case.objects.visible_to`` decides)."""
        return self.filter(case__in=Case.objects.visible_to(user).values("pk"))

    def present(self) -> "EvidenceFileQuerySet":
        """Not removed: what lists show and downloads serve."""
        return self.filter(removed_at__isnull=True)


class EvidenceFile(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence_files", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    provided_by = models.CharField(_("provided by"), max_length=20, choices=ProvidedBy.choices)
    received_on = models.DateField(_("received on"))

    # What the file is, decided from its bytes (documents.validation), never from its name or the browser's say-so.
    display_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, help_text=_("Of the original file."))
    # Paths relative to the private evidence storage; random, never derived from anything the user typed.
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    display_storage_name = models.CharField(max_length=100, editable=False)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        indexes = [models.Index(fields=["case", "-uploaded_at", "-id"], name="evidence_case_uploaded")]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="evidence_not_empty"),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True, removed_by__isnull=True, removal_reason="")
                | (models.Q(removed_at__isnull=False) & ~models.Q(removal_reason="")),
                name="evidence_removal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def metadata_stripped(self) -> bool:
        """Whether staff see a re-encoded copy without EXIF/GPS (images) rather than the original itself."""
        return self.display_storage_name != self.storage_name
