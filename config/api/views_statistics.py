"""The statistics dashboard's figures as JSON: ``GET /api/v1/statistics/`` (coordinators and administrators).

The dashboard's own pieces do the work: ``StatisticsFilterForm`` reads the same filters (a bad one is a 400 naming
the field, where the page falls back to the default selection), ``visible_offices`` limits the offices,
``dashboard_figures`` reads the summary (or counts a chosen respondent's cases) and ``build_tables`` labels them.
Every cell goes out as the CSV export writes it, with the small-number rule applied (``tables.display`` with
``protect``): an API answer leaves the building like an export does.
"""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Sector
from cases.statistics.dashboard import dashboard_figures
from cases.statistics.forms import PRESETS, StatisticsFilterForm
from cases.statistics.selection import may_see_statistics, visible_offices
from cases.statistics.tables import TEXT, Cell, Table, build_tables, display

from .errors import NON_FIELD
from .schema import errors

# The headline table's rows, in build_tables' order, by stable names (checked against its length).
HEADLINE = (
    "opened",
    "active",
    "closed",
    "first_cases",
    "claimed",
    "awarded",
    "paid",
    "disbursed",
    "recovery_vs_awarded",
    "recovery_vs_claimed",
    "median_days_to_disbursement",
    "median_days_to_close",
)
FILTERS = ("preset", "start", "end", "office", "country", "sector", "respondent")
PARAMETERS = [
    OpenApiParameter("preset", str, enum=[value for value, _label in PRESETS], description="Default last_12_months."),
    OpenApiParameter("start", str, description="First month, YYYY-MM (with preset=custom)."),
    OpenApiParameter("end", str, description="Last month, YYYY-MM (with preset=custom; at most 120 months)."),
    OpenApiParameter("office", int, description="An office id among those the user may see; default all of them."),
    OpenApiParameter("country", str, description="Country of work (ISO 3166 alpha-2)."),
    OpenApiParameter("sector", str, enum=Sector.values),
    OpenApiParameter(
        "respondent", int, description="A respondent id (its renamed companies included); counted from the cases."
    ),
]


class MaySeeStatistics(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return may_see_statistics(request.user)


def _cell(cell: Cell) -> str | None:
    """A cell as the CSV export writes it: "< 5" for a small count, "suppressed" for money or a rate from few cases."""
    if cell.value is None:
        return None
    if cell.kind == TEXT:
        return str(cell.value)
    return display(cell, protect=True, for_csv=True)


def _table(table: Table) -> dict:
    return {
        "name": table.name,
        "title": str(table.title),
        "headers": [str(header) for header in table.headers],
        "rows": [[_cell(cell) for cell in row] for row in table.rows],
        "notes": [str(note) for note in table.notes],
    }


class StatisticsSelectionSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="First month, YYYY-MM.")
    end = serializers.CharField(help_text="Last month, YYYY-MM.")
    offices = serializers.ListField(child=serializers.IntegerField())
    country = serializers.CharField(allow_blank=True)
    sector = serializers.CharField(allow_blank=True)
    respondent = serializers.IntegerField(allow_null=True)


class StatisticsTableSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)),
        help_text="Cells as the CSV export writes them: plain numbers, amounts in major units of the reporting "
        'currency, rates as fractions; "< 5" for 1–4 cases, "suppressed" for money or rates from fewer than 5.',
    )
    notes = serializers.ListField(child=serializers.CharField())


class StatisticsSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField(
        allow_null=True, help_text="When the summary was last refreshed; null before its first refresh (one is asked)."
    )
    counted_from_cases = serializers.BooleanField(help_text="True when a respondent was chosen (counted now).")
    selection = StatisticsSelectionSerializer()
    reporting_currency = serializers.CharField()
    min_cell = serializers.IntegerField(help_text="The small-number rule's threshold (STATISTICS_MIN_CELL).")
    headline = serializers.DictField(
        child=serializers.CharField(allow_null=True), help_text=f"Keys: {', '.join(HEADLINE)}."
    )
    tables = StatisticsTableSerializer(many=True, help_text="funnel, corridors, countries, sectors, offices, …")


class Statistics(APIView):
    permission_classes = [permissions.IsAuthenticated, MaySeeStatistics]

    @extend_schema(
        summary="Recovery statistics (the dashboard's figures)",
        parameters=PARAMETERS,
        responses={200: StatisticsSerializer, **errors(400, 403)},
        description="The statistics dashboard's filters and figures for coordinators and administrators. An office "
        "coordinator sees their office; global coordinators and administrators every office. The small-number "
        "rule of the CSV export applies to every cell.",
    )
    def get(self, request):
        offices = visible_offices(request.user)
        params = {name: request.query_params[name] for name in FILTERS if name in request.query_params}
        form = StatisticsFilterForm(params or None, offices=offices)
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(
                {(NON_FIELD if name == "__all__" else name): list(messages) for name, messages in form.errors.items()}
            )
        selection = form.selection(timezone.localdate())
        result = dashboard_figures(selection, request.user)
        tables = build_tables(result.figures, office_names={office.pk: office.name for office in form.offices})
        headline = tables[0]
        return Response(
            {
                "as_of": result.as_of,
                "counted_from_cases": result.direct,
                "selection": {
                    "start": f"{selection.start:%Y-%m}",
                    "end": f"{selection.end:%Y-%m}",
                    "offices": list(selection.offices),
                    "country": selection.country,
                    "sector": selection.sector,
                    "respondent": selection.respondent,
                },
                "reporting_currency": settings.REPORTING_CURRENCY,
                "min_cell": settings.STATISTICS_MIN_CELL,
                "headline": {key: _cell(row[1]) for key, row in zip(HEADLINE, headline.rows, strict=True)},
                "tables": [_table(table) for table in tables[1:]],
            }
        )
