"""The dashboard's figures read from the summary tables (``cases.models.statistics``): a fixed number of small
queries, whatever the number of cases. ``selection.offices`` must already be limited to what the user may see."""

from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from cases.models import StatDuration, StatFact, StatParalegal, StatRespondent

from . import sql
from .figures import (
    BREAKDOWNS,
    TOP_PARALEGALS,
    TOP_RESPONDENTS,
    Counts,
    Figures,
    MonthMoney,
    ParalegalRow,
    RespondentRow,
    fill_months,
    merge_rows,
)
from .selection import Selection

_MONEY = ("claimed", "awarded", "paid", "disbursed")


def _filters(selection: Selection) -> Q:
    q = Q(office_id__in=selection.offices)
    if selection.country:
        q &= Q(country_of_work=selection.country)
    if selection.sector:
        q &= Q(sector=selection.sector)
    return q


def _counts_annotations(selection: Selection) -> dict:
    in_period = Q(month__gte=selection.start)
    # Named t_<column>: an aggregate may not share its name with the column it sums.
    annotations = {
        f"t_{name}": Coalesce(Sum(name, filter=in_period), 0) for name in ("opened", "closed", "first_cases", *_MONEY)
    }
    # Open at some time in the period: opened by its end, minus closed before it began (rows are months <= end).
    annotations["t_active"] = Coalesce(Sum("opened"), 0) - Coalesce(
        Sum("closed", filter=Q(month__lt=selection.start)), 0
    )
    return annotations


def _counts(row: dict) -> Counts:
    return Counts.of({name.removeprefix("t_"): value for name, value in row.items()})


def _facts(selection: Selection, dim: str):
    return StatFact.objects.filter(_filters(selection), dim=dim, month__lte=selection.end)


def _breakdown(selection: Selection, dim: str, columns: tuple) -> dict:
    rows = _facts(selection, dim).values(*columns).annotate(**_counts_annotations(selection)).order_by()
    return {tuple(row[column] for column in columns): _counts(row) for row in rows}


def _by_value(selection: Selection, dim: str) -> dict:
    rows = (
        StatFact.objects.filter(_filters(selection), dim=dim, month__gte=selection.start, month__lte=selection.end)
        .values("value")
        .annotate(n=Sum("opened"))
        .order_by()
    )
    return {row["value"]: int(row["n"]) for row in rows if row["n"]}


def _median(selection: Selection, measure: str) -> float | None:
    adapt = connection.ops.adapt_datefield_value
    where = ["measure = %s", "month >= %s", "month <= %s"]
    params = [measure, adapt(selection.start), adapt(selection.end)]
    where.append(f"office_id IN ({', '.join(['%s'] * len(selection.offices))})")
    params += list(selection.offices)
    if selection.country:
        where.append("country_of_work = %s")
        params.append(selection.country)
    if selection.sector:
        where.append("sector = %s")
        params.append(selection.sector)
    histogram = f"SELECT days, cases FROM {StatDuration._meta.db_table} WHERE {' AND '.join(where)}"  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql.histogram_median_sql(histogram), params)
        value = cursor.fetchone()[0]
    return None if value is None else float(value)


def summary_figures(selection: Selection) -> Figures:
    """Every figure of the dashboard from the summary tables (as of their last refresh)."""
    if not selection.offices:
        return Figures(trend=fill_months(selection, {}))
    headline = _counts(_facts(selection, "all").aggregate(**_counts_annotations(selection)))
    breakdowns = {
        name: merge_rows(_breakdown(selection, dim, columns)) for name, (dim, columns, _) in BREAKDOWNS.items()
    }
    trend_rows = (
        StatFact.objects.filter(_filters(selection), dim="all", month__gte=selection.start, month__lte=selection.end)
        .values("month")
        .annotate(**{name: Coalesce(Sum(name), 0) for name in _MONEY})
        .order_by("month")
    )
    trend = {
        row["month"]: MonthMoney(**{k: int(v) if k != "month" else v for k, v in row.items()}) for row in trend_rows
    }
    respondents = (
        StatRespondent.objects.filter(_filters(selection))
        .values("respondent_id")
        .annotate(open_claims_sum=Sum("open_claims"), unpaid_sum=Sum("unpaid"))
        .filter(Q(open_claims_sum__gt=0) | ~Q(unpaid_sum=0))
        .order_by("-open_claims_sum", "-unpaid_sum", "respondent_id")[:TOP_RESPONDENTS]
    )
    paralegals = (
        StatParalegal.objects.filter(_filters(selection))
        .values("paralegal_id")
        .annotate(open_sum=Sum("open_cases"), overdue_sum=Sum("overdue"))
        .order_by("-open_sum", "-overdue_sum", "paralegal_id")[:TOP_PARALEGALS]
    )
    return Figures(
        headline=headline,
        median_days_to_disbursement=_median(selection, "disbursement"),
        median_days_to_close=_median(selection, "close"),
        stages=_by_value(selection, "stage"),
        outcomes=_by_value(selection, "outcome"),
        trend=fill_months(selection, trend),
        respondents=[
            RespondentRow(row["respondent_id"], int(row["open_claims_sum"]), int(row["unpaid_sum"]))
            for row in respondents
        ],
        paralegals=[
            ParalegalRow(row["paralegal_id"], int(row["open_sum"]), int(row["overdue_sum"])) for row in paralegals
        ],
        **breakdowns,
    )
