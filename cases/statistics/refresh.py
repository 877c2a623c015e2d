"""Rebuilding the summary tables: one transaction, one ``INSERT ... SELECT ... GROUP BY`` per table.

Readers keep seeing the previous rows until the transaction commits (DELETE, not TRUNCATE, which would block them).
Two refreshes at once are serialised on the ``StatRefresh`` row, so neither inserts on top of the other.
"""

import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cases.models import StatDuration, StatFact, StatParalegal, StatRefresh, StatRespondent
from cases.models.statistics import ANY, BAND_DAYS, StatDurationBand

from . import sql

# Memory per sort or hash while rebuilding (PostgreSQL; this transaction only): the groups of a million cases fit.
WORK_MEM = "256MB"

_MONEY = """
    SUM(CASE WHEN l.kind = 'claimed' THEN {amount} ELSE 0 END) AS claimed,
    SUM(CASE WHEN l.kind IN ('awarded', 'settled') THEN {amount} ELSE 0 END) AS awarded,
    SUM(CASE WHEN l.kind = 'paid_by_respondent' THEN {amount} ELSE 0 END) AS paid,
    SUM(CASE WHEN l.kind = 'disbursed' THEN {amount} ELSE 0 END) AS disbursed"""

_FACT_COLUMNS = (
    "office_id, country_of_work, sector, month, dim, value, opened, closed, first_cases, claimed, awarded, paid, "
    "disbursed"
)
_SUMS = "SUM(opened), SUM(closed), SUM(first_cases), SUM(claimed), SUM(awarded), SUM(paid), SUM(disbursed)"


# One row per case with everything the facts are grouped by (the worker's origin and gender, whether it is the
# worker's first case): built once, so the claimants are joined and the first cases numbered once, not per fact.
CASE_FACTS = "stat_case_facts"


