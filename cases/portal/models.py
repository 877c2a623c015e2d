"""What the worker's status check stores: rate-limit counters (without Redis) and "my phone number changed" requests.

``RateCounter`` is the database store of ``cases.portal.limiter``: one row per key, bumped by one atomic SQL upsert,
so concurrent attempts can never both see the same count. Keys are keyed digests, never a reference or an address.

``PhoneChangeRequest`` is what a worker sends from the status page. The number is personal data: encrypted at rest,
never logged, and it does not become a contact channel until a paralegal has checked it with the worker.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.core.models import Case
from claimants.fields import EncryptedTextField


class RateCounter(models.Model):
    key = models.CharField(max_length=80, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class PhoneChangeRequestQuerySet(models.QuerySet):
    def pending(self) -> "PhoneChangeRequestQuerySet":
        return self.filter(handled_at__isnull=True)


class PhoneChangeRequest(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phone_requests", verbose_name=_("case"))
    new_phone = EncryptedTextField(_("new phone number"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    objects = PhoneChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("phone number change request")
        verbose_name_plural = _("phone number change requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "handled_at"], name="phonerequest_case_handled")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.created_at:%Y-%m-%d}"
