"""The restore drill: seed, back up, lose everything, restore, and find the same rows, files and decrypted values.

It runs on the database of the test session: PostgreSQL (pg_dump / pg_restore against the test database) in CI's
second pass, SQLite (the online backup API) in the fast pass. The commands run against committed data
(``transactional_db``); a failed drill re-creates the tables so the tests after it still have a database.
"""

import time

import pytest
from django.core.management import call_command
from django.db import connection

from claimants.models import Claimant
from documents.models import EvidenceFile

from .backup_support import (
    decrypted_values,
    drop_everything,
    file_hashes,
    run_backup,
    run_restore,
    seed,
    table_counts,
)

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL drill (CI's second pass)")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite drill (the fast pass)")


@pytest.fixture
def site(settings, tmp_path, transactional_db):
    """Private storage and backups in the test's own directory; the tables re-created if a drill dies mid-way."""
    assert settings.DATABASES["default"]["NAME"].startswith(("test_", "file:memorydb")), "not the test database"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.BACKUP_ROOT = tmp_path / "backups"
    yield settings
    if "django_migrations" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


def _drill(site, make_case, administrator):
    storage = site.PRIVATE_STORAGE_ROOT
    seed(make_case, administrator)
    counts, hashes, values = table_counts(), file_hashes(storage), decrypted_values()
    assert counts["cases_case"] == 3 and counts["claimants_contactchannel"] == 6
    assert len(hashes) == 7  # two PDFs, two photos and their copies without metadata, a filing
    assert all(row[2] for row in values["claimants"])  # every worker has an identity document number
    with connection.cursor() as cursor:  # stored as ciphertext, which the backup keeps as it is
        cursor.execute("SELECT id, id_document_number FROM claimants_claimant")
        stored = dict(cursor.fetchall())
    assert all(row[2] not in stored[row[0]] for row in values["claimants"])

    backup, _ = run_backup()
    drop_everything(storage)
    started = time.monotonic()
    output = run_restore(backup)  # an empty database: no --yes needed
    seconds = time.monotonic() - started

    assert "Every table's row count matches the manifest." in output
    assert table_counts() == counts
    assert file_hashes(storage) == hashes
    assert decrypted_values() == values
    for evidence in EvidenceFile.objects.all():  # the rows and the files still agree
        assert file_hashes(storage)[f"evidence/{evidence.storage_name}"] == evidence.sha256
    assert Claimant.objects.count() == 3
    assert seconds < 30


@on_postgresql
def test_the_postgresql_drill_restores_a_dropped_schema_and_deleted_files_to_the_same_rows_files_and_values(
    site, make_case, administrator
):
    _drill(site, make_case, administrator)


@on_sqlite
def test_the_sqlite_drill_restores_dropped_tables_and_deleted_files_to_the_same_rows_files_and_values(
    site, make_case, administrator
):
    _drill(site, make_case, administrator)


def test_restore_with_yes_over_a_changed_site_puts_back_exactly_what_was_backed_up(site, make_case, administrator):
    storage = site.PRIVATE_STORAGE_ROOT
    seed(make_case, administrator)
    counts, hashes, values = table_counts(), file_hashes(storage), decrypted_values()
    backup, _ = run_backup()

    claimant = Claimant.objects.order_by("pk").first()
    claimant.id_document_number = "CHANGED-AFTER-THE-BACKUP"
    claimant.save(update_fields=["id_document_number"])
    make_case()
    evidence = EvidenceFile.objects.order_by("pk").first()
    (storage / "evidence" / evidence.storage_name).unlink()
    (storage / "evidence" / "stray.bin").write_bytes(b"written after the backup")

    output = run_restore(backup, "--yes")

    assert "Every table's row count matches the manifest." in output
    assert table_counts() == counts
    assert file_hashes(storage) == hashes
    assert decrypted_values() == values
