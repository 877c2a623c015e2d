"""Reminder fixtures: channels to memory, a clean in-memory outbox, and a helper that writes Reminder rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import channels
from cases.models import Reminder, ReminderChannel
from claimants.models import ChannelKind, ContactChannel
from tests.factories import CaseFactory


@pytest.fixture(autouse=True)
def locmem_channels(settings):
    settings.REMINDER_EMAIL_BACKEND = "cases.channels.LocmemBackend"
    settings.SMS_BACKEND = "cases.channels.LocmemBackend"
    settings.WHATSAPP_BACKEND = "cases.channels.LocmemBackend"
    channels.outbox.clear()
    yield channels.outbox
    channels.outbox.clear()


@pytest.fixture
def case(office_a, coordinator_a, paralegal_a):
    return CaseFactory(office=office_a, actor=coordinator_a)


@pytest.fixture
def safe_phone(case):
    return ContactChannel.objects.create(
        claimant=case.claimant, kind=ChannelKind.PHONE, value="+60 12 345 6789", consent=True, safe_to_contact=True
    )


_counter = iter(range(1, 10**9))


def make_reminder(case, *, due_at=None, **fields) -> Reminder:
    """A due reminder row (by default: a deadline reminder by email to the case's paralegal)."""
    due_at = due_at or timezone.now() - timedelta(minutes=1)
    defaults = {
        "case": case,
        "template": "deadline",
        "context": {"kind": "filing due", "due": "2025-03-10", "days": 7},
        "channel": ReminderChannel.EMAIL,
        "idempotency_key": f"test-reminder-{next(_counter)}",
        "due_at": due_at,
        "next_attempt_at": due_at,
    }
    if "recipient_channel" not in fields and "recipient_user" not in fields:
        defaults["recipient_user"] = case.opened_by
    return Reminder.objects.create(**{**defaults, **fields})
