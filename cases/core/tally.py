"""Case counts that do not walk the cases: the tally of (office, assignee, stage) kept by database triggers.

Why: at 1M cases, counting an office's open cases on every Home view took 90–120 ms, and counting every staff
member's open cases for the assignment suggestions 200 ms; both grew with the table. The tally has a few rows per
(office, person, stage), whatever the number of cases.

How: triggers on ``cases_case`` append ``+n`` / ``-n`` rows to ``cases_casetally`` on insert, delete and on an
update that moves a case between (office, assignee, stage); PostgreSQL uses statement-level triggers with
transition tables (one row per key per statement, so a bulk insert of a million cases adds a few hundred rows),
SQLite row-level ones. Appending, never updating, means two transactions never wait on the same counter row.
``compact`` (beat, every ``CASE_TALLY_COMPACT_SECONDS``) folds each key's rows into one.

The triggers are (re)installed, and the tally recounted from the cases, after every ``migrate`` (and ``flush``):
SQLite drops a table's triggers when a migration rebuilds the table, and a recount makes the tally right whatever
happened before. ``tests/core/test_case_tally.py`` checks the counts against the cases after every kind of write.
"""

from collections import defaultdict

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from cases.core.models import CaseTally
from cases.core.stages import Stage

NOBODY = 0  # assignee_id of a case nobody is assigned to (the SQL below writes it as 0)

_POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION cases_case_tally() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO cases_casetally (office_id, assignee_id, stage, n)
            SELECT office_id, COALESCE(assigned_to_id, 0), stage, COUNT(*) FROM new_rows GROUP BY 1, 2, 3;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO cases_casetally (office_id, assignee_id, stage, n)
            SELECT office_id, COALESCE(assigned_to_id, 0), stage, -COUNT(*) FROM old_rows GROUP BY 1, 2, 3;
        ELSE
            INSERT INTO cases_casetally (office_id, assignee_id, stage, n)
            SELECT office_id, assignee_id, stage, SUM(n) FROM (
                SELECT office_id, COALESCE(assigned_to_id, 0) AS assignee_id, stage, 1 AS n FROM new_rows
                UNION ALL
                SELECT office_id, COALESCE(assigned_to_id, 0), stage, -1 FROM old_rows
            ) AS moved
            GROUP BY 1, 2, 3 HAVING SUM(n) <> 0;
        END IF;
        RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS cases_case_tally_insert ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_tally_update ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_tally_delete ON cases_case",
    "CREATE TRIGGER cases_case_tally_insert AFTER INSERT ON cases_case REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION cases_case_tally()",
    "CREATE TRIGGER cases_case_tally_update AFTER UPDATE ON cases_case"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_case_tally()",
    "CREATE TRIGGER cases_case_tally_delete AFTER DELETE ON cases_case REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION cases_case_tally()",
]

_SQLITE = [
    "DROP TRIGGER IF EXISTS cases_case_tally_insert",
    "DROP TRIGGER IF EXISTS cases_case_tally_update",
    "DROP TRIGGER IF EXISTS cases_case_tally_delete",
    """
    CREATE TRIGGER cases_case_tally_insert AFTER INSERT ON cases_case BEGIN
        INSERT INTO cases_casetally (office_id, assignee_id, stage, n)
        VALUES (NEW.office_id, COALESCE(NEW.assigned_to_id, 0), NEW.stage, 1);
    END
    """,
    """
    CREATE TRIGGER cases_case_tally_update AFTER UPDATE OF office_id, assigned_to_id, stage ON cases_case
    WHEN OLD.office_id IS NOT NEW.office_id OR OLD.assigned_to_id IS NOT NEW.assigned_to_id
        OR OLD.stage IS NOT NEW.stage
    BEGIN
        INSERT INTO cases_casetally (office_id, assignee_id, stage, n)
        VALUES (OLD.office_id, COALESCE(OLD.assigned_to_id, 0), OLD.stage, -1),
               (NEW.office_id, COALESCE(NEW.assigned_to_id, 0), NEW.stage, 1);
    END
    """,
    """
    CREATE TRIGGER cases_case_tally_delete AFTER DELETE ON cases_case BEGIN
        INSERT INTO cases_casetally (office_id, assignee_id, stage, n)
        VALUES (OLD.office_id, COALESCE(OLD.assigned_to_id, 0), OLD.stage, -1);
    END
    """,
]

