"""``manage.py backup [--output DIR]``: the database and the private files in one directory, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.backup.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or a SQLite copy) and PRIVATE_STORAGE_ROOT into a new "
        "directory named by the UTC time, with a manifest of SHA-256 sums. Encrypted fields stay encrypted: keep "
        "FIELD_ENCRYPTION_KEYS and SECRET_KEY elsewhere (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Directory to write the backup into (default: BACKUP_ROOT).")

    def handle(self, *args, output: Path | None = None, **options):
        try:
            result = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            f"Backup written to {result.path}\n"
            f"  database: {manifest.vendor}, {len(manifest.tables)} tables, {sum(manifest.tables.values())} rows\n"
            f"  files: {len(manifest.private_files)} private files\n"
            f"  size: {manifest.size / 1_000_000:.1f} MB in {result.seconds:.1f} s"
        )
        self.stdout.write(
            "It holds encrypted fields as ciphertext: keep FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY and SECRET_KEY in a "
            "separate secret store. Copy the directory off this machine, encrypted."
        )
        # The path alone on the last line, for scripts: `dir=$(manage.py backup | tail -1)`.
        self.stdout.write(str(result.path))
