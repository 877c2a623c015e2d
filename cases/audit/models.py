"""The read audit: an append-only log of who read a case, a worker, an identity document, evidence or a filing.

Every read worth knowing about writes one ``AccessRecord`` (``cases.audit.services``): who, when, what, from which
address, through which door (page, API, admin). Rows are never changed or removed: the model and its QuerySet refuse,
and on PostgreSQL a trigger (migration 0024) refuses ``UPDATE`` and ``DELETE`` from anyone, the ORM or raw SQL. A
row names ids only — never a name, a number or a reference — so the log itself holds no personal data beyond who
looked.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.core.models import Case
from claimants.models import Claimant


class AccessKind(models.TextChoices):
    CASE_PAGE = "case_page", _("Case page")
    CASE_PART = "case_part", _("Part of the case page")
    CASE_API = "case_api", _("Case (API)")
    CASE_LIST_API = "case_list_api", _("Case list (API)")
    WORKER_RECORD = "worker_record", _("Worker's record")
    WORKER_API = "worker_api", _("Worker (API)")
    WORKER_LIST_API = "worker_list_api", _("Worker list (API)")
    ID_DOCUMENT_REVEALED = "id_document_revealed", _("Identity document number shown")
    EVIDENCE_FILE = "evidence_file", _("Evidence file")
    FILING = "filing", _("Filing (PDF)")
    ADMIN_CASE = "admin_case", _("Case in the admin")
    ADMIN_WORKER = "admin_worker", _("Worker in the admin")
    # Not a read: the one write the log keeps, because it is the last trace of the worker (cases.retention).
    WORKER_ERASED = "worker_erased", _("Worker's data erased on request")


class Via(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")


class AccessRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The access log is append-only.")

    def delete(self):
        raise TypeError("The access log is append-only.")

    def of_case(self, case: Case) -> "AccessRecordQuerySet":
        """The case's log, newest first (the ``access_case_newest`` index)."""
        return self.filter(case=case).order_by("-at", "-id")


class AccessRecord(models.Model):
    """One read: ``user`` saw ``what`` of ``case`` (and its ``claimant``) at ``at`` from ``address``."""

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    # PROTECT: a member of staff who read records is deactivated, never deleted, so the log keeps naming them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    # Indexed by the composite indexes below (each leads with its column), not by a second single-column index.
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("case"),
    )
    claimant = models.ForeignKey(
        Claimant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("worker"),
    )
    what = models.CharField(_("what"), max_length=30, choices=AccessKind.choices)
    via = models.CharField(_("through"), max_length=10, choices=Via.choices)
    # The evidence file's or filing's id; ``detail`` a word about it (which copy, which kind of filing).
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=40, blank=True)
    address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at", "-id"], name="access_case_newest"),
            models.Index(fields=["claimant", "-at", "-id"], name="access_claimant_newest"),
            models.Index(fields=["user", "-at"], name="access_user_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.what} {self.case_id or ''}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The access log is append-only.")
