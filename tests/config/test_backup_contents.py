"""What `manage.py backup` writes: one directory readable by its owner only, a manifest that describes every file,
table and migration, ciphertext for encrypted fields, and never the database password (on the command line of
pg_dump / pg_restore, in the output, in a log line or in the manifest)."""

import hashlib
import json
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import connection

from config.backup import database
from tests.factories import ClaimantFactory
from tests.log_capture import every_log_record

from .backup_support import run_backup, run_restore, table_counts

pytestmark = pytest.mark.django_db(transaction=True)

EVIDENCE = "evidence/3f/3f2a9c0d4b5e6f708192a3b4c5d6e7f8.pdf"
PASSWORD = "canary-db-password-5c1e9b"  # a canary, not a secret
needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump / pg_restore: PostgreSQL")


@pytest.fixture
def storage(settings, tmp_path) -> Path:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.BACKUP_ROOT = tmp_path / "backups"
    (settings.PRIVATE_STORAGE_ROOT / EVIDENCE).parent.mkdir(parents=True)
    (settings.PRIVATE_STORAGE_ROOT / EVIDENCE).write_bytes(b"%PDF-1.7 a payslip")
    return settings.PRIVATE_STORAGE_ROOT


def test_a_backup_is_one_directory_named_by_utc_time_readable_by_its_owner_only(storage, settings):
    ClaimantFactory(id_document_number="P1234567")

    backup, output = run_backup()

    assert backup.parent == settings.BACKUP_ROOT
    assert backup.name.startswith("redress-backup-20") and backup.name.endswith("Z")
    assert list(settings.BACKUP_ROOT.iterdir()) == [backup]  # no partial directory left behind
    for path in [backup, *backup.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    assert "keep FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY and SECRET_KEY in a separate secret store" in output
    # Encrypted fields are in the backup as the database holds them: ciphertext.
    assert b"P1234567" not in b"".join(path.read_bytes() for path in backup.rglob("*") if path.is_file())


def test_the_manifest_lists_every_file_with_its_sha256_every_table_with_its_rows_and_the_migration_state(storage):
    ClaimantFactory.create_batch(3)

    backup, _ = run_backup()
    manifest = json.loads((backup / "manifest.json").read_text())

    database_file = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}[connection.vendor]
    on_disk = sorted(path.relative_to(backup).as_posix() for path in backup.rglob("*") if path.is_file())
    assert sorted(entry["path"] for entry in manifest["files"]) == sorted([database_file, f"files/{EVIDENCE}"])
    assert on_disk == sorted([database_file, f"files/{EVIDENCE}", "manifest.json"])
    for entry in manifest["files"]:
        content = (backup / entry["path"]).read_bytes()
        assert entry["size"] == len(content) and entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"] == table_counts() and manifest["tables"]["claimants_claimant"] == 3
    assert manifest["migrations"]["cases"] >= "0023" and manifest["migrations"]["contenttypes"].startswith("0002")
    assert manifest["app_version"] == "0.1.0" and manifest["created_at"].endswith("+00:00")
    assert manifest["format"] == 1


def test_a_backup_directory_inside_private_storage_is_refused(storage):
    with pytest.raises(CommandError, match="outside PRIVATE_STORAGE_ROOT"):
        run_backup("--output", str(storage / "backups"))


@needs_postgresql
def test_the_database_password_reaches_pg_dump_and_pg_restore_only_through_their_environment(
    storage, monkeypatch, settings
):
    ClaimantFactory()
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", PASSWORD)  # the CI role trusts; any password works
    calls = []
    real_run = subprocess.run

    def spy(arguments, **kwargs):
        calls.append((arguments, kwargs.get("env") or {}))
        return real_run(arguments, **kwargs)

    monkeypatch.setattr(database.subprocess, "run", spy)

    with every_log_record() as logs:
        backup, backup_output = run_backup()
        restore_output = run_restore(backup, "--yes")

    tools = [(arguments, env) for arguments, env in calls if Path(arguments[0]).name.startswith("pg_")]
    assert [Path(arguments[0]).name for arguments, _ in tools] == ["pg_dump", "pg_restore"]
    assert all(env["PGPASSWORD"] == PASSWORD for _, env in tools)
    assert not any(PASSWORD in str(argument) for arguments, _ in calls for argument in arguments)
    assert PASSWORD not in backup_output + restore_output
    assert not any(PASSWORD in line for line in logs.lines)
    assert PASSWORD not in (backup / "manifest.json").read_text()
    assert "Every table's row count matches the manifest." in restore_output


@needs_postgresql
def test_a_backup_that_cannot_reach_the_database_says_so_without_the_password(storage, monkeypatch, settings):
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", PASSWORD)
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")  # nothing listens there

    with every_log_record() as logs, pytest.raises(CommandError) as refusal:
        run_backup()

    assert "Could not read the database" in str(refusal.value)
    assert PASSWORD not in str(refusal.value)
    assert not any(PASSWORD in line for line in logs.lines)
    assert list(settings.BACKUP_ROOT.iterdir()) == []  # the partial backup was removed


@pytest.mark.django_db(transaction=False)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API")
def test_a_sqlite_backup_inside_a_transaction_is_refused_rather_than_waiting_forever_for_its_own_lock(storage):
    with pytest.raises(CommandError, match="cannot run inside a transaction"):
        run_backup()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API")
def test_a_sqlite_backup_blocked_by_another_process_lock_gives_up_and_says_what_to_do(storage, monkeypatch, settings):
    monkeypatch.setattr(database, "SQLITE_LOCK_WAIT_SECONDS", 0.5)
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("DELETE FROM django_session")
    try:
        with pytest.raises(CommandError, match=r"waited 0\.5 s for another process's lock"):
            run_backup()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert list(settings.BACKUP_ROOT.iterdir()) == []
