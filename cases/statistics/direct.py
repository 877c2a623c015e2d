"""The dashboard's figures computed directly from the cases and the ledger, with SQL aggregation only.

It starts from ``Case.objects.visible_to(user)``. The dashboard uses it when a respondent is chosen (a respondent's
cases are few and indexed; the summary tables are not kept per respondent); tests use it to check the summary.
Medians: ``percentile_cont(0.5)`` on PostgreSQL, the middle row(s) by ORDER BY/LIMIT/OFFSET on SQLite — both exact.
"""

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Count, Exists, F, Min, OuterRef, Q, Sum, When
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce, TruncMonth

from cases.core.models import Case, CaseRespondent
from cases.core.stages import Stage
from cases.money.models import EntryKind, LedgerEntry
from cases.statistics import sql
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
from cases.statistics.selection import Selection

_SIGNED = SqlCase(
    When(reverses__isnull=True, then=F("reporting_amount_minor")),
    default=-F("reporting_amount_minor"),
    output_field=BigIntegerField(),
)
_MONEY = {
    "claimed": Q(kind=EntryKind.CLAIMED),
    "awarded": Q(kind__in=[EntryKind.AWARDED, EntryKind.SETTLED]),
    "paid": Q(kind=EntryKind.PAID),
    "disbursed": Q(kind=EntryKind.DISBURSED),
}


def respondent_family(respondent_id: int) -> list[int]:
    """The respondent and every company in its chain of successors (the same employer under other names)."""
    query = f"WITH RECURSIVE {sql.RESPONDENT_ROOTS} SELECT id FROM roots WHERE root = (SELECT root FROM roots WHERE id = %s)"  # noqa: E501, S608
    with connection.cursor() as cursor:
        cursor.execute(query, [respondent_id])
        return [row[0] for row in cursor.fetchall()] or [respondent_id]


def selected_cases(selection: Selection, user):
    cases = Case.objects.visible_to(user).filter(office_id__in=selection.offices)
    if selection.country:
        cases = cases.filter(country_of_work=selection.country)
    if selection.sector:
        cases = cases.filter(sector=selection.sector)
    if selection.respondent:
        family = respondent_family(selection.respondent)
        cases = cases.filter(pk__in=CaseRespondent.objects.filter(respondent_id__in=family).values("case_id"))
    return cases


def _case_annotations(selection: Selection) -> dict:
    opened_in_period = Q(opened_at__gte=selection.start_at, opened_at__lt=selection.end_before)
    earlier_case_of_worker = Case.objects.filter(claimant_id=OuterRef("claimant_id")).filter(
        Q(opened_at__lt=OuterRef("opened_at")) | Q(opened_at=OuterRef("opened_at"), pk__lt=OuterRef("pk"))
    )
    return {
        "opened": Count("pk", filter=opened_in_period),
        "closed": Count("pk", filter=Q(closed_at__gte=selection.start_at, closed_at__lt=selection.end_before)),
        "active": Count(
            "pk",
            filter=Q(opened_at__lt=selection.end_before)
            & (Q(closed_at__isnull=True) | Q(closed_at__gte=selection.start_at)),
        ),
        "first_cases": Count("pk", filter=opened_in_period & ~Exists(earlier_case_of_worker)),
    }


def _entries(selection: Selection, cases):
    return LedgerEntry.objects.filter(
        case__in=cases.values("pk"),
        entry_date__gte=selection.start,
        entry_date__lt=selection.end_date_before,
        reporting_currency=settings.REPORTING_CURRENCY,
    )


def _money_annotations() -> dict:
    return {name: Coalesce(Sum(_SIGNED, filter=q), 0) for name, q in _MONEY.items()}


def _grouped(queryset, columns: tuple, annotations: dict) -> dict:
    rows = queryset.values(*columns).annotate(**annotations).order_by()
    return {tuple(row[column] for column in columns): Counts.of(row) for row in rows}


def _median(values_sql: str, params: list) -> float | None:
    with connection.cursor() as cursor:
        cursor.execute(sql.median_sql(values_sql), params)
        value = cursor.fetchone()[0]
    return None if value is None else float(value)


def _median_days_to_close(selection: Selection, cases) -> float | None:
    ids, params = cases.values("pk").query.sql_with_params()
    adapt = connection.ops.adapt_datetimefield_value
    days = sql.days_between(sql.day_of_datetime("c.closed_at"), sql.day_of_datetime("c.opened_at"))
    values_sql = (
        f"SELECT {days} AS days FROM cases_case c WHERE c.id IN ({ids}) AND c.closed_at >= %s AND c.closed_at < %s"  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    )
    return _median(values_sql, [*params, adapt(selection.start_at), adapt(selection.end_before)])


