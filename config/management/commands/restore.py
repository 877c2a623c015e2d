"""``manage.py restore BACKUP [--yes]``: check a backup's every hash, then put its database and files back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.backup.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: verifies every SHA-256 in its manifest first, refuses a backup "
        "of another database vendor, and refuses to replace a database or private storage that is not empty "
        "without --yes. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup's directory (redress-backup-<time>).")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the database and private files even if they are not empty."
        )

    def handle(self, *args, backup: Path, yes: bool = False, **options):
        try:
            result = backup_restore(path=backup, replace=yes)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            f"Restored {backup.name} (made {manifest.created_at}, {manifest.vendor}, "
            f"version {manifest.app_version or '?'} {(manifest.app_commit or '')[:12]})\n"
            f"  database: {len(manifest.tables)} tables, {sum(manifest.tables.values())} rows\n"
            f"  files: {len(manifest.private_files)} private files\n"
            f"  time: {result.seconds:.1f} s"
        )
        if result.pending_migrations:
            self.stdout.write(
                f"This code has {result.pending_migrations} migrations the backup's database has not applied: "
                "run `manage.py migrate`."
            )
        if result.mismatches:
            for table, (expected, found) in sorted(result.mismatches.items()):
                self.stderr.write(f"  {table}: {expected} rows in the manifest, {found} after the restore")
            raise CommandError(f"{len(result.mismatches)} tables differ from the backup's manifest.")
        self.stdout.write("Every table's row count matches the manifest.")
