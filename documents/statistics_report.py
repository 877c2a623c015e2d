"""The statistics PDF report for funders: ask for it, render it in Celery after commit, download it.

The report shows the dashboard's tables and charts for a period with the small-number rule applied (counts under
``STATISTICS_MIN_CELL`` as "< 5", money from so few cases left out), from the summary tables as of the render.
Who may download it: the person who asked for it, and coordinators who may see every office it covers.
"""

import base64
import hashlib
import logging
import os

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.core.errors import GuardFailed, InvalidInput
from cases.core.office_time import office_zone, zone_label
from cases.statistics.dashboard import dashboard_figures
from cases.statistics.selection import Selection, may_see_statistics, visible_offices
from cases.statistics.tables import build_tables

from . import pdf
from .models import DocumentStatus, StatisticsReport

logger = logging.getLogger(__name__)


@transaction.atomic
def report_request(*, actor, selection: Selection) -> StatisticsReport:
    """Ask for a PDF of ``selection`` (its offices limited to the actor's); rendered after commit."""
    if not may_see_statistics(actor):
        raise InvalidInput(_("Only coordinators can make statistics reports."))
    allowed = set(visible_offices(actor).values_list("pk", flat=True))
    offices = [pk for pk in selection.offices if pk in allowed]
    if not offices:
        raise InvalidInput(_("Choose an office you may see."))
    report = StatisticsReport.objects.create(
        requested_by=actor, parameters=selection.with_offices(offices).as_parameters()
    )
    render_statistics_report.delay_on_commit(report.pk)
    return report


def reports_visible_to(user):
    """The reports ``user`` may see: their own, and (for coordinators) those covering only offices they may see."""
    if not may_see_statistics(user):
        return StatisticsReport.objects.none()
    if user.sees_all_offices:
        return StatisticsReport.objects.all()
    return StatisticsReport.objects.filter(requested_by=user) | StatisticsReport.objects.filter(
        parameters__offices=[user.office_id]
    )


def render_html(report: StatisticsReport) -> str:
    selection = Selection.from_parameters(report.parameters)
    result = dashboard_figures(selection, report.requested_by)
    tables = build_tables(result.figures)
    for table in tables:
        chart = table.chart_protected or ""
        table.chart_uri = "data:image/svg+xml;base64," + base64.b64encode(str(chart).encode()).decode() if chart else ""
    return render_to_string(
        "documents/statistics_report.html",
        {
            "report": report,
            "selection": selection,
            "tables": tables,
            "as_of": _as_of_text(result.as_of, report.requested_by),
            "min_cell": settings.STATISTICS_MIN_CELL,
        },
    )


def _as_of_text(as_of, reader) -> str:
    """When the figures were refreshed, in the zone of the person who asked (their office's) and named: rendered in
    the background, where no request has activated it."""
    if as_of is None:
        return ""
    zone_name = reader.office.timezone if reader.office_id else settings.TIME_ZONE
    local = timezone.localtime(as_of, office_zone(zone_name))
    return f"{date_format(local, 'DATETIME_FORMAT')} ({zone_label(zone_name, at=as_of)})"


def report_render(*, report_id: int) -> StatisticsReport:
    """Render a pending report; idempotent (a ready or failed report is left as it is)."""
    report = StatisticsReport.objects.select_related("requested_by__office").get(pk=report_id)
    if report.status != DocumentStatus.PENDING:
        return report
    try:
        data = pdf.render(render_html(report), pdf.BASE_URL)
    except Exception as exc:
        logger.warning("statistics report %s: render failed (%s)", report_id, type(exc).__name__)
        StatisticsReport.objects.filter(pk=report_id, status=DocumentStatus.PENDING).update(
            status=DocumentStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:1000]
        )
        raise
    with transaction.atomic():
        report = StatisticsReport.objects.select_for_update().get(pk=report_id)
        if report.status != DocumentStatus.PENDING:
            return report
        path = report.path
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_suffix(".partial")
        partial.write_bytes(data)
        os.replace(partial, path)
        report.status = DocumentStatus.READY
        report.sha256 = hashlib.sha256(data).hexdigest()
        report.pages = getattr(data, "pages", None)
        report.ready_at = timezone.now()
        report.save(update_fields=["status", "sha256", "pages", "ready_at"])
    return report


def report_download(*, actor, report_id: int) -> tuple[StatisticsReport, bytes]:
    """The ready PDF's bytes; ``StatisticsReport.DoesNotExist`` for a report the actor may not see."""
    report = reports_visible_to(actor).get(pk=report_id)
    if report.status != DocumentStatus.READY:
        raise GuardFailed(_("This report is not ready yet."))
    data = report.path.read_bytes()
    if hashlib.sha256(data).hexdigest() != report.sha256:
        raise GuardFailed(_("The stored PDF does not match its recorded SHA-256. Make the report again."))
    return report, data


@shared_task(name="documents.tasks.render_statistics_report")
def render_statistics_report(report_id: int) -> None:
    """Render a statistics report (``report_render``); a failure is recorded on the row, not raised."""
    try:
        report_render(report_id=report_id)
    except StatisticsReport.DoesNotExist:
        logger.warning("statistics report %s: no such report", report_id)
    except Exception:  # recorded on the report row for the requester
        return
