"""The incremental refresh: take the changes marked since the last refresh into the summary tables.

One transaction; the result equals a full rebuild (tested after each kind of change). The steps, and when it falls
back to the full rebuild: docs/statistics.md, "The incremental refresh".
"""

import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cases.statistics import sql
from cases.statistics.models import (
    ALL_OFFICES,
    ANY,
    StatCase,
    StatDuration,
    StatDurationBand,
    StatFact,
    StatRefresh,
    StatRespondent,
)
from cases.statistics.refresh import (
    _MONEY,
    _SNAPSHOT_COLUMNS,
    MARKS,
    all_offices_fact_statement,
    band_of,
    duration_select,
    expand_dimensions,
    finish,
    locked_refresh_row,
    rebuild,
    recount_paralegals,
    respondent_rollups,
    respondent_rows,
    snapshot_select,
    take_marks,
)

# Beyond these, the full rebuild is as quick.
MAX_TOUCHED_CASES = 50_000
MAX_MONEY_MONTHS = 24

CASES = StatCase._meta.db_table
FACTS = StatFact._meta.db_table
TOUCHED = "stat_touched"
NEW = "stat_new_cases"
OLD = "stat_old_cases"
MONEY_CELLS = "stat_money_cells"
ENTRIES = "stat_money_entries"
FACT_DELTA = "stat_fact_delta"
DURATION_DELTA = "stat_duration_delta"
BAND_DELTA = "stat_band_delta"
FACT_MONTHS = "stat_fact_months"
DURATION_ALL = "stat_duration_all"
SLICES = "stat_slices"
MEMBERS = "stat_members"
TEMPORARY = (
    TOUCHED,
    NEW,
    OLD,
    MONEY_CELLS,
    ENTRIES,
    FACT_DELTA,
    FACT_MONTHS,
    DURATION_DELTA,
    DURATION_ALL,
    BAND_DELTA,
    SLICES,
    MEMBERS,
)

_SLICE = ("office_id", "country_of_work", "sector")
_FACT_KEY = (*_SLICE, "month", "dim", "value")
_COUNTS = ("opened", "closed", "first_cases")
_MONEY_COLUMNS = ("claimed", "awarded", "paid", "disbursed")
_DURATION_KEY = (*_SLICE, "measure", "month", "days")
_BAND_KEY = (*_SLICE, "measure", "month", "band")


def _match(left: str, right: str, columns=_SLICE) -> str:
    return " AND ".join(f"{left}.{column} = {right}.{column}" for column in columns)


def _temporary(cursor, name: str, select: str, params=None) -> int:
    """Create the temporary table ``name`` from ``select``; returns its row count."""
    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {select}", params)
    if sql.is_postgresql():
        cursor.execute(f"ANALYZE {name}")
    cursor.execute(f"SELECT COUNT(*) FROM {name}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    return cursor.fetchone()[0]


def _empty_like(cursor, name: str, table: str) -> None:
    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS SELECT * FROM {table} WHERE 1 = 0")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608


def _apply(cursor, table: str, delta: str, key: tuple, values: tuple) -> None:
    """Add the rows of ``delta`` to ``table`` (one row per ``key`` in both): update the rows there, insert the
    others, and delete the rows of those keys that are left with nothing."""
    cursor.execute(
        f"UPDATE {table} SET {', '.join(f'{v} = {table}.{v} + d.{v}' for v in values)} "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
        f"FROM {delta} d WHERE {_match(table, 'd', key)}"
    )
    columns = ", ".join((*key, *values))
    cursor.execute(
        f"INSERT INTO {table} ({columns}) SELECT {', '.join(f'd.{c}' for c in (*key, *values))} FROM {delta} d "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {_match('t', 'd', key)})"
    )
    cursor.execute(
        f"DELETE FROM {table} WHERE {' AND '.join(f'{v} = 0' for v in values)} "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
        f"AND EXISTS (SELECT 1 FROM {delta} d WHERE {_match('d', table, key)})"
    )


