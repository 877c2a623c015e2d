"""A failing channel is retried with back-off, then given up on, visibly."""

import pytest
import time_machine
from django.utils import timezone

from cases.deadlines.reminders.channels import BaseBackend, ChannelError
from cases.deadlines.reminders.sweep import send_due_reminders
from cases.models import Reminder, ReminderStatus

from .conftest import make_reminder

pytestmark = pytest.mark.django_db


class DownBackend(BaseBackend):
    calls = 0

    def send(self, message):
        DownBackend.calls += 1
        raise ChannelError("provider answered 503", transient=True)


class RefusingBackend(BaseBackend):
    def send(self, message):
        raise ChannelError("provider answered 400: invalid number", transient=False)


def test_a_transient_failure_backs_off_1_5_15_60_minutes_then_gives_up(case, settings):
    settings.REMINDER_EMAIL_BACKEND = "tests.deadlines.reminders.test_sweep_retries.DownBackend"
    settings.REMINDER_MAX_ATTEMPTS = 5
    DownBackend.calls = 0
    with time_machine.travel("2025-03-03 10:00Z", tick=False) as clock:
        reminder = make_reminder(case)
        waits = []
        for _ in range(4):
            send_due_reminders()
            reminder.refresh_from_db()
            assert reminder.status == ReminderStatus.PENDING
            waits.append(int((reminder.next_attempt_at - timezone.now()).total_seconds() // 60))
            send_due_reminders()  # too early: nothing happens
            clock.move_to(reminder.next_attempt_at)
        send_due_reminders()

    assert waits == [1, 5, 15, 60]
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, DownBackend.calls) == (ReminderStatus.FAILED, 5, 5)
    assert reminder.last_error == "attempt 5: provider answered 503"
    assert reminder.sent_at is None


def test_a_permanent_failure_gives_up_at_once(case, settings):
    settings.REMINDER_EMAIL_BACKEND = "tests.deadlines.reminders.test_sweep_retries.RefusingBackend"
    reminder = make_reminder(case)

    assert send_due_reminders() == {"failed": 1, "sent": 1}  # the in-app twin is delivered

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.FAILED, 1)
    assert "invalid number" in reminder.last_error


def test_an_unknown_template_fails_without_sending(case, locmem_channels):
    reminder = make_reminder(case)
    # A row written by another version of the code, whose template this one no longer knows.
    Reminder.objects.filter(pk=reminder.pk).update(template="no_such_template")

    send_due_reminders()

    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert "cannot render" in reminder.last_error
    assert locmem_channels == []
