"""Rebuilding the summary tables: one transaction, one ``INSERT ... SELECT ... GROUP BY`` per table.

Readers keep seeing the previous rows until the transaction commits (DELETE, not TRUNCATE, which would block them).
Two refreshes at once are serialised on the ``StatRefresh`` row, so neither inserts on top of the other. This full
rebuild runs nightly and when the changes are too many for the incremental refresh (``incremental.py``), which
recomputes only the rows that changes reach and shares the statements below.
"""

import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cases.statistics import sql
from cases.statistics.models import (
    ALL_OFFICES,
    ANY,
    BAND_DAYS,
    StatCase,
    StatDuration,
    StatDurationBand,
    StatFact,
    StatParalegal,
    StatPending,
    StatRefresh,
    StatRespondent,
)

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


# One row per case with everything the facts and durations are grouped by (``StatCase``): built first, so the
# claimants are joined, first cases numbered and first disbursements found once. The incremental refresh compares a
# changed case with its row here.
CASE_FACTS = StatCase._meta.db_table
_SNAPSHOT_COLUMNS = (
    "case_id, office_id, country_of_work, sector, stage, outcome, furthest, origin, gender, month_opened, "
    "month_closed, opened_day, closed_day, first_disbursement, first_case"
)


def snapshot_select(cases: str = "") -> str:
    """The ``StatCase`` rows of every case, or of the cases whose ids ``cases`` (an SQL query) returns, which must
    hold every case of each of their workers (the first case is numbered among them)."""
    only = f" WHERE c.id IN ({cases})" if cases else ""
    only_entries = f" AND l.case_id IN ({cases})" if cases else ""
    return f"""
WITH first_disbursement AS (
    SELECT l.case_id, MIN(l.entry_date) AS day FROM cases_ledgerentry l
    WHERE l.kind = 'disbursed' AND l.reverses_id IS NULL{only_entries}
      AND NOT EXISTS (SELECT 1 FROM cases_ledgerentry r WHERE r.reverses_id = l.id)
    GROUP BY l.case_id
)
SELECT c.id, c.office_id, c.country_of_work, c.sector, c.stage, c.outcome, c.furthest_stage,
       COALESCE(w.nationality, ''), COALESCE(w.gender, ''),
       {sql.month_of_datetime("c.opened_at")}, {sql.month_of_datetime("c.closed_at")},
       {sql.day_of_datetime("c.opened_at")}, {sql.day_of_datetime("c.closed_at")}, f.day,
       CASE WHEN ROW_NUMBER() OVER (PARTITION BY c.claimant_id ORDER BY c.opened_at, c.id) = 1 THEN 1 ELSE 0 END
FROM cases_case c JOIN claimants_claimant w ON w.id = c.claimant_id
LEFT JOIN first_disbursement f ON f.case_id = c.id{only}"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def _snapshot_statements() -> list[str]:
    clear = f"TRUNCATE {CASE_FACTS}" if sql.is_postgresql() else f"DELETE FROM {CASE_FACTS}"  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    statements = [clear, f"INSERT INTO {CASE_FACTS} ({_SNAPSHOT_COLUMNS}) {snapshot_select()}"]
    return statements + ([f"ANALYZE {CASE_FACTS}"] if sql.is_postgresql() else [])


def _fact_statement() -> str:
    # Each kind of fact is grouped on its own first (cases by month opened, by month closed, money by month of the
    # entry), so the final GROUP BY sees a few hundred thousand partial sums instead of one row per case and entry.
    by = "office_id, country_of_work, sector, month"
    dims = "c.office_id, c.country_of_work, c.sector"
    worker = "c.origin, c.gender, c.stage, c.outcome, c.furthest"
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
    FROM cases_ledgerentry l JOIN {CASE_FACTS} c ON c.case_id = l.case_id
    WHERE l.reporting_currency = %s
    GROUP BY {dims}, {sql.month_of_date("l.entry_date")}, {worker}
),
g AS (
    SELECT {by}, origin, gender, stage, outcome, furthest, SUM(opened) AS opened, SUM(closed) AS closed,
           SUM(first_cases) AS first_cases, SUM(claimed) AS claimed, SUM(awarded) AS awarded, SUM(paid) AS paid,
           SUM(disbursed) AS disbursed
    FROM facts GROUP BY {by}, origin, gender, stage, outcome, furthest
)
INSERT INTO {StatFact._meta.db_table} ({_FACT_COLUMNS})
{expand_dimensions("g", by)}
"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def expand_dimensions(source: str, by: str) -> str:
    """The ``StatFact`` rows of each dimension from ``source`` (grouped by ``by``, origin, gender, stage, outcome
    and furthest, with the fact columns): ``all``; ``stage``, ``outcome`` and ``reached`` (cases opened only);
    ``origin``, ``gender``."""
    named = ", ".join(f"SUM({column}) AS {column}" for column in _FACT_COLUMNS.split(", ")[6:])
    return f"""SELECT {by}, 'all' AS dim, '' AS value, {named} FROM {source} GROUP BY {by}
