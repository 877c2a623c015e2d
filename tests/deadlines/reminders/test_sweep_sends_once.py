"""The sweep sends each due reminder exactly once, however often it runs."""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from cases.deadlines.reminders.sweep import send_due_reminders
from cases.deadlines.services.deadlines import deadline_add
from cases.models import DeadlineKind, Notification, Reminder, ReminderChannel, ReminderStatus
from cases.tasks import send_due_reminders as send_due_reminders_task
from tests.factories import CaseFactory

from .conftest import make_reminder


@pytest.mark.django_db
def test_running_the_sweep_twice_sends_each_due_reminder_once(case, locmem_channels):
    reminders = [make_reminder(case) for _ in range(3)]
    # The next reminder of each hearing (7 days before) is not due yet.
    later = Reminder.objects.filter(case=case, channel=ReminderChannel.EMAIL, context__days_before=7)
    assert later.count() == 3

    first = send_due_reminders()
    second = send_due_reminders()

    assert first == {"sent": 6}  # each reminder: once in the app, once by email
    assert second == {}
    assert sorted(message.idempotency_key for message in locmem_channels) == sorted(
        reminder.idempotency_key for reminder in reminders
    )
    for reminder in reminders:
        reminder.refresh_from_db()
        assert (reminder.status, reminder.attempts, reminder.last_error) == (ReminderStatus.SENT, 1, "")
        assert reminder.sent_at is not None
        assert reminder.provider_reference.startswith("locmem-")
    assert Notification.objects.filter(case=case).count() == 3
    assert {row.status for row in later} == {ReminderStatus.PENDING}


@pytest.mark.django_db
def test_a_reminder_is_sent_when_its_time_comes_and_not_before(case, locmem_channels):
    with time_machine.travel("2025-03-03 08:00Z", tick=False):
        # A hearing tomorrow: its "tomorrow" reminder falls due at 09:00 today (the office is on UTC).
        deadline_add(
            actor=case.opened_by,
            case_id=case.pk,
            kind=DeadlineKind.HEARING,
            due_at=datetime(2025, 3, 4, 12, 0, tzinfo=UTC),
        )
        send_due_reminders()
        assert locmem_channels == []
    with time_machine.travel("2025-03-03 09:00Z", tick=False):
        send_due_reminders()
    [message] = locmem_channels
    reminder = Reminder.objects.get(idempotency_key=message.idempotency_key)
    assert reminder.sent_at.isoformat() == "2025-03-03T09:00:00+00:00"
    assert reminder.context["days_before"] == 1


@pytest.mark.django_db
def test_the_celery_task_takes_no_ids_and_can_run_any_number_of_times(case, locmem_channels):
    make_reminder(case)

    send_due_reminders_task.delay()
    send_due_reminders_task.delay()

    assert len(locmem_channels) == 1
    assert Notification.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_worker_killed_mid_send_leaves_the_reminder_leased_and_it_is_retried_after_the_lease(
    case, locmem_channels, settings
):
    settings.REMINDER_LEASE_SECONDS = 600
    with time_machine.travel("2025-03-03 10:00Z", tick=False):
        reminder = make_reminder(case)
        # Stage the crash: the claim committed, the send never finished.
        from cases.deadlines.reminders.sweep import _claim

        claimed, settled = _claim(datetime(2025, 3, 3, 10, 0, tzinfo=UTC), 10)
        assert [row.pk for row in claimed] == [reminder.pk]
        assert settled == {"sent": 1}  # the in-app twin is delivered inside the claim
        send_due_reminders()
        assert locmem_channels == []  # still leased: no second worker sends it meanwhile
    reminder.refresh_from_db()
    assert "not finished" in reminder.last_error
    with time_machine.travel("2025-03-03 10:10Z", tick=False):
        send_due_reminders()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.SENT, 2)
    assert len(locmem_channels) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no SELECT ... FOR UPDATE SKIP LOCKED, so two sweeps cannot overlap",
)
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_deliver_each_reminder_exactly_once(case, locmem_channels):
    reminders = [make_reminder(case) for _ in range(20)]
    reminders += [make_reminder(CaseFactory(office=case.office, actor=case.opened_by)) for _ in range(20)]
    barrier = threading.Barrier(2, timeout=10)
    errors: list[Exception] = []

    def sweep():
        try:
            barrier.wait()
            send_due_reminders(batch=5)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    keys = [message.idempotency_key for message in locmem_channels]
    assert sorted(keys) == sorted(reminder.idempotency_key for reminder in reminders)
    assert Reminder.objects.filter(status=ReminderStatus.SENT, attempts=1).count() == 80
    assert Notification.objects.count() == 40


@pytest.mark.django_db
def test_in_app_reminders_cost_the_same_queries_for_two_or_twelve(case):
    """The inbox rows and SENT marks of a batch are two statements, not five per reminder (bench: 1,000 due rows)."""

    def sweep_in_app(count: int) -> int:
        for _ in range(count):
            make_reminder(case, channel=ReminderChannel.APP)
        Reminder.objects.filter(channel=ReminderChannel.EMAIL, status=ReminderStatus.PENDING).delete()
        with CaptureQueriesContext(connection) as captured:
            assert send_due_reminders() == {"sent": count}
        return len(captured)

    assert sweep_in_app(2) == sweep_in_app(12)
    assert Notification.objects.filter(case=case).count() == 14
    assert set(
        Reminder.objects.filter(channel=ReminderChannel.APP, sent_at__isnull=False).values_list("status", flat=True)
    ) == {ReminderStatus.SENT}
