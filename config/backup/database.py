"""The database half of a backup: PostgreSQL through pg_dump / pg_restore, SQLite through its online backup API.

Both copies are consistent while the site keeps writing. On PostgreSQL a read-only REPEATABLE READ transaction
exports its snapshot and pg_dump reads that same snapshot (``--snapshot``), so the row counts and migration state
in the manifest describe exactly the rows in the dump. On SQLite, ``sqlite3.Connection.backup`` copies the database
page by page under SQLite's own locking (a file copy could catch a half-written page or miss the WAL), and the
counts are read from the copy.

Connection details go to pg_dump and pg_restore through libpq's environment variables (``PGPASSWORD`` ...), never
on a command line (which every user of the machine can read in the process list) and never in a message.
"""

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from .manifest import BackupError, open_private

# settings.DATABASES keys and OPTIONS that libpq reads from the environment.
LIBPQ_SETTINGS = {"NAME": "PGDATABASE", "USER": "PGUSER", "PASSWORD": "PGPASSWORD", "HOST": "PGHOST", "PORT": "PGPORT"}
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
# SQLite's backup API waits (without end) while another connection holds a lock it needs; this long, then give up.
SQLITE_LOCK_WAIT_SECONDS = 60
# Lines of a failing tool's error output shown to the operator (a failed COPY can quote a row: keep it short).
ERROR_LINES = 12


@dataclass(frozen=True)
class DatabaseState:
    """What the manifest records about a database: rows per table and the last applied migration of each app."""

    tables: dict[str, int]
    migrations: dict[str, str]


def connection():
    return connections[DEFAULT_DB_ALIAS]


def vendor() -> str:
    return connection().vendor


def _table_names(cursor, vendor_name: str) -> list[str]:
    if vendor_name == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'")
    return sorted(name for (name,) in cursor.fetchall())


def _state(cursor, vendor_name: str) -> DatabaseState:
    """Rows per table and the migration state, read through ``cursor`` (a DB-API cursor of either vendor)."""
    tables = {}
    for table in _table_names(cursor, vendor_name):
        quoted = '"{}"'.format(table.replace('"', '""'))
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 (a table name read from the catalog, quoted) # nosec B608
        tables[table] = cursor.fetchone()[0]
    migrations: dict[str, str] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            migrations[app] = max(name, migrations.get(app, name))
    return DatabaseState(tables=tables, migrations=migrations)


def current_state() -> DatabaseState:
    """The configured database's rows per table and migration state (after a restore, to compare)."""
    with connection().cursor() as cursor:
        return _state(cursor, vendor())


def libpq_environment(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in LIBPQ_SETTINGS.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for key, variable in LIBPQ_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(key):
            env[variable] = str(settings_dict["OPTIONS"][key])
    return env


def _run_tool(tool: str, arguments: list[str], *, stdout=subprocess.DEVNULL) -> None:
    """Run pg_dump or pg_restore against the configured database; a failure is a BackupError with its last lines."""
    settings_dict = connection().settings_dict
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} was not found: install the PostgreSQL client of the server's version or newer.")
    result = subprocess.run(  # noqa: S603 (a fixed tool and our own arguments; no shell)
        [executable, "--no-password", *arguments],
        env=libpq_environment(settings_dict),
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
    )
    if result.returncode != 0:
        last_lines = "\n".join(result.stderr.decode(errors="replace").strip().splitlines()[-ERROR_LINES:])
        raise BackupError(f"{tool} failed (exit status {result.returncode}):\n{_redacted(last_lines)}")


def _redacted(message: str) -> str:
    """A tool's or driver's message without the database password, should one ever quote it."""
    password = connection().settings_dict.get("PASSWORD")
    return message.replace(str(password), "[password]") if password else message


def _give_up_waiting(what: str):
    """A progress callback for ``sqlite3.Connection.backup`` that stops waiting for locks after a while."""
    deadline = time.monotonic() + SQLITE_LOCK_WAIT_SECONDS

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(
                f"The SQLite {what} waited {SQLITE_LOCK_WAIT_SECONDS} s for another process's lock: stop the web and "
                "worker processes and run it again."
            )

    return progress


@contextmanager
def _postgresql_snapshot() -> Iterator[tuple[str, object]]:
    """A read-only REPEATABLE READ transaction on a connection of its own, and the id of its exported snapshot."""
    own = connection().copy()
    try:
        with own.cursor() as cursor:
            # The connection is in autocommit mode: this BEGIN opens the transaction the snapshot belongs to.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor.fetchone()[0], cursor
            cursor.execute("ROLLBACK")
    finally:
        own.close()


def dump(target: Path) -> DatabaseState:
    """Write the configured database to ``target`` (0600) and return its state at the moment of the copy."""
    if vendor() == "postgresql":
        try:
            with _postgresql_snapshot() as (snapshot, cursor), open_private(target) as out:
                _run_tool("pg_dump", ["--format=custom", f"--snapshot={snapshot}"], stdout=out)
                return _state(cursor, "postgresql")
        except DatabaseError as exc:
            raise BackupError(f"Could not read the database: {_redacted(str(exc))}") from exc
    if vendor() == "sqlite":
        live = connection()
        if live.in_atomic_block:
            # The backup API would wait forever for the lock this very connection holds.
            raise BackupError("A SQLite backup cannot run inside a transaction.")
        live.ensure_connection()
        open_private(target).close()
        with closing(sqlite3.connect(target)) as copy:
            live.connection.backup(copy, progress=_give_up_waiting("backup"))
            # The copy inherits WAL mode from the live file; reading it would then leave -wal/-shm files beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            return _state(copy.cursor(), "sqlite")
    raise BackupError(f"Backups of {vendor()} databases are not supported (PostgreSQL or SQLite).")


def restore(source: Path) -> None:
    """Replace the configured database with the one in ``source``.

    PostgreSQL: pg_restore in one transaction (a failure leaves the database as it was), dropping each object of the
    dump first (``--clean --if-exists``), owned by the connecting role (``--no-owner``), without the source's grants
    (``--no-acl``: its roles may not exist here). SQLite: the backup API copies ``source`` into the live database,
    under SQLite's locks, so processes that have the file open see the new contents (replacing the file under them
    would leave them on the old one, and an old WAL file beside the new database).
    """
    live = connection()
    if live.vendor == "postgresql":
        name = live.settings_dict["NAME"]
        _run_tool(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                f"--dbname={name}",
                str(source),
            ],
        )
    else:
        live.ensure_connection()
        try:
            with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup:
                backup.backup(live.connection, progress=_give_up_waiting("restore"))
        except sqlite3.Error as exc:
            raise BackupError(f"SQLite could not restore {source.name}: {exc}") from exc


def unknown_migrations(migrations: dict[str, str]) -> list[str]:
    """Migrations the backup's database has applied that this code does not have (the backup is from newer code)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(
        f"{app}.{name}"
        for app, name in migrations.items()
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations
    )


def pending_migrations() -> int:
    """How many of this code's migrations the (restored) database has not applied yet."""
    executor = MigrationExecutor(connection())
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