UNION ALL
SELECT {by}, 'stage', stage, SUM(opened), 0, 0, 0, 0, 0, 0 FROM {source} GROUP BY {by}, stage HAVING SUM(opened) <> 0
UNION ALL
SELECT {by}, 'outcome', outcome, SUM(opened), 0, 0, 0, 0, 0, 0 FROM {source} WHERE outcome <> ''
GROUP BY {by}, outcome HAVING SUM(opened) <> 0
UNION ALL
SELECT {by}, 'reached', furthest, SUM(opened), 0, 0, 0, 0, 0, 0 FROM {source} GROUP BY {by}, furthest
HAVING SUM(opened) <> 0
UNION ALL
SELECT {by}, 'origin', origin, {_SUMS} FROM {source} GROUP BY {by}, origin
UNION ALL
SELECT {by}, 'gender', gender, {_SUMS} FROM {source} GROUP BY {by}, gender"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def duration_select(source: str, sign: str = "1") -> str:
    """Histogram rows (office, country, sector, measure, month, days, cases) of the ``StatCase``-shaped rows in
    ``source``, each case counting ``sign``."""
    return f"""SELECT c.office_id, c.country_of_work, c.sector, 'close' AS measure, c.month_closed AS month,
       {sql.days_between("c.closed_day", "c.opened_day")} AS days, SUM({sign}) AS cases
FROM {source} c WHERE c.closed_day IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6
UNION ALL
SELECT c.office_id, c.country_of_work, c.sector, 'disbursement', {sql.month_of_date("c.first_disbursement")},
       {sql.days_between("c.first_disbursement", "c.opened_day")}, SUM({sign})
FROM {source} c WHERE c.first_disbursement IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def _duration_statement() -> str:
    columns = "office_id, country_of_work, sector, measure, month, days, cases"
    return f"INSERT INTO {StatDuration._meta.db_table} ({columns}) {duration_select(CASE_FACTS)}"


def respondent_rows(members: str, slices: str = "") -> str:
    """Common table expressions and the ``INSERT`` of ``StatRespondent`` rows (per office, country, sector and
    root respondent): ``members`` holds (id, root) of the respondents counted; ``slices``, if given, the (office,
    country, sector) to count in. Follows a ``WITH`` (or ``WITH RECURSIVE ...,``). The cases' slices and stages
    come from ``StatCase`` (already up to date; narrower than the cases table).

    With ``slices`` (the incremental refresh: a few respondents) their case links and entries are read first
    (``MATERIALIZED``): the planner, guessing, would otherwise start from every case of the slices.
    """
    amount = sql.signed("reporting_amount_minor")
    only = (
        f" JOIN {slices} s ON s.office_id = c.office_id AND s.country_of_work = c.country_of_work"
        " AND s.sector = c.sector"
        if slices
        else ""
    )
    first = " MATERIALIZED" if slices else ""
    return f"""