def _median_days_to_disbursement(selection: Selection, cases) -> float | None:
    firsts = (
        LedgerEntry.objects.filter(case__in=cases.values("pk"), kind=EntryKind.DISBURSED)
        .standing()
        .values("case_id")
        .annotate(day=Min("entry_date"))
        .filter(day__gte=selection.start, day__lt=selection.end_date_before)
        .values("case_id", "day")
        .order_by()
    )
    firsts_sql, params = firsts.query.sql_with_params()
    days = sql.days_between("f.day", sql.day_of_datetime("c.opened_at"))
    values_sql = f"SELECT {days} AS days FROM ({firsts_sql}) f JOIN cases_case c ON c.id = f.case_id"  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    return _median(values_sql, list(params))


def _respondents(cases) -> list[RespondentRow]:
    ids, params = cases.values("pk").query.sql_with_params()
    amount = sql.signed("reporting_amount_minor")
    query = f"""
WITH RECURSIVE {sql.RESPONDENT_ROOTS}
SELECT root, SUM(n), SUM(amount) FROM (
    SELECT roots.root, COUNT(DISTINCT cr.case_id) AS n, 0 AS amount
    FROM cases_caserespondent cr JOIN roots ON roots.id = cr.respondent_id
    JOIN cases_case c ON c.id = cr.case_id
    WHERE cr.case_id IN ({ids}) AND c.stage <> %s
    GROUP BY roots.root
    UNION ALL
    SELECT roots.root, 0, SUM(CASE WHEN l.kind = %s THEN -{amount} ELSE {amount} END)
    FROM cases_ledgerentry l JOIN roots ON roots.id = l.respondent_id
    WHERE l.case_id IN ({ids}) AND l.reporting_currency = %s AND l.kind IN (%s, %s, %s)
    GROUP BY roots.root
) AS both_kinds
GROUP BY root HAVING SUM(n) > 0 OR SUM(amount) <> 0
ORDER BY SUM(n) DESC, SUM(amount) DESC, root LIMIT {TOP_RESPONDENTS}"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    all_params = [
        *params,
        Stage.CLOSED,
        EntryKind.PAID,
        *params,
        settings.REPORTING_CURRENCY,
        EntryKind.AWARDED,
        EntryKind.SETTLED,
        EntryKind.PAID,
    ]
    with connection.cursor() as cursor:
        cursor.execute(query, all_params)
        return [RespondentRow(row[0], int(row[1]), int(row[2])) for row in cursor.fetchall()]


def _paralegals(cases, now) -> list[ParalegalRow]:
    rows = (
        cases.exclude(stage=Stage.CLOSED)
        .filter(assigned_to__isnull=False)
        .values("assigned_to_id")
        .annotate(
            open_cases=Count("pk", distinct=True),
            overdue=Count("deadlines", filter=Q(deadlines__status="open", deadlines__due_at__lt=now)),
        )
        .order_by("-open_cases", "-overdue", "assigned_to_id")[:TOP_PARALEGALS]
    )
    return [ParalegalRow(row["assigned_to_id"], row["open_cases"], row["overdue"]) for row in rows]


def direct_figures(selection: Selection, user, *, now) -> Figures:
    """Every figure of the dashboard from the raw rows ``user`` may see; ``now`` decides which deadlines are overdue."""
    if not selection.offices:
        return Figures(trend=fill_months(selection, {}))
    cases = selected_cases(selection, user)
    entries = _entries(selection, cases)
    headline = Counts.of(cases.aggregate(**_case_annotations(selection))).plus(
        Counts.of(entries.aggregate(**_money_annotations()))
    )
    breakdowns = {}
    for name, (_, _, columns) in BREAKDOWNS.items():
        breakdowns[name] = merge_rows(
            _grouped(cases, columns, _case_annotations(selection)),
            _grouped(entries, tuple(f"case__{column}" for column in columns), _money_annotations()),
        )
    opened = cases.filter(opened_at__gte=selection.start_at, opened_at__lt=selection.end_before)
    stages = {row["stage"]: row["n"] for row in opened.values("stage").annotate(n=Count("pk")).order_by()}
    outcomes = {
        row["outcome"]: row["n"]
        for row in opened.exclude(outcome="").values("outcome").annotate(n=Count("pk")).order_by()
    }
    reached = {
        row["furthest_stage"]: row["n"] for row in opened.values("furthest_stage").annotate(n=Count("pk")).order_by()
    }
    trend_rows = entries.annotate(month=TruncMonth("entry_date")).values("month").annotate(**_money_annotations())
    trend = {row["month"]: MonthMoney(**row) for row in trend_rows.order_by()}
    return Figures(
        headline=headline,
        median_days_to_disbursement=_median_days_to_disbursement(selection, cases),
        median_days_to_close=_median_days_to_close(selection, cases),
        stages=stages,
        outcomes=outcomes,
        reached=reached,
        trend=fill_months(selection, trend),
        respondents=_respondents(cases),
        paralegals=_paralegals(cases, now),
        **breakdowns,
    )