def _case_facts_statements() -> list[str]:
    return [
        f"DROP TABLE IF EXISTS {CASE_FACTS}",
        f"""CREATE TEMPORARY TABLE {CASE_FACTS} AS
SELECT c.id, c.office_id, c.country_of_work, c.sector, c.stage, c.outcome,
       {sql.month_of_datetime("c.opened_at")} AS month_opened, {sql.month_of_datetime("c.closed_at")} AS month_closed,
       COALESCE(w.nationality, '') AS origin, COALESCE(w.gender, '') AS gender,
       CASE WHEN ROW_NUMBER() OVER (PARTITION BY c.claimant_id ORDER BY c.opened_at, c.id) = 1
            THEN 1 ELSE 0 END AS first_case
FROM cases_case c JOIN claimants_claimant w ON w.id = c.claimant_id""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    ] + ([f"CREATE UNIQUE INDEX ON {CASE_FACTS} (id)", f"ANALYZE {CASE_FACTS}"] if sql.is_postgresql() else [])


def _fact_statement() -> str:
    # Each kind of fact is grouped on its own first (cases by month opened, by month closed, money by month of the
    # entry), so the final GROUP BY sees a few hundred thousand partial sums instead of one row per case and entry.
    by = "office_id, country_of_work, sector, month"
    dims = "c.office_id, c.country_of_work, c.sector"
    worker = "c.origin, c.gender, c.stage, c.outcome"
    money = _MONEY.format(amount=sql.signed("reporting_amount_minor"))
    return f"""
WITH facts AS (
    SELECT {dims}, c.month_opened AS month, {worker},
           COUNT(*) AS opened, 0 AS closed, SUM(c.first_case) AS first_cases,
           0 AS claimed, 0 AS awarded, 0 AS paid, 0 AS disbursed
    FROM {CASE_FACTS} c
    GROUP BY {dims}, c.month_opened, {worker}
    UNION ALL
    SELECT {dims}, c.month_closed, {worker}, 0, COUNT(*), 0, 0, 0, 0, 0
    FROM {CASE_FACTS} c WHERE c.month_closed IS NOT NULL
    GROUP BY {dims}, c.month_closed, {worker}
    UNION ALL
    SELECT {dims}, {sql.month_of_date("l.entry_date")}, {worker}, 0, 0, 0, {money}
    FROM cases_ledgerentry l JOIN {CASE_FACTS} c ON c.id = l.case_id
    WHERE l.reporting_currency = %s
    GROUP BY {dims}, {sql.month_of_date("l.entry_date")}, {worker}
),
g AS (
    SELECT {by}, origin, gender, stage, outcome, SUM(opened) AS opened, SUM(closed) AS closed,
           SUM(first_cases) AS first_cases, SUM(claimed) AS claimed, SUM(awarded) AS awarded, SUM(paid) AS paid,
           SUM(disbursed) AS disbursed
    FROM facts GROUP BY {by}, origin, gender, stage, outcome
)
INSERT INTO {StatFact._meta.db_table} ({_FACT_COLUMNS})
SELECT {by}, 'all', '', {_SUMS} FROM g GROUP BY {by}
UNION ALL
SELECT {by}, 'stage', stage, SUM(opened), 0, 0, 0, 0, 0, 0 FROM g GROUP BY {by}, stage HAVING SUM(opened) > 0
UNION ALL
SELECT {by}, 'outcome', outcome, SUM(opened), 0, 0, 0, 0, 0, 0 FROM g WHERE outcome <> ''
GROUP BY {by}, outcome HAVING SUM(opened) > 0
UNION ALL
SELECT {by}, 'origin', origin, {_SUMS} FROM g GROUP BY {by}, origin
UNION ALL
SELECT {by}, 'gender', gender, {_SUMS} FROM g GROUP BY {by}, gender
"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def _duration_statement() -> str:
    opened_day = sql.day_of_datetime("c.opened_at")
    closed_day = sql.day_of_datetime("c.closed_at")
    return f"""
WITH first_disbursement AS (
    SELECT l.case_id, MIN(l.entry_date) AS day FROM cases_ledgerentry l
    WHERE l.kind = 'disbursed' AND l.reverses_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM cases_ledgerentry r WHERE r.reverses_id = l.id)
    GROUP BY l.case_id
)
INSERT INTO {StatDuration._meta.db_table} (office_id, country_of_work, sector, measure, month, days, cases)
SELECT c.office_id, c.country_of_work, c.sector, 'close', {sql.month_of_datetime("c.closed_at")},
       {sql.days_between(closed_day, opened_day)}, COUNT(*)
FROM cases_case c WHERE c.closed_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6
UNION ALL
SELECT c.office_id, c.country_of_work, c.sector, 'disbursement', {sql.month_of_date("f.day")},
       {sql.days_between("f.day", opened_day)}, COUNT(*)
FROM first_disbursement f JOIN cases_case c ON c.id = f.case_id
GROUP BY 1, 2, 3, 4, 5, 6
"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def _respondent_statement() -> str:
    amount = sql.signed("reporting_amount_minor")
    return f"""
WITH RECURSIVE {sql.RESPONDENT_ROOTS},
open_claims AS (
    SELECT c.office_id, c.country_of_work, c.sector, roots.root, COUNT(DISTINCT c.id) AS n
    FROM cases_case c
    JOIN cases_caserespondent cr ON cr.case_id = c.id
    JOIN roots ON roots.id = cr.respondent_id
    WHERE c.stage <> 'closed'
    GROUP BY c.office_id, c.country_of_work, c.sector, roots.root
),
unpaid AS (
    SELECT c.office_id, c.country_of_work, c.sector, roots.root,
           SUM(CASE WHEN l.kind = 'paid_by_respondent' THEN -{amount} ELSE {amount} END) AS amount
    FROM cases_ledgerentry l
    JOIN cases_case c ON c.id = l.case_id
    JOIN roots ON roots.id = l.respondent_id
    WHERE l.reporting_currency = %s AND l.kind IN ('awarded', 'settled', 'paid_by_respondent')
    GROUP BY c.office_id, c.country_of_work, c.sector, roots.root
)
INSERT INTO {StatRespondent._meta.db_table}
    (office_id, country_of_work, sector, respondent_id, open_claims, unpaid)
SELECT office_id, country_of_work, sector, root, SUM(n), SUM(amount) FROM (
    SELECT office_id, country_of_work, sector, root, n, 0 AS amount FROM open_claims
    UNION ALL
    SELECT office_id, country_of_work, sector, root, 0, amount FROM unpaid
) AS both_kinds
GROUP BY office_id, country_of_work, sector, root
"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def _band_statements() -> list[str]:
    # Floor division for any day count above -1,000,000 (SQL's integer division truncates towards zero).
    offset = 1_000_000 // BAND_DAYS * BAND_DAYS
    band = f"(days + {offset}) / {BAND_DAYS} - {offset // BAND_DAYS}"
    table = StatDurationBand._meta.db_table
    columns = "office_id, country_of_work, sector, measure, month, band, cases"
    return [
        f"""INSERT INTO {table} ({columns})
SELECT office_id, country_of_work, sector, measure, month, {band}, SUM(cases) FROM {StatDuration._meta.db_table}
GROUP BY office_id, country_of_work, sector, measure, month, {band}""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        f"""INSERT INTO {table} ({columns})
SELECT office_id, '{ANY}', '{ANY}', measure, month, band, SUM(cases) FROM {table}
GROUP BY office_id, measure, month, band""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    ]


def _respondent_rollup_statement() -> str:
    table = StatRespondent._meta.db_table
    return f"""
INSERT INTO {table} (office_id, country_of_work, sector, respondent_id, open_claims, unpaid)
SELECT office_id, '{ANY}', '{ANY}', respondent_id, SUM(open_claims), SUM(unpaid) FROM {table}
GROUP BY office_id, respondent_id
"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def _paralegal_statement() -> str:
    return f"""
INSERT INTO {StatParalegal._meta.db_table} (office_id, country_of_work, sector, paralegal_id, open_cases, overdue)
SELECT c.office_id, c.country_of_work, c.sector, c.assigned_to_id, COUNT(*), SUM(COALESCE(d.overdue, 0))
FROM cases_case c
LEFT JOIN (
    SELECT case_id, COUNT(*) AS overdue FROM cases_deadline WHERE status = 'open' AND due_at < %s GROUP BY case_id
) d ON d.case_id = c.id
WHERE c.stage <> 'closed' AND c.assigned_to_id IS NOT NULL
GROUP BY c.office_id, c.country_of_work, c.sector, c.assigned_to_id
"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def statistics_refresh(*, now=None) -> StatRefresh:
    """Rebuild every summary table from the cases and the ledger, in one transaction; returns the refresh row.

    ``now`` (default: the current time) is the refresh's "as of": deadlines due before it count as overdue.
    """
    now = now or timezone.now()
    started = time.perf_counter()
    reporting = settings.REPORTING_CURRENCY
    with transaction.atomic():
        StatRefresh.objects.get_or_create(pk=1)
        refresh = StatRefresh.objects.select_for_update().get(pk=1)
        with connection.cursor() as cursor:
            if sql.is_postgresql():
                # The rebuild groups millions of rows: with the default 4 MB per sort or hash it spills to disk.
                cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            for model in (StatFact, StatDuration, StatDurationBand, StatRespondent, StatParalegal):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
            for statement in _case_facts_statements():
                cursor.execute(statement)
            if sql.is_postgresql():
                # The planner takes e.g. every (case, month) of the ledger for a group of its own and sorts 2 M rows
                # by text columns (11 s at 1 M cases); the groups are a few hundred thousand and hash in memory.
                cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(_fact_statement(), [reporting])
            cursor.execute(f"DROP TABLE {CASE_FACTS}")
            cursor.execute(_duration_statement())
            for statement in _band_statements():
                cursor.execute(statement)
            cursor.execute(_respondent_statement(), [reporting])
            cursor.execute(_respondent_rollup_statement())
            cursor.execute(_paralegal_statement(), [connection.ops.adapt_datetimefield_value(now)])
        refresh.refreshed_at = now
        refresh.duration_ms = round((time.perf_counter() - started) * 1000)
        refresh.save(update_fields=["refreshed_at", "duration_ms"])
    return refresh
