"""A restore refuses, before changing anything, a backup it cannot trust or a target it would wipe unasked."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import ClaimantFactory

from .backup_support import file_hashes, run_backup, run_restore, table_counts

# The commands run as an operator runs them, on committed data (a SQLite backup cannot run inside a transaction).
pytestmark = pytest.mark.django_db(transaction=True)

EVIDENCE = "evidence/3f/3f2a9c0d4b5e6f708192a3b4c5d6e7f8.pdf"


@pytest.fixture
def storage(settings, tmp_path) -> Path:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.BACKUP_ROOT = tmp_path / "backups"
    (settings.PRIVATE_STORAGE_ROOT / EVIDENCE).parent.mkdir(parents=True)
    (settings.PRIVATE_STORAGE_ROOT / EVIDENCE).write_bytes(b"%PDF-1.7 a payslip")
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def backup(storage) -> Path:
    ClaimantFactory()
    return run_backup()[0]


def _manifest(backup: Path) -> dict:
    return json.loads((backup / "manifest.json").read_text())


def _rewrite_manifest(backup: Path, **changes) -> None:
    (backup / "manifest.json").write_text(json.dumps({**_manifest(backup), **changes}))


def _refused(backup: Path, *args: str) -> str:
    """Run restore expecting a refusal; returns its message after checking that nothing was touched."""
    storage = Path(settings.PRIVATE_STORAGE_ROOT)
    counts, hashes = table_counts(), file_hashes(storage)
    with pytest.raises(CommandError) as refusal:
        run_restore(backup, *args)
    assert table_counts() == counts
    assert file_hashes(storage) == hashes
    return str(refusal.value)


def test_a_private_file_changed_after_the_backup_is_named_and_nothing_is_restored(backup):
    damaged = backup / "files" / EVIDENCE
    damaged.write_bytes(damaged.read_bytes().replace(b"payslip", b"PAYSLIP"))

    message = _refused(backup, "--yes")

    assert f"files/{EVIDENCE} is damaged" in message


def test_a_damaged_database_file_is_named_and_refused(backup):
    database_file = next(backup.glob("database.*"))
    with database_file.open("ab") as out:
        out.write(b"\0")

    assert f"{database_file.name} is damaged" in _refused(backup, "--yes")


def test_a_file_missing_from_the_backup_is_named_and_refused(backup):
    (backup / "files" / EVIDENCE).unlink()

    assert f"files/{EVIDENCE} is missing" in _refused(backup, "--yes")


def test_a_manifest_that_is_not_json_is_refused(backup):
    (backup / "manifest.json").write_text('{"format": 1, "vendor": ')

    assert "manifest.json is damaged" in _refused(backup, "--yes")


def test_a_directory_without_a_manifest_is_not_a_backup(backup):
    (backup / "manifest.json").unlink()

    assert "manifest.json is missing" in _refused(backup, "--yes")


@pytest.mark.parametrize("path", ["../../outside.txt", "/etc/cron.d/job", "files/../../outside", "files", "notes.txt"])
def test_a_manifest_naming_a_file_outside_the_backup_is_refused(backup, path):
    manifest = _manifest(backup)
    _rewrite_manifest(backup, files=[*manifest["files"], {"path": path, "size": 1, "sha256": "0" * 64}])

    assert f"outside the backup ({path!r})" in _refused(backup, "--yes")


def test_a_database_or_storage_that_is_not_empty_is_refused_without_yes(backup):
    message = _refused(backup)

    assert "already has" in message and "Run again with --yes" in message


def test_a_backup_of_another_database_vendor_is_refused(backup):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    _rewrite_manifest(backup, vendor=other)

    message = _refused(backup, "--yes")

    assert f"holds a {other} database and this site runs on {connection.vendor}" in message


def test_a_backup_from_code_with_migrations_this_code_lacks_is_refused(backup):
    manifest = _manifest(backup)
    _rewrite_manifest(backup, migrations={**manifest["migrations"], "cases": "9999_from_the_future"})

    assert "lacks the migrations cases.9999_from_the_future" in _refused(backup, "--yes")