def _touched(cursor) -> int:
    return _temporary(
        cursor,
        TOUCHED,
        f"""SELECT c.id FROM cases_case c WHERE c.claimant_id IN (
    SELECT m.claimant_id FROM cases_case m
    WHERE m.id IN (SELECT case_id FROM {MARKS} WHERE case_id IS NOT NULL)
    UNION
    SELECT claimant_id FROM {MARKS} WHERE claimant_id IS NOT NULL
)""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    )


def _case_rows(cursor) -> None:
    """The touched cases as they are now (``NEW``) and as they were counted (``OLD``)."""
    _empty_like(cursor, NEW, CASES)
    cursor.execute(f"INSERT INTO {NEW} ({_SNAPSHOT_COLUMNS}) {snapshot_select(f'SELECT id FROM {TOUCHED}')}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    _temporary(cursor, OLD, f"SELECT s.* FROM {CASES} s WHERE s.case_id IN (SELECT id FROM {TOUCHED})")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


def _money_cells(cursor) -> int:
    """The cells whose money is recomputed (``MONEY_CELLS``); returns how many distinct months they have."""
    regrouped = " OR ".join(f"n.{c} <> o.{c}" for c in (*_SLICE, "origin", "gender"))
    entry_month = sql.month_of_date("l.entry_date")
    _temporary(
        cursor,
        MONEY_CELLS,
        f"""SELECT office_id, country_of_work, sector, month, {sql.next_month("month")} AS month_end FROM (
    SELECT n.office_id, n.country_of_work, n.sector, m.month
    FROM {MARKS} m JOIN {NEW} n ON n.case_id = m.case_id WHERE m.month IS NOT NULL
    UNION
    SELECT x.office_id, x.country_of_work, x.sector, {entry_month} FROM (
        SELECT n.case_id, n.office_id, n.country_of_work, n.sector
        FROM {NEW} n JOIN {OLD} o ON o.case_id = n.case_id WHERE {regrouped}
        UNION
        SELECT o.case_id, o.office_id, o.country_of_work, o.sector
        FROM {NEW} n JOIN {OLD} o ON o.case_id = n.case_id WHERE {regrouped}
    ) x JOIN cases_ledgerentry l ON l.case_id = x.case_id
) AS cells""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    )
    cursor.execute(f"SELECT COUNT(DISTINCT month) FROM {MONEY_CELLS}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    return cursor.fetchone()[0]


def _signed_cases() -> str:
    """Every touched case's opening and closing, +1 as it is now and -1 as it was counted."""
    worker = "origin, gender, stage, outcome, furthest"
    parts = []
    for source, sign in ((NEW, "1"), (OLD, "-1")):
        parts.append(
            f"SELECT office_id, country_of_work, sector, month_opened AS month, {worker}, "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
            f"{sign} AS opened, 0 AS closed, {sign} * first_case AS first_cases FROM {source}"
        )
        parts.append(
            f"SELECT office_id, country_of_work, sector, month_closed, {worker}, 0, {sign}, 0 FROM {source} "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
            "WHERE month_closed IS NOT NULL"
        )
    return " UNION ALL ".join(parts)


def _count_deltas(cursor) -> None:
    """Add the touched cases' differences to the case counts and the duration histograms."""
    by = "office_id, country_of_work, sector, month"
    sums = ", ".join(f"SUM({c}) AS {c}" for c in _COUNTS)
    zeros = ", ".join(f"0 AS {c}" for c in _MONEY_COLUMNS)
    _empty_like(cursor, FACT_DELTA, FACTS)
    cursor.execute(
        f"""INSERT INTO {FACT_DELTA} ({", ".join((*_FACT_KEY, *_COUNTS, *_MONEY_COLUMNS))})
WITH signed AS ({_signed_cases()}),
g AS (SELECT {by}, origin, gender, stage, outcome, furthest, {sums}, {zeros} FROM signed
      GROUP BY {by}, origin, gender, stage, outcome, furthest)
SELECT * FROM ({expand_dimensions("g", by)}) AS expanded
WHERE {" OR ".join(f"{c} <> 0" for c in _COUNTS)}""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    )
    _apply(cursor, FACTS, FACT_DELTA, _FACT_KEY, (*_COUNTS, *_MONEY_COLUMNS))
    _temporary(cursor, FACT_MONTHS, f"SELECT DISTINCT month FROM {FACT_DELTA}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)

    key = ", ".join(_DURATION_KEY)
    _temporary(
        cursor,
        DURATION_DELTA,
        f"SELECT {key}, SUM(cases) AS cases FROM ({duration_select(NEW)} UNION ALL {duration_select(OLD, '-1')}) "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        f"AS signed GROUP BY {key} HAVING SUM(cases) <> 0",
    )
    _apply(cursor, StatDuration._meta.db_table, DURATION_DELTA, _DURATION_KEY, ("cases",))
    _temporary(
        cursor,
        DURATION_ALL,
        f"SELECT {ALL_OFFICES} AS office_id, '{ANY}' AS country_of_work, '{ANY}' AS sector, measure, month, days, "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        f"SUM(cases) AS cases FROM {DURATION_DELTA} GROUP BY measure, month, days HAVING SUM(cases) <> 0",
    )
    _apply(cursor, StatDuration._meta.db_table, DURATION_ALL, _DURATION_KEY, ("cases",))
    band = band_of("days")
    _temporary(
        cursor,
        BAND_DELTA,
        f"""SELECT office_id, country_of_work, sector, measure, month, band, SUM(cases) AS cases FROM (
    SELECT office_id, country_of_work, sector, measure, month, {band} AS band, cases FROM {DURATION_DELTA}
    UNION ALL
    SELECT office_id, '{ANY}', '{ANY}', measure, month, {band}, cases FROM {DURATION_DELTA}
    UNION ALL
    SELECT {ALL_OFFICES}, '{ANY}', '{ANY}', measure, month, {band}, cases FROM {DURATION_DELTA}
) AS bands GROUP BY office_id, country_of_work, sector, measure, month, band HAVING SUM(cases) <> 0""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    )
    _apply(cursor, StatDurationBand._meta.db_table, BAND_DELTA, _BAND_KEY, ("cases",))


def _replace_case_rows(cursor) -> None:
    cursor.execute(f"DELETE FROM {CASES} WHERE case_id IN (SELECT id FROM {TOUCHED})")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    cursor.execute(f"INSERT INTO {CASES} ({_SNAPSHOT_COLUMNS}) SELECT {_SNAPSHOT_COLUMNS} FROM {NEW}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608


def _money(cursor) -> None:
    """The money columns of the money cells, from the ledger again (the case rows are already the new ones)."""
    in_cell = f"{_match('k', FACTS)} AND k.month = {FACTS}.month"
    cursor.execute(
        f"UPDATE {FACTS} SET {', '.join(f'{c} = 0' for c in _MONEY_COLUMNS)} "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
        f"WHERE dim IN ('all', 'origin', 'gender') AND EXISTS (SELECT 1 FROM {MONEY_CELLS} k WHERE {in_cell})",
    )
    by = "office_id, country_of_work, sector, month"
    money = _MONEY.format(amount=sql.signed("reporting_amount_minor"))
    cursor.execute(f"DELETE FROM {FACT_DELTA}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    # The entries of the cells' months first (an index range per month), then their cases: the planner would
    # otherwise start from every case of the cells' slices.
    _temporary(
        cursor,
        ENTRIES,
        f"""SELECT e.case_id, e.kind, e.reporting_amount_minor, e.reverses_id, m.month
FROM (SELECT DISTINCT month, month_end FROM {MONEY_CELLS}) m
JOIN cases_ledgerentry e ON e.entry_date >= m.month AND e.entry_date < m.month_end
WHERE e.reporting_currency = %s""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        [settings.REPORTING_CURRENCY],
    )
    cursor.execute(
        f"""INSERT INTO {FACT_DELTA} ({", ".join((*_FACT_KEY, *_COUNTS, *_MONEY_COLUMNS))})
WITH g AS (
    SELECT c.office_id, c.country_of_work, c.sector, l.month, c.origin, c.gender, '' AS stage, '' AS outcome,
           '' AS furthest, 0 AS opened, 0 AS closed, 0 AS first_cases, {money}
    FROM {ENTRIES} l JOIN {CASES} c ON c.case_id = l.case_id
    JOIN {MONEY_CELLS} k ON {_match("k", "c")} AND k.month = l.month
    GROUP BY c.office_id, c.country_of_work, c.sector, l.month, c.origin, c.gender
)
SELECT * FROM ({expand_dimensions("g", by)}) AS expanded WHERE dim IN ('all', 'origin', 'gender')""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    )
    _apply(cursor, FACTS, FACT_DELTA, _FACT_KEY, (*_COUNTS, *_MONEY_COLUMNS))
    # Rows of the money cells left with nothing at all (their money gone and no cases counted).
    zero = " AND ".join(f"{c} = 0" for c in (*_COUNTS, *_MONEY_COLUMNS))
    cursor.execute(
        f"DELETE FROM {FACTS} WHERE {zero} AND EXISTS (SELECT 1 FROM {MONEY_CELLS} k WHERE {in_cell})",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    )


def _all_office_facts(cursor) -> None:
    """The ``ALL_OFFICES`` fact rows of every month whose rows changed, summed again."""
    cursor.execute(f"INSERT INTO {FACT_MONTHS} (month) SELECT DISTINCT month FROM {MONEY_CELLS}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    months = f"SELECT month FROM {FACT_MONTHS}"  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    cursor.execute(f"DELETE FROM {FACTS} WHERE office_id = {ALL_OFFICES} AND month IN ({months})")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    cursor.execute(all_offices_fact_statement(months))


def _respondents(cursor) -> None:
    """The rows of the touched cases' respondents (and of those marked) in their slices, and their roll-ups."""
    _temporary(
        cursor,
        SLICES,
        f"SELECT office_id, country_of_work, sector FROM {NEW} "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        f"UNION SELECT office_id, country_of_work, sector FROM {OLD}",
    )
    _temporary(
        cursor,
        MEMBERS,
        f"""WITH RECURSIVE {sql.RESPONDENT_ROOTS},
named AS (
    SELECT cr.respondent_id FROM cases_caserespondent cr JOIN {TOUCHED} t ON t.id = cr.case_id
    UNION
    SELECT l.respondent_id FROM cases_ledgerentry l JOIN {TOUCHED} t ON t.id = l.case_id
    WHERE l.respondent_id IS NOT NULL
    UNION
    SELECT respondent_id FROM {MARKS} WHERE respondent_id IS NOT NULL
)
SELECT roots.id, roots.root FROM roots
WHERE roots.root IN (SELECT r.root FROM roots r JOIN named n ON n.respondent_id = r.id)""",  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    )
    table = StatRespondent._meta.db_table
    cursor.execute(
        f"DELETE FROM {table} WHERE respondent_id IN (SELECT root FROM {MEMBERS}) AND ("  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
        f"EXISTS (SELECT 1 FROM {SLICES} s WHERE {_match('s', table)}) OR (country_of_work = %s AND sector = %s "
        f"AND office_id IN (SELECT office_id FROM {SLICES})))",
        [ANY, ANY],
    )
    cursor.execute(f"WITH {respondent_rows(MEMBERS, SLICES)}", [settings.REPORTING_CURRENCY])
    roots = f"SELECT root FROM {MEMBERS}"  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    cursor.execute(f"DELETE FROM {table} WHERE office_id = {ALL_OFFICES} AND respondent_id IN ({roots})")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    for statement in respondent_rollups(offices=f"SELECT office_id FROM {SLICES}", roots=roots):  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        cursor.execute(statement)


def _drop_temporary(cursor) -> None:
    for name in TEMPORARY:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _take_in(cursor, refresh: StatRefresh) -> bool:
    """Take in the marks of ``MARKS``; False (nothing written) when they are too many: the caller rebuilds."""
    if _touched(cursor) > MAX_TOUCHED_CASES:
        return False
    _case_rows(cursor)
    if _money_cells(cursor) > MAX_MONEY_MONTHS:
        return False
    _count_deltas(cursor)
    _replace_case_rows(cursor)
    _money(cursor)
    _all_office_facts(cursor)
    _respondents(cursor)
    cursor.execute(f"SELECT DISTINCT office_id FROM {NEW}")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
    refresh.offices = sorted(set(refresh.offices) | {office for (office,) in cursor.fetchall()})
    return True


def statistics_update(*, now=None) -> StatRefresh:
    """Take in the changes marked since the last refresh (one transaction); returns the refresh row.

    Falls back to the full rebuild when the summary was never built, a mark asks for it, or the changes are too
    many. Either way the paralegals' table is recounted as of ``now``.
    """
    now = now or timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        refresh = locked_refresh_row()
        with connection.cursor() as cursor:
            _drop_temporary(cursor)
            marks = take_marks(cursor)
            cursor.execute(f"SELECT COUNT(*) FROM {MARKS} WHERE everything")  # noqa: S608 (SQL built from our own fragments and table names; values are parameters) # nosec B608
            everything = cursor.fetchone()[0] > 0
            # StatCase empty or no offices summed into the ALL_OFFICES rows: the summary was built by a release
            # before those existed.
            whole = refresh.refreshed_at is None or not refresh.offices or not StatCase.objects.exists() or everything
            if whole or (marks and not _take_in(cursor, refresh)):
                _drop_temporary(cursor)
                rebuild(cursor, refresh, now)
            else:
                recount_paralegals(cursor, now)
            _drop_temporary(cursor)
            return finish(cursor, refresh, now, started)
