"""Statistics PDF reports: ask for one (from the dashboard's filters), see your reports, download one."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.core import downloads
from cases.core.errors import CaseError
from cases.statistics.forms import StatisticsFilterForm
from cases.statistics.selection import may_see_statistics, visible_offices

from .. import statistics_report
from ..models import DocumentStatus, StatisticsReport

SHOWN = 10


def _check(request) -> None:
    if not may_see_statistics(request.user):
        raise PermissionDenied


def _mine(request):
    reports = list(StatisticsReport.objects.filter(requested_by=request.user).order_by("-requested_at", "-id")[:SHOWN])
    for report in reports:
        # The period's months as dates, shown in the language's month format ("January 2026").
        report.period = [_month(report.parameters.get(key)) for key in ("start", "end")]
    return reports


def _month(iso) -> date | None:
    try:
        return date.fromisoformat(iso)
    except (TypeError, ValueError):
        return None


def _panel_context(request) -> dict:
    reports = _mine(request)
    return {"reports": reports, "any_pending": any(r.status == DocumentStatus.PENDING for r in reports)}


@login_required
@require_POST
def report_request(request):
    _check(request)
    form = StatisticsFilterForm(request.POST, offices=visible_offices(request.user))
    if not form.is_valid():
        messages.error(request, _("The filters were not valid; the report was not made."))
        return redirect("statistics_dashboard")
    try:
        statistics_report.report_request(actor=request.user, selection=form.selection(timezone.localdate()))
    except CaseError as exc:
        messages.error(request, str(exc.message))
        return redirect("statistics_dashboard")
    messages.success(request, _("The report is being prepared."))
    return redirect("statistics_reports")


@login_required
@require_GET
def reports_page(request):
    _check(request)
    return render(request, "documents/statistics_reports_page.html", _panel_context(request))


@login_required
@require_GET
def reports_panel(request):
    """The list of the user's reports; polls itself while one is pending."""
    _check(request)
    return render(request, "documents/statistics_reports_panel.html", _panel_context(request))


@login_required
@require_GET
def report_download(request, pk: int):
    _check(request)
    try:
        report, data = statistics_report.report_download(actor=request.user, report_id=pk)
    except StatisticsReport.DoesNotExist as exc:
        raise Http404 from exc
    except FileNotFoundError as exc:
        raise Http404(_("The PDF file is missing. Make the report again.")) from exc
    except CaseError as exc:
        return HttpResponse(str(exc.message), status=409, content_type="text/plain; charset=utf-8")
    return downloads.attachment(data, filename=report.download_name, content_type="application/pdf")


urlpatterns = [
    path("statistics/reports/", reports_page, name="statistics_reports"),
    path("statistics/reports/panel/", reports_panel, name="statistics_reports_panel"),
    path("statistics/reports/request/", report_request, name="statistics_report_request"),
    path("statistics/reports/<int:pk>/download/", report_download, name="statistics_report_download"),
]
