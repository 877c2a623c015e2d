"""Recovery statistics for coordinators: the dashboard, its CSV exports and "refresh now".

Paralegals get 403; anonymous users go to the login page. The offices offered (and counted) are the ones the user
may see; every figure for a chosen respondent is computed from ``Case.objects.visible_to(user)``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.core import downloads
from cases.core.office_time import zone_label
from cases.statistics.dashboard import dashboard_figures
from cases.statistics.export import table_csv, tables_zip
from cases.statistics.forms import StatisticsFilterForm
from cases.statistics.selection import may_see_statistics, visible_offices
from cases.statistics.tables import build_tables
from cases.statistics.tasks import refresh_statistics


def _compute(request):
    if not may_see_statistics(request.user):
        raise PermissionDenied
    offices = visible_offices(request.user)
    form = StatisticsFilterForm(request.GET or None, offices=offices)
    selection = form.selection(timezone.localdate())
    result = dashboard_figures(selection, request.user)
    # The form has read the offices the user may see: their names label the offices table (no second query).
    return form, selection, result, build_tables(result.figures, office_names={o.pk: o.name for o in form.offices})


@login_required
@require_GET
def dashboard(request):
    form, selection, result, tables = _compute(request)
    # In the reader's office zone (config.middleware activates it), named with its offset then.
    as_of = timezone.localtime(result.as_of) if result.as_of else None
    context = {
        "form": form,
        "selection": selection,
        "result": result,
        "as_of": as_of,
        "as_of_zone": zone_label(timezone.get_current_timezone_name(), at=as_of) if as_of else "",
        "tables": tables,
        "headline": tables[0],
        "query": request.GET.urlencode(),
        # The report form posts the same filters (the report service checks them again).
        "form_parameters": [(key, value) for key, value in request.GET.items() if key in form.fields],
        "min_cell": settings.STATISTICS_MIN_CELL,
    }
    return render(request, "statistics/dashboard.html", context, status=400 if form.errors else 200)


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    return downloads.attachment(data, filename=filename, content_type=content_type)


def _refused(form) -> HttpResponse:
    """A filter the dashboard refuses (400) is refused by its exports too, with the same messages, instead of
    quietly exporting the default selection."""
    lines = [
        f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def export_table(request, name: str):
    form, selection, _, tables = _compute(request)
    if form.errors:
        return _refused(form)
    table = next((table for table in tables if table.name == name), None)
    if table is None:
        raise Http404
    filename = f"statistics-{selection.start:%Y-%m}-{selection.end:%Y-%m}-{name}.csv"
    return _attachment(table_csv(table), "text/csv; charset=utf-8", filename)


@login_required
@require_GET
def export_all(request):
    form, selection, _, tables = _compute(request)
    if form.errors:
        return _refused(form)
    prefix = f"statistics-{selection.start:%Y-%m}-{selection.end:%Y-%m}"
    return _attachment(tables_zip(tables, prefix), "application/zip", f"{prefix}.zip")


@login_required
@require_POST
def refresh_now(request):
    if not may_see_statistics(request.user):
        raise PermissionDenied
    refresh_statistics.delay()

    messages.success(request, _("The figures are being recomputed; reload the page in a moment."))
    return redirect("statistics_dashboard")
