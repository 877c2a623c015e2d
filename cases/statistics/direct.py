"""The dashboard's figures computed directly from the cases and the ledger, with SQL aggregation only.

It starts from ``Case.objects.visible_to(user)``. The dashboard uses it when a respondent is chosen (a respondent's
cases are few and indexed; the summary tables are not kept per respondent); tests use it to check the summary.
Medians: ``percentile_cont(0.5)`` on PostgreSQL, the middle row(s) by ORDER BY/LIMIT/OFFSET on SQLite — both exact.

With a respondent the cases are looked up once, from the respondent's case links, and every figure then reads
exactly those cases by primary key (``_chosen``): each query otherwise joined the links to a scan of every case of
the offices (0.2–0.4 s each at 1M cases, 7 s for the page). The breakdowns are regrouped in Python from two
grouped queries (cases, money) instead of one pair of queries per breakdown.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum, When
from django.db.models import Case as SqlCase
from django.db.models.expressions import RawSQL
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
    with connection.cursor() as cursor:
        cursor.execute(sql.RESPONDENT_FAMILY, [respondent_id])
        return sorted(row[0] for row in cursor.fetchall()) or [respondent_id]


_UNNEST = "SELECT unnest(%s::bigint[])"


def _among(ids: list[int]) -> Q:
    """``pk`` is one of ``ids``, as one array parameter (PostgreSQL): the planner counts its elements and reads the
    cases by primary key."""
    return Q(pk__in=RawSQL(_UNNEST, (ids,)))  # noqa: S611 (our own SQL; the ids are a parameter) # nosec B611


def selected_cases(selection: Selection, user):
    cases = Case.objects.visible_to(user).filter(office_id__in=selection.offices)
    if selection.country:
        cases = cases.filter(country_of_work=selection.country)
    if selection.sector:
        cases = cases.filter(sector=selection.sector)
    if selection.respondent:
        named = CaseRespondent.objects.filter(respondent_id__in=respondent_family(selection.respondent))
        if sql.is_postgresql():
            # Joined as a subquery, the planner would scan every case of the offices for the links (see above).
            cases = cases.filter(_among(sorted(set(named.values_list("case_id", flat=True)))))
        else:
            cases = cases.filter(pk__in=named.values("case_id"))
    return cases


@dataclass(frozen=True)
class _Chosen:
    """The selection's cases, and SQL queries of their ids and of the ids of the open ones (with parameters) for
    reads from other tables."""

    cases: QuerySet
    ids_sql: str
    ids_params: list
    open_sql: str
    open_params: list

    @property
    def ids(self) -> RawSQL:
        return RawSQL(self.ids_sql, self.ids_params)  # noqa: S611 (our own SQL; the ids are a parameter) # nosec B611


def _chosen(selection: Selection, user) -> _Chosen:
    """The cases of the selection. With a respondent on PostgreSQL their ids are read once (through ``visible_to``)
    and passed on as one array: every figure then reads those cases by primary key."""
    cases = selected_cases(selection, user)
    if selection.respondent and sql.is_postgresql():
        stages = dict(cases.values_list("pk", "stage"))
        ids = sorted(stages)
        open_ids = [pk for pk in ids if stages[pk] != Stage.CLOSED]
        cases = Case.objects.visible_to(user).filter(_among(ids))
        return _Chosen(cases, _UNNEST, [ids], _UNNEST, [open_ids])
    ids_sql, ids_params = cases.values("pk").query.sql_with_params()
    open_sql, open_params = cases.exclude(stage=Stage.CLOSED).values("pk").query.sql_with_params()
    return _Chosen(cases, ids_sql, list(ids_params), open_sql, list(open_params))


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


def _entries(selection: Selection, chosen: _Chosen):
    return LedgerEntry.objects.filter(
        case_id__in=chosen.ids,
        entry_date__gte=selection.start,
        entry_date__lt=selection.end_date_before,
        reporting_currency=settings.REPORTING_CURRENCY,
    )


def _money_annotations() -> dict:
    return {name: Coalesce(Sum(_SIGNED, filter=q), 0) for name, q in _MONEY.items()}


# The columns every breakdown is regrouped from: office, country of work, sector, the worker's origin and gender;
# and where a case is (stages, outcomes, the furthest stage reached, of the cases opened in the period).
_SLICE = ("office_id", "country_of_work", "sector", "claimant__nationality", "claimant__gender")
_STATES = ("stage", "outcome", "furthest_stage")


def _add(sums: dict, key, value) -> None:
    """Add ``value`` (a number or ``Counts``) to ``sums[key]``."""
    if key not in sums:
        sums[key] = value
    elif isinstance(value, Counts):
        sums[key] = sums[key].plus(value)
    else:
        sums[key] += value


def _regrouped(groups: dict, columns: tuple) -> dict:
    """``groups`` (keyed by ``_SLICE``) summed by ``columns`` (a part of it)."""
    positions = [_SLICE.index(column) for column in columns]
    summed: dict = {}
    for key, counts in groups.items():
        _add(summed, tuple(key[position] for position in positions), counts)
    return summed


def _median(values_sql: str, params: list) -> float | None:
    with connection.cursor() as cursor:
        cursor.execute(sql.median_sql(values_sql), params)
        value = cursor.fetchone()[0]
    return None if value is None else float(value)


def _median_days_to_close(selection: Selection, chosen: _Chosen) -> float | None:
    ids, params = chosen.ids_sql, chosen.ids_params
    adapt = connection.ops.adapt_datetimefield_value
    days = sql.days_between(sql.day_of_datetime("c.closed_at"), sql.day_of_datetime("c.opened_at"))
    values_sql = (
        f"SELECT {days} AS days FROM cases_case c WHERE c.id IN ({ids}) AND c.closed_at >= %s AND c.closed_at < %s"  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    )
    return _median(values_sql, [*params, adapt(selection.start_at), adapt(selection.end_before)])


def _median_days_to_disbursement(selection: Selection, chosen: _Chosen) -> float | None:
    firsts = (
        LedgerEntry.objects.filter(case_id__in=chosen.ids, kind=EntryKind.DISBURSED)
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


def _respondents(chosen: _Chosen) -> list[RespondentRow]:
    amount = sql.signed("reporting_amount_minor", alias="e")
    # The cases' links and entries are read once each; only the chains of the respondents they name are walked.
    query = f"""
