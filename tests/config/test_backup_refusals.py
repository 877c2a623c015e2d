"""A restore refuses, before changing anything, a backup it cannot trust or a target it would wipe unasked."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from tests.factories import ClaimantFactory

from .backup_support import file_hashes, run_backup, run_restore, table_counts

# A refusal only reads: each test runs in its own transaction, on a copy of one backup made for the module.
pytestmark = pytest.mark.django_db

EVIDENCE = "evidence/3f/3f2a9c0d4b5e6f708192a3b4c5d6e7f8.pdf"


def _private_file(root: Path) -> Path:
    (root / EVIDENCE).parent.mkdir(parents=True)
    (root / EVIDENCE).write_bytes(b"%PDF-1.7 a payslip")
    return root


@pytest.fixture(scope="module")
def pristine_backup(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """One real backup of the (migrated, otherwise empty) test database and a private file, made outside any test's
    transaction, as `manage.py backup` runs."""
    root = tmp_path_factory.mktemp("pristine")
    private = _private_file(root / "private")
    with django_db_blocker.unblock(), override_settings(PRIVATE_STORAGE_ROOT=private, BACKUP_ROOT=root / "backups"):
        return run_backup()[0]


@pytest.fixture
def backup(pristine_backup, settings, tmp_path) -> Path:
    """A copy of the backup to damage, and a site that is not empty: a worker's row and a private file."""
    settings.PRIVATE_STORAGE_ROOT = _private_file(tmp_path / "private")
    ClaimantFactory()
    return Path(shutil.copytree(pristine_backup, tmp_path / pristine_backup.name))


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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_restore --clean drops only what the dump holds")
def test_a_postgresql_database_with_tables_the_backup_lacks_is_refused_even_with_yes(backup):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE cases_from_a_newer_migration (id integer)")

    message = _refused(backup, "--yes")

    assert "tables the backup lacks (cases_from_a_newer_migration)" in message
