"""``manage.py retention --dry-run`` reports what the retention sweep would anonymise; without it, runs the sweep.

Output: counts per office, the oldest close date and case ids — never a name or a reference.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.retention.services import retention_report, retention_sweep


class Command(BaseCommand):
    help = "Anonymise closed cases past their retention period (--dry-run: only report what would be)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be anonymised; change nothing.")
        parser.add_argument("--batch-size", type=int, default=None, help="Cases per batch (RETENTION_BATCH_SIZE).")

    def handle(self, *args, dry_run: bool = False, batch_size: int | None = None, **options):
        now = timezone.now()
        if not settings.RETENTION_DAYS_AFTER_CLOSE:
            self.stdout.write("Retention is off (RETENTION_DAYS_AFTER_CLOSE is 0 or empty): nothing is due.")
            return
        report = retention_report(now)
        self.stdout.write(
            f"Retention: {report.days} days after closing (offices may set their own). "
            f"{report.total} case(s) due as of {now:%Y-%m-%d %H:%M} UTC."
        )
        for office in report.offices:
            self.stdout.write(
                f"  office {office.office_id} ({office.office}): {office.cases} case(s), "
                f"oldest closed {office.oldest_closed_at:%Y-%m-%d}"
            )
        if report.oldest_closed_at:
            self.stdout.write(f"Oldest close: {report.oldest_closed_at:%Y-%m-%d}")
        if report.case_ids:
            self.stdout.write("Case ids: " + " ".join(str(pk) for pk in report.case_ids))
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        done = retention_sweep(now=now, batch_size=batch_size)
        self.stdout.write(f"Anonymised {done} case(s).")
