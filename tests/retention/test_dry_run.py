"""``manage.py retention --dry-run`` reports what is due (counts per office, the oldest close, case ids: no name, no
reference) and changes nothing; without ``--dry-run`` it anonymises."""

import io
from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, CaseEvent

from .conftest import MARK, every_row_of


def _run(*args) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_reports_counts_and_ids_and_changes_nothing(settings, worker_case, office_b):
    settings.RETENTION_DAYS_AFTER_CLOSE = 30
    in_a = worker_case().case
    in_b = worker_case(office=office_b, name="Second worker").case
    worker_case(close=False, name="Open worker")
    rows, events = every_row_of(in_a), CaseEvent.objects.count()

    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        report = _run("--dry-run")

    assert "2 case(s) due" in report
    assert f"office {in_a.office_id} (" in report and f"office {in_b.office_id} (" in report
    assert report.count(": 1 case(s), oldest closed ") == 2
    assert f"Case ids: {in_a.pk} {in_b.pk}" in report
    assert "Dry run: nothing was changed." in report
    assert MARK not in report and "Second worker" not in report
    assert in_a.reference not in report and in_b.reference not in report
    assert every_row_of(in_a) == rows and CaseEvent.objects.count() == events


def test_without_dry_run_the_command_anonymises(settings, worker_case):
    settings.RETENTION_DAYS_AFTER_CLOSE = 30
    case = worker_case().case

    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        output = _run()

    assert "Anonymised 1 case(s)." in output
    assert Case.objects.get(pk=case.pk).anonymised_at is not None


def test_with_retention_off_the_command_says_so(settings, worker_case):
    settings.RETENTION_DAYS_AFTER_CLOSE = 0
    case = worker_case().case

    assert "Retention is off" in _run()
    assert Case.objects.get(pk=case.pk).anonymised_at is None
