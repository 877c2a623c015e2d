"""The dashboard's figures read from the summary tables (``cases.statistics.models``): a fixed number of small
queries, whatever the number of cases. ``selection.offices`` must already be limited to what the user may see.

A reader who may see every office summed into the ``ALL_OFFICES`` rows (``StatRefresh.offices``) reads those rows
where they hold what is asked for (no sector chosen; for stages, outcomes, medians and respondents no country
either): the same figures from a tenth of the rows or less."""

from django.db import connection
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from cases.statistics.figures import (
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
from cases.statistics.models import (
    ALL_OFFICES,
    ANY,
    BAND_DAYS,
    StatDuration,
    StatDurationBand,
    StatFact,
    StatParalegal,
    StatRespondent,
)
from cases.statistics.selection import Selection

_MONEY = ("claimed", "awarded", "paid", "disbursed")


def _everywhere(selection: Selection, summed) -> bool:
    """Whether the reader may see every office summed into the ``ALL_OFFICES`` rows (``summed``)."""
    return bool(summed) and set(summed) <= set(selection.offices)


def _all_offices(selection: Selection, *, country: bool) -> Q:
    """The ``ALL_OFFICES`` rows: per country (``country``; the one chosen, if any) or over every country."""
    q = Q(office_id=ALL_OFFICES, sector=ANY)
    if not country:
        return q & Q(country_of_work=ANY)
    return q & Q(country_of_work=selection.country) if selection.country else q & ~Q(country_of_work=ANY)


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


# Per dimension, the columns its rows are grouped by in one query; each breakdown then sums the groups of its
# dimension by its own key (``Counts`` are sums, so regrouping in Python gives the figures SQL would).
_GROUPS = {"all": ("office_id", "country_of_work", "sector"), "other": ("dim", "value", "country_of_work")}


def _with_counts(rows) -> list:
    """Each row's sums as ``Counts`` (once, not again for each breakdown that regroups the row)."""
    return [
        {**row, "counts": _counts({name: value for name, value in row.items() if name.startswith("t_")})}
        for row in rows
    ]


def _grouped_counts(selection: Selection, everywhere: bool) -> tuple[list, list]:
    annotations = _counts_annotations(selection)
    totals = _facts(selection, "all").values(*_GROUPS["all"]).annotate(**annotations).order_by()
    other_dims = sorted({dim for dim, _, _ in BREAKDOWNS.values()} - {"all"})
    where = _all_offices(selection, country=True) if everywhere and not selection.sector else _filters(selection)
    others = (
        StatFact.objects.filter(where, dim__in=other_dims, month__lte=selection.end)
        .values(*_GROUPS["other"])
        .annotate(**annotations)
        .order_by()
    )
    return _with_counts(totals), _with_counts(others)


def _regroup(rows: list, dim: str, columns: tuple) -> dict:
    grouped: dict = {}
    for row in rows:
        if row.get("dim", "all") != dim:
            continue
        key = tuple(row[column] for column in columns)
        counts = row["counts"]
        grouped[key] = grouped[key].plus(counts) if key in grouped else counts
    return grouped


def _by_value(selection: Selection, everywhere: bool) -> dict:
    """Cases opened in the period by stage, by outcome and by furthest stage reached: ``{dim: {value: count}}``."""
    where = _all_offices(selection, country=False) if everywhere else _filters(selection)
    rows = (
        StatFact.objects.filter(
            where, dim__in=("stage", "outcome", "reached"), month__gte=selection.start, month__lte=selection.end
        )
        .values("dim", "value")
        .annotate(n=Sum("opened"))
        .order_by()
    )
    found: dict = {"stage": {}, "outcome": {}, "reached": {}}
    for row in rows:
        if row["n"]:
            found[row["dim"]][row["value"]] = int(row["n"])
    return found


_MEASURES = ("close", "disbursement")


def _histogram_where(selection: Selection, *, rolled_up: bool, everywhere: bool = False) -> tuple[str, list]:
    adapt = connection.ops.adapt_datefield_value
    if everywhere:
        # The rows summed over every office, country and sector (the caller checked none is chosen).
        where = ["month >= %s", "month <= %s", f"office_id = {ALL_OFFICES}", "country_of_work = %s", "sector = %s"]
        return " AND ".join(where), [adapt(selection.start), adapt(selection.end), ANY, ANY]
    where = ["month >= %s", "month <= %s", f"office_id IN ({', '.join(['%s'] * len(selection.offices))})"]
    params = [adapt(selection.start), adapt(selection.end), *selection.offices]
    if selection.country:
        where.append("country_of_work = %s")
        params.append(selection.country)
    if selection.sector:
        where.append("sector = %s")
        params.append(selection.sector)
    if rolled_up and not (selection.country or selection.sector):
        # The band table's rows rolled up over country and sector (a filtered read never matches them).
        where.append("country_of_work = %s AND sector = %s")
        params += [ANY, ANY]
    return " AND ".join(where), params


def _medians(selection: Selection, everywhere: bool) -> dict:
    """The exact median of each measure's histogram over the period, in two small reads (always two queries):
    the bands of ``BAND_DAYS`` days (which band holds each middle position), then only the days of those bands.

    With n cases the median is the mean of the values at positions (n + 1) div 2 and n div 2 + 1.
    """
    where, params = _histogram_where(selection, rolled_up=True, everywhere=everywhere)
    bands: dict = {measure: [] for measure in _MEASURES}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT measure, band, SUM(cases) FROM {StatDurationBand._meta.db_table} "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
            f"WHERE measure IN (%s, %s) AND {where} GROUP BY measure, band ORDER BY measure, band",
            [*_MEASURES, *params],
        )
        for measure, band, cases in cursor.fetchall():
            bands[measure].append((band, int(cases)))
    wanted: dict = {}  # measure -> (positions, cases below the first band read, lowest day, highest day)
    for measure, rows in bands.items():
        total = sum(cases for _, cases in rows)
        if not total:
            continue
        positions = ((total + 1) // 2, total // 2 + 1)
        found, upto, below = [], 0, 0
        for band, cases in rows:
            if any(upto < position <= upto + cases for position in positions):
                below = upto if not found else below
                found.append(band)
            upto += cases
        wanted[measure] = (positions, below, min(found) * BAND_DAYS, (max(found) + 1) * BAND_DAYS - 1)
    # One index range (measure, days) per measure, not an OR the planner may answer with a scan of the table.
    where, params = _histogram_where(selection, rolled_up=False, everywhere=everywhere)
    table = StatDuration._meta.db_table
    parts = [
        f"SELECT measure, days, cases FROM {table} WHERE measure = %s AND days >= %s AND days <= %s AND {where}"  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        for _ in wanted
    ] or [f"SELECT measure, days, cases FROM {table} WHERE 1 = 0"]  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    part_params = [value for measure, (_, _, low, high) in wanted.items() for value in (measure, low, high, *params)]
    days: dict = {measure: [] for measure in _MEASURES}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT measure, days, SUM(cases) FROM ({' UNION ALL '.join(parts)}) AS band_days "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
            "GROUP BY measure, days ORDER BY measure, days",
            part_params,
        )
        for measure, day, cases in cursor.fetchall():
            days[measure].append((day, int(cases)))
    medians: dict = dict.fromkeys(_MEASURES)
    for measure, (positions, below, _, _) in wanted.items():
        values = []
        for position in positions:
            running = below
            for day, cases in days[measure]:
                running += cases
                if running >= position:
                    values.append(day)
                    break
        medians[measure] = sum(values) / len(values)
    return medians