_RECOUNT = (
    "INSERT INTO cases_casetally (office_id, assignee_id, stage, n)"
    " SELECT office_id, COALESCE(assigned_to_id, 0), stage, COUNT(*) FROM cases_case GROUP BY 1, 2, 3"
)


def install(using: str = "default") -> None:
    """(Re)create the triggers and recount the tally from the cases, in one transaction."""
    with transaction.atomic(using=using):
        connection = transaction.get_connection(using)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Writers wait for the recount (a few hundred ms at 1M cases) instead of being counted twice or not.
                cursor.execute("LOCK TABLE cases_case IN SHARE ROW EXCLUSIVE MODE")
                statements = _POSTGRESQL
            elif connection.vendor == "sqlite":
                statements = _SQLITE
            else:  # pragma: no cover - the project runs on PostgreSQL or SQLite
                raise NotImplementedError(connection.vendor)
            for statement in statements:
                cursor.execute(statement)
            cursor.execute("DELETE FROM cases_casetally")
            cursor.execute(_RECOUNT)


def uninstall(using: str = "default") -> None:
    """Drop the triggers (migrating back to before the tally: they would write to a table that is gone)."""
    connection = transaction.get_connection(using)
    with connection.cursor() as cursor:
        suffix = " ON cases_case" if connection.vendor == "postgresql" else ""
        for name in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER IF EXISTS cases_case_tally_{name}{suffix}")


def installed_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (connected once, for the cases app): the triggers and a fresh count (migration 0028
    installs them too; this puts back what a later table rebuild dropped). Without the tally's table (a migration
    back), the triggers go."""
    tables = set(transaction.get_connection(using).introspection.table_names())
    if {"cases_case", "cases_casetally"} <= tables:
        install(using)
    elif "cases_case" in tables:
        uninstall(using)


def compact() -> int:
    """Fold each key's rows into one (a zero sum leaves none). Returns how many rows it removed.

    DELETE ... RETURNING takes exactly the rows it folds: a row a trigger appends meanwhile (another transaction) is
    not among them and stays, so nothing is lost or counted twice.
    """
    with transaction.atomic():
        with default_connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_casetally RETURNING office_id, assignee_id, stage, n")
            taken = cursor.fetchall()
        sums: dict[tuple[int, int, str], int] = defaultdict(int)
        for office_id, assignee_id, stage, n in taken:
            sums[(office_id, assignee_id, stage)] += n
        kept = [
            CaseTally(office_id=office_id, assignee_id=assignee_id, stage=stage, n=n)
            for (office_id, assignee_id, stage), n in sorted(sums.items())
            if n
        ]
        CaseTally.objects.bulk_create(kept)
    return len(taken) - len(kept)


_OPEN = ~Q(stage=Stage.CLOSED)


def home_figures(user) -> dict[str, int]:
    """Open cases the user may see (``open``), those assigned to the user (``mine``) and those of them nobody is
    assigned to (``unassigned``): what ``Case.objects.visible_to(user)`` would count, in one query on the tally.

    The same rule as ``visible_to`` (every office, or the own office plus the cases assigned to the user), read on
    the tally's keys; ``tests/core/test_case_tally.py`` compares both for every kind of user, so a change to one
    that is not made to the other fails there."""
    mine = Q(assignee_id=user.pk)
    if user.sees_all_offices:
        visible = Q()
    elif user.office_id is None:
        visible = mine
    else:
        visible = Q(office_id=user.office_id) | mine
    figures = CaseTally.objects.filter(_OPEN, visible).aggregate(
        mine=Sum("n", filter=mine), unassigned=Sum("n", filter=Q(assignee_id=NOBODY)), open=Sum("n")
    )
    return {name: figures[name] or 0 for name in ("mine", "unassigned", "open")}


def open_cases_of() -> Coalesce:
    """How many open cases the outer query's user (annotate a User queryset with it) is
    assigned to, across every office: a subquery on the tally's assignee index."""
    total = (
        CaseTally.objects.filter(_OPEN, assignee_id=OuterRef("pk"))
        .order_by()
        .values("assignee_id")
        .annotate(total=Sum("n"))
        .values("total")
    )
    return Coalesce(Subquery(total), 0)