WITH RECURSIVE
links(case_id, respondent_id) AS (
    SELECT case_id, respondent_id FROM cases_caserespondent WHERE case_id IN ({chosen.open_sql})
),
entries(respondent_id, amount) AS (
    SELECT e.respondent_id, CASE WHEN e.kind = %s THEN -{amount} ELSE {amount} END FROM cases_ledgerentry e
    WHERE e.case_id IN ({chosen.ids_sql}) AND e.respondent_id IS NOT NULL AND e.reporting_currency = %s
      AND e.kind IN (%s, %s, %s)
),
{sql.roots_of("SELECT respondent_id FROM links UNION SELECT respondent_id FROM entries")}
SELECT root, SUM(n), SUM(amount) FROM (
    SELECT roots.root, COUNT(DISTINCT links.case_id) AS n, 0 AS amount
    FROM links JOIN roots ON roots.id = links.respondent_id
    GROUP BY roots.root
    UNION ALL
    SELECT roots.root, 0, SUM(entries.amount) FROM entries JOIN roots ON roots.id = entries.respondent_id
    GROUP BY roots.root
) AS both_kinds
GROUP BY root HAVING SUM(n) > 0 OR SUM(amount) <> 0
ORDER BY SUM(n) DESC, SUM(amount) DESC, root LIMIT {TOP_RESPONDENTS}"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    all_params = [
        *chosen.open_params,
        EntryKind.PAID,
        *chosen.ids_params,
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


def _total(groups: dict) -> Counts:
    total = Counts()
    for counts in groups.values():
        total = total.plus(counts)
    return total


def direct_figures(selection: Selection, user, *, now) -> Figures:
    """Every figure of the dashboard from the raw rows ``user`` may see; ``now`` decides which deadlines are overdue."""
    if not selection.offices:
        return Figures(trend=fill_months(selection, {}))
    chosen = _chosen(selection, user)
    cases = chosen.cases
    # One grouped read of the cases (by slice and by where each case is) and one of the ledger (by slice and month):
    # the headline, every breakdown, the stages and the trend are summed from them.
    case_rows = cases.values(*_SLICE, *_STATES).annotate(**_case_annotations(selection)).order_by()
    case_groups, stages, outcomes, reached = {}, {}, {}, {}
    for row in case_rows:
        counts = Counts.of(row)
        _add(case_groups, tuple(row[column] for column in _SLICE), counts)
        if counts.opened:
            _add(stages, row["stage"], counts.opened)
            _add(reached, row["furthest_stage"], counts.opened)
            if row["outcome"]:
                _add(outcomes, row["outcome"], counts.opened)
    money_rows = (
        _entries(selection, chosen)
        .annotate(month=TruncMonth("entry_date"))
        .values(*(f"case__{column}" for column in _SLICE), "month")
        .annotate(**_money_annotations())
        .order_by()
    )
    money_groups, trend = {}, {}
    for row in money_rows:
        counts = Counts.of(row)
        _add(money_groups, tuple(row[f"case__{column}"] for column in _SLICE), counts)
        _add(trend, row["month"], counts)
    headline = _total(case_groups).plus(_total(money_groups))
    breakdowns = {
        name: merge_rows(_regrouped(case_groups, columns), _regrouped(money_groups, columns))
        for name, (_, _, columns) in BREAKDOWNS.items()
    }
    trend = {
        month: MonthMoney(month, counts.claimed, counts.awarded, counts.paid, counts.disbursed)
        for month, counts in trend.items()
    }
    return Figures(
        headline=headline,
        median_days_to_disbursement=_median_days_to_disbursement(selection, chosen),
        median_days_to_close=_median_days_to_close(selection, chosen),
        stages=stages,
        outcomes=outcomes,
        reached=reached,
        trend=fill_months(selection, trend),
        respondents=_respondents(chosen),
        paralegals=_paralegals(cases, now),
        **breakdowns,
    )
