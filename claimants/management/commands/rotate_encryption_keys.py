"""``manage.py rotate_encryption_keys``: move every encrypted value to the newest key (docs/security.md).

rotate_encryption_keys --status          how many values of each field are on each key id
rotate_encryption_keys --dry-run         how many rows a run would rewrite
rotate_encryption_keys [--batch-size N]  rewrite them, N rows per transaction; safe to stop and run again
rotate_encryption_keys --reindex         recompute the blind indexes after BLIND_INDEX_KEY changed
"""

import time

from django.core.management.base import BaseCommand, CommandError

from claimants import rotation
from claimants.fields import keyring


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest FIELD_ENCRYPTION_KEYS key, in resumable batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per transaction (default 1,000).")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--dry-run", action="store_true", help="Count the rows a run would rewrite; write none.")
        action.add_argument("--status", action="store_true", help="Count the stored values on each key id.")
        action.add_argument(
            "--reindex", action="store_true", help="Recompute the blind indexes with the current BLIND_INDEX_KEY."
        )

    def handle(self, *args, batch_size: int, dry_run: bool, status: bool, reindex: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        keys = keyring()
        self.stdout.write(f"Keys, newest first: {', '.join(key.id for key in keys)}")
        if status:
            self._status({key.id for key in keys})
            return
        if dry_run:
            for model, rows in rotation.pending().items():
                self.stdout.write(f"  {model._meta.label:<28} {rows:>10,} rows to re-encrypt with {keys[0].id}")
            return
        started = time.perf_counter()
        try:
            if reindex:
                written = rotation.reindex(batch_size=batch_size, report=self._progress)
            else:
                written = rotation.rotate(batch_size=batch_size, report=self._progress)
        except KeyboardInterrupt:
            raise CommandError("Stopped: the batches done are kept; run the command again to finish.") from None
        elapsed = time.perf_counter() - started
        rate = written / elapsed if elapsed else 0
        what = "blind indexes recomputed" if reindex else f"rows re-encrypted with {keys[0].id}"
        self.stdout.write(self.style.SUCCESS(f"{written:,} {what} in {elapsed:.1f} s ({rate:,.0f} rows/s)."))

    def _progress(self, progress: rotation.Progress) -> None:
        self.stdout.write(f"  {progress.model._meta.label:<28} {progress.done:>10,} / {progress.total:,}")

    def _status(self, configured: set[str]) -> None:
        for label, field, key_id, rows in rotation.key_ids_in_use():
            note = "" if key_id in configured else "  <- not in FIELD_ENCRYPTION_KEYS"
            if key_id == rotation.NO_KEY_ID:
                note = "  <- written before key ids; any configured key may decrypt it"
            self.stdout.write(f"  {label + '.' + field:<52} {key_id:<14} {rows:>10,}{note}")
