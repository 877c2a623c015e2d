"""SQL fragments that differ between PostgreSQL and SQLite: months, days and medians.

Months and days are taken in UTC (datetimes are stored in UTC), so the summary and the direct computation agree
to the case whatever the server's time zone.
"""

from django.db import connection


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def month_of_datetime(column: str) -> str:
    if is_postgresql():
        return f"(date_trunc('month', {column} AT TIME ZONE 'UTC'))::date"
    return f"date({column}, 'start of month')"


def month_of_date(column: str) -> str:
    if is_postgresql():
        return f"(date_trunc('month', {column}))::date"
    return f"date({column}, 'start of month')"


def next_month(column: str) -> str:
    """The first day of the month after the first-of-month date ``column``."""
    if is_postgresql():
        return f"(({column}) + INTERVAL '1 month')::date"
    return f"date({column}, '+1 month')"


def day_of_datetime(column: str) -> str:
    if is_postgresql():
        return f"(({column}) AT TIME ZONE 'UTC')::date"
    return f"date({column})"


def days_between(later: str, earlier: str) -> str:
    """Whole days from the date ``earlier`` to the date ``later``."""
    if is_postgresql():
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def signed(column: str, alias: str = "l") -> str:
    """A ledger amount, negative for a reversing entry: one SUM nets corrections out (as
    ``cases.money.services.ledger``)."""
    return f"(CASE WHEN {alias}.reverses_id IS NULL THEN {alias}.{column} ELSE -{alias}.{column} END)"


def median_sql(values_sql: str) -> str:
    """The exact median of the one-column query ``values_sql`` (column ``days``); NULL when it has no rows.

    PostgreSQL: ``percentile_cont(0.5)``. SQLite has no percentile function: the middle row (odd count) or the mean
    of the two middle rows (even count) by ORDER BY ... LIMIT/OFFSET, which is what percentile_cont(0.5) returns.
    """
    if is_postgresql():
        return f"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM ({values_sql}) AS v"  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
    return (
        f"WITH v AS ({values_sql}) SELECT AVG(days) FROM (SELECT days FROM v ORDER BY days "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        "LIMIT 2 - (SELECT COUNT(*) FROM v) %% 2 OFFSET ((SELECT COUNT(*) FROM v) - 1) / 2) AS middle"
    )


def histogram_median_sql(histogram_sql: str) -> str:
    """The exact median from a histogram query (columns ``days``, ``cases``), by cumulative counts.

    With n cases the median is the mean of the values at positions (n + 1) div 2 and n div 2 + 1 (the same one
    when n is odd): the first ``days`` whose running total reaches each position.
    """
    return (
        f"WITH h AS (SELECT days, SUM(cases) AS cases FROM ({histogram_sql}) AS raw GROUP BY days), "  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
        "cum AS (SELECT days, CAST(SUM(cases) OVER (ORDER BY days) AS BIGINT) AS upto, "
        "CAST(SUM(cases) OVER () AS BIGINT) AS n FROM h) "
        "SELECT AVG(days * 1.0) FROM ("
        "SELECT MIN(days) AS days FROM cum WHERE upto >= (n + 1) / 2 "
        "UNION ALL SELECT MIN(days) FROM cum WHERE upto >= n / 2 + 1) AS middle"
    )


# Respondents with the company each one replaced folded in: ``root`` is the first of its chain of successors.
# (Every respondent: the summary's refresh. For a few respondents, ``roots_of`` walks only their own chains.)
RESPONDENT_ROOTS = """
chain(id, root) AS (
    SELECT id, id FROM cases_respondent WHERE successor_of_id IS NULL
    UNION ALL
    SELECT r.id, chain.root FROM cases_respondent r JOIN chain ON r.successor_of_id = chain.id
),
roots AS (
    SELECT r.id, COALESCE(chain.root, r.id) AS root FROM cases_respondent r LEFT JOIN chain ON chain.id = r.id
)"""


def roots_of(named: str) -> str:
    """Like ``RESPONDENT_ROOTS`` (the same ``roots(id, root)``), for the respondents whose ids the query ``named``
    returns only: each chain is walked from the respondent up to the company it replaced, by primary key, instead
    of walking every chain of the table. A respondent whose chain never ends (a cycle) is its own root, as there.
    ``UNION`` (not ``ALL``) stops a walk round a cycle."""
    return f"""
up(id, at, successor_of) AS (
    SELECT r.id, r.id, r.successor_of_id FROM cases_respondent r WHERE r.id IN ({named})
    UNION
    SELECT up.id, r.id, r.successor_of_id FROM up JOIN cases_respondent r ON r.id = up.successor_of
),
roots AS (
    SELECT id, COALESCE(MAX(CASE WHEN successor_of IS NULL THEN at END), id) AS root FROM up GROUP BY id
)"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)


# The family of one respondent (parameter): its root, then every company down the chains from it (none when its
# chain is a cycle: then it is its own root and alone, as in ``RESPONDENT_ROOTS``).
RESPONDENT_FAMILY = f"""WITH RECURSIVE {roots_of("%s")},
family(id) AS (
    SELECT root FROM roots
    UNION
    SELECT r.id FROM cases_respondent r JOIN family ON r.successor_of_id = family.id
    WHERE EXISTS (SELECT 1 FROM up WHERE up.successor_of IS NULL)
)
SELECT id FROM family"""  # noqa: S608 (SQL built from our own fragments and table names; values are parameters)
