"""With the broker down the business write still commits, and the reminder goes out once the sweep runs again.

The sweep is driven by beat, not by a ``.delay()`` per reminder, so writing a reminder never touches the broker.
"""

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from cases.models import Reminder, ReminderStatus
from cases.tasks import send_due_reminders
from config import celery_app
from tests.integration.worker import not_eager

from .conftest import make_reminder

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def test_a_reminder_written_while_the_broker_is_down_is_committed_and_sent_when_it_returns(
    case, locmem_channels, settings
):
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    down = celery_app.connection_for_write(CLOSED_PORT_BROKER)

    with transaction.atomic():  # the business transaction that causes the reminder
        reminder = make_reminder(case)

    # The broker really is down: a task cannot be queued.
    with not_eager(), pytest.raises(OperationalError):
        send_due_reminders.apply_async(connection=down, retry=False)
    down.release()
    assert Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.PENDING).exists()
    assert locmem_channels == []

    # The broker is back: beat's next sweep (run here eagerly) delivers it.
    send_due_reminders.delay()

    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert [message.idempotency_key for message in locmem_channels] == [reminder.idempotency_key]
