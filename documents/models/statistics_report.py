"""A statistics report for funders: one row per PDF asked for, with the filters it was asked for."""

import secrets
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .filing import DocumentStatus


def new_report_name() -> str:
    return f"{secrets.token_hex(16)}.pdf"


class StatisticsReport(models.Model):
    """Written ``pending`` by ``documents.statistics_report.report_request``; the Celery render makes it ``ready``
    (or ``failed`` with the error). ``parameters`` is the selection (period, offices, country, sector, respondent)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    parameters = models.JSONField(_("filters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING, editable=False
    )
    error = models.TextField(_("what went wrong"), blank=True, editable=False)
    storage_name = models.CharField(max_length=64, default=new_report_name, unique=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True, editable=False)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("statistics report")
        verbose_name_plural = _("statistics reports")
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="statreport_requester_latest")]

    def __str__(self) -> str:
        return f"{self.parameters.get('start', '')} – {self.parameters.get('end', '')}"

    @property
    def path(self) -> Path:
        return Path(settings.PRIVATE_STORAGE_ROOT) / "statistics" / self.storage_name

    @property
    def download_name(self) -> str:
        start, end = str(self.parameters.get("start", ""))[:7], str(self.parameters.get("end", ""))[:7]
        return f"statistics-{start}-{end}.pdf"