named_cases AS{first} (
    SELECT cr.case_id, m.root FROM {members} m JOIN cases_caserespondent cr ON cr.respondent_id = m.id
),
named_entries AS{first} (
    SELECT e.case_id, e.kind, e.reporting_amount_minor, e.reverses_id, m.root
    FROM {members} m JOIN cases_ledgerentry e ON e.respondent_id = m.id
    WHERE e.reporting_currency = %s AND e.kind IN ('awarded', 'settled', 'paid_by_respondent')
),
open_claims AS (
    SELECT c.office_id, c.country_of_work, c.sector, n.root, COUNT(DISTINCT c.case_id) AS n
    FROM named_cases n JOIN {CASE_FACTS} c ON c.case_id = n.case_id{only}
    WHERE c.stage <> 'closed'
    GROUP BY c.office_id, c.country_of_work, c.sector, n.root
),
unpaid AS (
    SELECT c.office_id, c.country_of_work, c.sector, l.root,
           SUM(CASE WHEN l.kind = 'paid_by_respondent' THEN -{amount} ELSE {amount} END) AS amount
    FROM named_entries l JOIN {CASE_FACTS} c ON c.case_id = l.case_id{only}
    GROUP BY c.office_id, c.country_of_work, c.sector, l.root
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


def _respondent_statement() -> str:
    return f"WITH RECURSIVE {sql.RESPONDENT_ROOTS}, {respondent_rows('roots')}"


def band_of(days: str) -> str:
    """The ``StatDurationBand`` band of a day count: floor division for any count above -1,000,000 (SQL's integer
    division truncates towards zero)."""
    offset = 1_000_000 // BAND_DAYS * BAND_DAYS
    return f"({days} + {offset}) / {BAND_DAYS} - {offset // BAND_DAYS}"


def _band_statements() -> list[str]:
    table = StatDurationBand._meta.db_table
    columns = "office_id, country_of_work, sector, measure, month, band, cases"
    band = band_of("days")
    return [
        f"""INSERT INTO {table} ({columns})
SELECT office_id, country_of_work, sector, measure, month, {band}, SUM(cases) FROM {StatDuration._meta.db_table}
GROUP BY office_id, country_of_work, sector, measure, month, {band}""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        f"""INSERT INTO {table} ({columns})
SELECT office_id, '{ANY}', '{ANY}', measure, month, band, SUM(cases) FROM {table}
GROUP BY office_id, measure, month, band""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    ]


def all_offices_fact_statement(months: str = "") -> str:
    """The ``StatFact`` rows summed over every office (``ALL_OFFICES``): stage, outcome, reached rows over every country
    and sector, origin and gender rows per country; of every month, or of the months ``months`` (an SQL query)
    returns."""
    table = StatFact._meta.db_table
    only = f" AND month IN ({months})" if months else ""
    return f"""INSERT INTO {table} ({_FACT_COLUMNS})
SELECT {ALL_OFFICES}, '{ANY}', '{ANY}', month, dim, value, {_SUMS} FROM {table}
WHERE office_id <> {ALL_OFFICES} AND dim IN ('stage', 'outcome', 'reached'){only} GROUP BY month, dim, value
UNION ALL
SELECT {ALL_OFFICES}, country_of_work, '{ANY}', month, dim, value, {_SUMS} FROM {table}
WHERE office_id <> {ALL_OFFICES} AND dim IN ('origin', 'gender'){only} GROUP BY country_of_work, month, dim, value"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def _all_offices_statements() -> list[str]:
    durations, bands = (model._meta.db_table for model in (StatDuration, StatDurationBand))
    return [
        all_offices_fact_statement(),
        f"""INSERT INTO {durations} (office_id, country_of_work, sector, measure, month, days, cases)
SELECT {ALL_OFFICES}, '{ANY}', '{ANY}', measure, month, days, SUM(cases) FROM {durations}
WHERE office_id <> {ALL_OFFICES} GROUP BY measure, month, days""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        f"""INSERT INTO {bands} (office_id, country_of_work, sector, measure, month, band, cases)
SELECT {ALL_OFFICES}, '{ANY}', '{ANY}', measure, month, band, SUM(cases) FROM {bands}
WHERE office_id <> {ALL_OFFICES} AND country_of_work = '{ANY}' AND sector = '{ANY}' GROUP BY measure, month, band""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    ]


def respondent_rollups(offices: str = "", roots: str = "") -> list[str]:
    """The ``StatRespondent`` rows rolled up over country and sector per office, then over every office
    (``ALL_OFFICES``): of every office and respondent, or of the offices and root respondents ``offices`` and
    ``roots`` (SQL queries) return (the caller deleted their old roll-ups)."""
    table = StatRespondent._meta.db_table
    in_offices = f" AND office_id IN ({offices})" if offices else ""
    of_roots = f" AND respondent_id IN ({roots})" if roots else ""
    columns = "office_id, country_of_work, sector, respondent_id, open_claims, unpaid"
    return [
        f"""INSERT INTO {table} ({columns})
SELECT office_id, '{ANY}', '{ANY}', respondent_id, SUM(open_claims), SUM(unpaid) FROM {table}
WHERE office_id <> {ALL_OFFICES} AND country_of_work <> '{ANY}'{in_offices}{of_roots}
GROUP BY office_id, respondent_id""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        f"""INSERT INTO {table} ({columns})
SELECT {ALL_OFFICES}, '{ANY}', '{ANY}', respondent_id, SUM(open_claims), SUM(unpaid) FROM {table}
WHERE office_id <> {ALL_OFFICES} AND country_of_work = '{ANY}' AND sector = '{ANY}'{of_roots}
GROUP BY respondent_id""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    ]


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


def rebuild(cursor, refresh: StatRefresh, now) -> None:
    """Delete every summary row and compute them all again (inside the caller's transaction)."""
    if sql.is_postgresql():
        # The rebuild groups millions of rows: with the default 4 MB per sort or hash it spills to disk.
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
    for model in (StatFact, StatDuration, StatDurationBand, StatRespondent):
        cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    for statement in _snapshot_statements():
        cursor.execute(statement)
    if sql.is_postgresql():
        # The planner takes e.g. every (case, month) of the ledger for a group of its own and sorts 2 M rows
        # by text columns (11 s at 1 M cases); the groups are a few hundred thousand and hash in memory.
        cursor.execute("SET LOCAL enable_sort = off")
    cursor.execute(_fact_statement(), [settings.REPORTING_CURRENCY])
    cursor.execute(_duration_statement())
    for statement in _band_statements():
        cursor.execute(statement)
    cursor.execute(_respondent_statement(), [settings.REPORTING_CURRENCY])
    for statement in [*respondent_rollups(), *_all_offices_statements()]:
        cursor.execute(statement)
    cursor.execute(f"SELECT DISTINCT office_id FROM {CASE_FACTS} ORDER BY office_id")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    refresh.offices = [office for (office,) in cursor.fetchall()]
    if sql.is_postgresql():
        cursor.execute("SET LOCAL enable_sort = on")
    recount_paralegals(cursor, now)


def recount_paralegals(cursor, now) -> None:
    """Open cases and overdue deadlines per assignee as of ``now``: recounted whole by every refresh (a deadline
    becomes overdue with time alone), a few hundred rows."""
    cursor.execute(f"DELETE FROM {StatParalegal._meta.db_table}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    cursor.execute(_paralegal_statement(), [connection.ops.adapt_datetimefield_value(now)])


def locked_refresh_row() -> StatRefresh:
    """The one ``StatRefresh`` row, locked until the end of the transaction: refreshes run one at a time."""
    StatRefresh.objects.get_or_create(pk=1)
    return StatRefresh.objects.select_for_update().get(pk=1)


# The marks (``StatPending``) a refresh takes in: copied when it starts, so a mark committed while it runs (even
# with a lower id) is left for the next one, and only these are deleted at its end.
MARKS = "stat_marks"


def take_marks(cursor) -> int:
    """Copy the marks written so far into ``MARKS``; returns how many."""
    cursor.execute(f"DROP TABLE IF EXISTS {MARKS}")
    cursor.execute(f"CREATE TEMPORARY TABLE {MARKS} AS SELECT * FROM {StatPending._meta.db_table}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    cursor.execute(f"SELECT COUNT(*) FROM {MARKS}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    return cursor.fetchone()[0]


def finish(cursor, refresh: StatRefresh, now, started: float) -> StatRefresh:
    """Delete the marks taken in and record the refresh's "as of" and duration."""
    cursor.execute(f"DELETE FROM {StatPending._meta.db_table} WHERE id IN (SELECT id FROM {MARKS})")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    cursor.execute(f"DROP TABLE {MARKS}")
    refresh.refreshed_at = now
    refresh.duration_ms = round((time.perf_counter() - started) * 1000)
    refresh.save(update_fields=["refreshed_at", "duration_ms", "offices"])
    return refresh


SUMMARY_MODELS = (StatCase, StatFact, StatDuration, StatDurationBand, StatRespondent, StatParalegal)


def vacuum_summary() -> None:
    """PostgreSQL: VACUUM (ANALYZE) the summary tables after a rebuild (outside any transaction). A rebuild leaves
    every old row dead; until they are vacuumed the dashboard's index-only reads visit the table too."""
    if not sql.is_postgresql() or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(model._meta.db_table for model in SUMMARY_MODELS)}")


def statistics_refresh(*, now=None) -> StatRefresh:
    """Rebuild every summary table from the cases and the ledger, in one transaction; returns the refresh row.

    ``now`` (default: the current time) is the refresh's "as of": deadlines due before it count as overdue.
    The marks of changes (``StatPending``) written before it started are taken in and deleted.
    """
    now = now or timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        refresh = locked_refresh_row()
        with connection.cursor() as cursor:
            take_marks(cursor)
            rebuild(cursor, refresh, now)
            return finish(cursor, refresh, now, started)
