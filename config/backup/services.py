"""Make a backup, and restore one: the work behind ``manage.py backup`` and ``manage.py restore``.

A backup is one directory, ``redress-backup-<UTC time>``, readable by its owner only:

    database.dump | database.sqlite3   pg_dump's custom format, or a SQLite copy made with the online backup API
    files/...                          everything under PRIVATE_STORAGE_ROOT (evidence, filings, statistics reports)
    manifest.json                      vendor, app version, migration state, rows per table, each file's SHA-256

It holds encrypted fields as ciphertext: without FIELD_ENCRYPTION_KEYS and SECRET_KEY, kept elsewhere, nobody can
read them from it (docs/operations.md). This lives in ``config``, the layer above every app, because it copies every
app's tables and every storage root, and knows none of their models.
"""

import logging
import shutil
import subprocess
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from . import database, files
from .manifest import DATABASE_FILES, BackupError, FileEntry, Manifest, hash_file, read_manifest, verify, write_manifest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    seconds: float
    # Tables whose row count differs from the manifest's: {table: (in the manifest, after the restore or None)}.
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    pending_migrations: int = 0


def _app_version() -> tuple[str | None, str | None]:
    """The project's version (pyproject.toml) and git commit, when they can be known."""
    try:
        version = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        version = None
    commit = None
    git = shutil.which("git")
    if git:
        try:
            answer = subprocess.run(  # noqa: S603 (git by its full path, fixed arguments)
                [git, "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            answer = None
        if answer is not None and answer.returncode == 0:
            commit = answer.stdout.strip() or None
    return version, commit


def _refuse_overlap(output: Path, storage: Path) -> None:
    output, storage = output.resolve(), storage.resolve()
    if output == storage or storage in output.parents or output in storage.parents:
        raise BackupError("The backup directory must be outside PRIVATE_STORAGE_ROOT (and not contain it).")


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Back up the database and the private files into a new directory under ``output`` (default BACKUP_ROOT).

    The directory is written as ``.<name>.partial`` and renamed when complete, so a backup that exists is whole.
    The database is copied first, then the files: every file a row of the dump points to already existed then.
    """
    started = time.monotonic()
    output = Path(output or settings.BACKUP_ROOT)
    storage = Path(settings.PRIVATE_STORAGE_ROOT)
    _refuse_overlap(output, storage)
    created_at = datetime.now(tz=UTC)
    name = f"redress-backup-{created_at:%Y%m%dT%H%M%SZ}"
    final, partial = output / name, output / f".{name}.partial"
    if final.exists():
        raise BackupError(f"{final} already exists; wait a second and run again.")
    if not output.exists():
        output.mkdir(mode=0o700, parents=True)
        output.chmod(0o700)
    partial.mkdir(mode=0o700)
    partial.chmod(0o700)
    try:
        database_file = partial / DATABASE_FILES.get(database.vendor(), "database")
        state = database.dump(database_file)
        size, sha256 = hash_file(database_file)
        entries = [FileEntry(path=database_file.name, size=size, sha256=sha256)]
        entries += files.back_up(storage, partial)
        version, commit = _app_version()
        manifest = Manifest(
            created_at=created_at.isoformat(timespec="seconds"),
            vendor=database.vendor(),
            app_version=version,
            app_commit=commit,
            migrations=state.migrations,
            tables=state.tables,
            files=entries,
        )
        write_manifest(partial, manifest)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    seconds = time.monotonic() - started
    logger.info(
        "Backup %s written: %d tables, %d files, %d bytes in %.1f s",
        final.name,
        len(manifest.tables),
        len(manifest.files),
        manifest.size,
        seconds,
    )
    return BackupResult(path=final, manifest=manifest, seconds=seconds)


def backup_restore(*, path: Path, replace: bool = False) -> RestoreResult:
    """Restore the backup in ``path`` over the configured database and PRIVATE_STORAGE_ROOT.

    Refuses, before changing anything: a backup of another database vendor, any file whose SHA-256 differs from the
    manifest (naming it), a backup from code with migrations this code lacks, and — unless ``replace`` — a database
    or private storage that is not empty. Then stages the files, restores the database, swaps the files in, and
    compares every table's row count with the manifest.
    """
    started = time.monotonic()
    path = Path(path)
    manifest = read_manifest(path)
    if manifest.vendor != database.vendor():
        raise BackupError(
            f"This backup holds a {manifest.vendor} database and this site runs on {database.vendor()}: "
            "restore it on a site with the same database."
        )
    verify(path, manifest)
    unknown = database.unknown_migrations(manifest.migrations)
    if unknown:
        raise BackupError(
            f"The backup comes from newer code: this code lacks the migrations {', '.join(unknown)}. Deploy the "
            f"version it was made with ({manifest.app_commit or manifest.app_version or 'see its manifest'}) first."
        )
    storage = Path(settings.PRIVATE_STORAGE_ROOT)
    present = database.current_state().tables
    tables, rows = len(present), sum(present.values())
    extra = sorted(set(present) - set(manifest.tables))
    if extra and manifest.vendor == "postgresql":
        # pg_restore --clean drops only what the dump holds: these tables would stay, and the next migrate would fail.
        raise BackupError(
            f"The database has tables the backup lacks ({', '.join(extra[:5])}{', ...' if len(extra) > 5 else ''}): "
            "restore into an empty database instead (drop and create it)."
        )
    stored = len(files.private_files(storage))
    if (tables or stored) and not replace:
        raise BackupError(
            f"The database already has {tables} tables ({rows} rows) and private storage {stored} files; "
            "a restore replaces them all. Run again with --yes to replace them."
        )
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staging = files.stage(path, manifest.private_files, storage, stamp)
    try:
        database.restore(path / manifest.database_file)
    except BaseException:
        files.discard(staging)
        raise
    files.swap_in(staging, storage, stamp)

    after = database.current_state().tables
    mismatches = {
        table: (expected, after.get(table))
        for table, expected in manifest.tables.items()
        if after.get(table) != expected
    }
    seconds = time.monotonic() - started
    logger.info(
        "Backup %s restored: %d tables, %d files in %.1f s; %d tables differ from the manifest",
        path.name,
        len(manifest.tables),
        len(manifest.private_files),
        seconds,
        len(mismatches),
    )
    return RestoreResult(
        manifest=manifest, seconds=seconds, mismatches=mismatches, pending_migrations=database.pending_migrations()
    )
