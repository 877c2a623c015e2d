"""The sweep: the Celery task (eager) anonymises what is due, in batches, each case in its own transaction; a second
run changes nothing more; its queries per case are bounded; one case's failure does not stop the others."""

from datetime import timedelta
from unittest import mock

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import tasks
from cases.core.models import EventKind
from cases.models import Case, CaseEvent
from cases.retention import services
from cases.retention.services import claimant_erase, retention_sweep

from .conftest import every_row_of

LATER = timedelta(days=2190, hours=1)


def test_the_celery_task_anonymises_the_cases_past_their_period(settings, worker_case, office_b):
    settings.RETENTION_DAYS_AFTER_CLOSE = 2190
    due = worker_case().case
    open_case = worker_case(close=False, name="Open worker").case

    with time_machine.travel(timezone.now() + LATER, tick=False):
        assert tasks.retention_sweep.delay().get() == 1

    assert Case.objects.get(pk=due.pk).anonymised_at is not None
    assert Case.objects.get(pk=open_case.pk).anonymised_at is None
    assert Case.objects.get(pk=open_case.pk).summary


def test_the_task_runs_daily_from_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["retention-sweep"]["task"] == "cases.tasks.retention_sweep"


def test_a_second_run_changes_nothing_and_writes_no_event(settings, worker_case, administrator):
    settings.RETENTION_DAYS_AFTER_CLOSE = 30
    case = worker_case().case
    now = timezone.now() + timedelta(days=31)
    assert retention_sweep(now=now) == 1
    rows, events = every_row_of(case), CaseEvent.objects.count()

    assert retention_sweep(now=now) == 0
    assert services.case_anonymise(actor=None, case=case) is False
    assert claimant_erase(actor=administrator, claimant=case.claimant, reason="Asked again.").case_ids == []

    assert every_row_of(case) == rows
    assert CaseEvent.objects.count() == events


def test_the_sweep_works_in_batches_oldest_close_first(settings, worker_case):
    settings.RETENTION_DAYS_AFTER_CLOSE = 30
    cases = [worker_case(name=f"Worker {n}").case for n in range(3)]

    assert retention_sweep(now=timezone.now() + timedelta(days=31), batch_size=2) == 3

    anonymised = CaseEvent.objects.filter(kind=EventKind.ANONYMISED).order_by("pk").values_list("case_id", flat=True)
    assert list(anonymised) == [case.pk for case in cases]


def test_one_case_that_fails_does_not_stop_the_others(settings, worker_case, caplog):
    settings.RETENTION_DAYS_AFTER_CLOSE = 30
    first, second = worker_case(name="Worker one").case, worker_case(name="Worker two").case
    real = services._blank_case

    def fail_first(case, now):
        if case.pk == first.pk:
            raise RuntimeError("disk full")
        real(case, now)

    with mock.patch.object(services, "_blank_case", fail_first):
        assert retention_sweep(now=timezone.now() + timedelta(days=31)) == 1

    assert Case.objects.get(pk=first.pk).anonymised_at is None  # its transaction rolled back whole
    assert Case.objects.get(pk=first.pk).summary
    assert Case.objects.get(pk=second.pk).anonymised_at is not None
    assert "1 case(s) anonymised, 1 failed" in caplog.text


def test_the_sweep_logs_counts_only(settings, worker_case, caplog):
    settings.RETENTION_DAYS_AFTER_CLOSE = 30
    case = worker_case().case

    with caplog.at_level("DEBUG"):
        retention_sweep(now=timezone.now() + timedelta(days=31))

    assert "1 case(s) due in 1 office(s)" in caplog.text
    assert "Nurlan" not in caplog.text and case.reference not in caplog.text


def test_queries_per_case_are_bounded(settings, worker_case):
    """Each case costs the same fixed number of queries, whatever the number of cases due or rows they hold."""
    settings.RETENTION_DAYS_AFTER_CLOSE = 30
    for n in range(3):
        worker_case(name=f"Worker {n}")
    now = timezone.now() + timedelta(days=31)

    with CaptureQueriesContext(connection) as sweep:
        assert retention_sweep(now=now, batch_size=10) == 3

    # The run: the report (offices' periods, counts per office), then per batch the periods and the batch's ids:
    # one batch of 3 and the empty one that ends it: 6.
    # Per case, 34: its transaction (2: savepoints here, BEGIN and COMMIT in production); lock the worker, lock the
    # case (2); evidence and filings (6: the file names, mark removed, blank; the same for filings); the case row and
    # its version (2); timeline, ledger, snapshots, calculation settings, pay periods, one-off items, instalment plans,
    # deadlines, tasks (9); reminders cancelled and blanked, notifications and phone requests deleted (4); the event
    # (1); whether the worker has another case (1); the worker's row (1); channels with the reminders and
    # notifications addressed to them (5); consent notes (1).
    assert len(sweep) == 6 + 34 * 3