def _respondents(selection: Selection, everywhere: bool) -> list:
    if everywhere:
        # One row per respondent: the top ones straight from the index (open claims, unpaid, respondent).
        return list(
            StatRespondent.objects.filter(_all_offices(selection, country=False))
            .filter(Q(open_claims__gt=0) | ~Q(unpaid=0))
            .order_by("-open_claims", "-unpaid", "respondent_id")
            .values("respondent_id", open_claims_sum=F("open_claims"), unpaid_sum=F("unpaid"))[:TOP_RESPONDENTS]
        )
    rows = StatRespondent.objects.filter(office_id__in=selection.offices)
    if selection.country or selection.sector:
        rows = rows.filter(_filters(selection)).exclude(country_of_work=ANY)
    else:
        rows = rows.filter(country_of_work=ANY, sector=ANY)
    return list(
        rows.values("respondent_id")
        .annotate(open_claims_sum=Sum("open_claims"), unpaid_sum=Sum("unpaid"))
        .filter(Q(open_claims_sum__gt=0) | ~Q(unpaid_sum=0))
        .order_by("-open_claims_sum", "-unpaid_sum", "respondent_id")[:TOP_RESPONDENTS]
    )


def summary_figures(selection: Selection, summed_offices=()) -> Figures:
    """Every figure of the dashboard from the summary tables (as of their last refresh).

    ``summed_offices``: the offices summed into the ``ALL_OFFICES`` rows (``StatRefresh.offices``); those rows are
    read when the selection covers them all.
    """
    if not selection.offices:
        return Figures(trend=fill_months(selection, {}))
    everywhere = _everywhere(selection, summed_offices)
    # Stages, outcomes, medians and respondents: the ALL_OFFICES rows are summed over countries and sectors too.
    unfiltered = everywhere and not (selection.country or selection.sector)
    totals, others = _grouped_counts(selection, everywhere)
    headline = _regroup(totals, "all", ()).get((), Counts())
    breakdowns = {
        name: merge_rows(_regroup(totals if dim == "all" else others, dim, columns))
        for name, (dim, columns, _) in BREAKDOWNS.items()
    }
    by_value = _by_value(selection, unfiltered)
    medians = _medians(selection, unfiltered)
    trend_rows = (
        StatFact.objects.filter(_filters(selection), dim="all", month__gte=selection.start, month__lte=selection.end)
        .values("month")
        .annotate(**{name: Coalesce(Sum(name), 0) for name in _MONEY})
        .order_by("month")
    )
    trend = {
        row["month"]: MonthMoney(**{k: int(v) if k != "month" else v for k, v in row.items()}) for row in trend_rows
    }
    respondents = _respondents(selection, unfiltered)
    paralegals = (
        StatParalegal.objects.filter(_filters(selection))
        .values("paralegal_id")
        .annotate(open_sum=Sum("open_cases"), overdue_sum=Sum("overdue"))
        .order_by("-open_sum", "-overdue_sum", "paralegal_id")[:TOP_PARALEGALS]
    )
    return Figures(
        headline=headline,
        median_days_to_disbursement=medians["disbursement"],
        median_days_to_close=medians["close"],
        stages=by_value["stage"],
        outcomes=by_value["outcome"],
        reached=by_value["reached"],
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
