"""At send time the worker's channel is checked again: consent, safety, the case's unsafe-contact flag."""

import pytest

from cases.deadlines.reminders.sweep import send_due_reminders
from cases.models import Case, ReminderChannel, ReminderStatus
from claimants.models import ChannelKind, ConsentPurpose
from tests.factories import ConsentFactory

from .conftest import make_reminder, notice

pytestmark = pytest.mark.django_db


def test_a_notice_on_a_consented_safe_channel_is_sent_in_the_workers_language(case, safe_phone, locmem_channels):
    reminder = notice(case, safe_phone)

    send_due_reminders()

    [message] = locmem_channels
    assert message.to == safe_phone.value
    assert "Redress" in message.body
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"consent": False}, "not consented"),
        ({"safe_to_contact": False}, "not marked safe"),
    ],
)
def test_a_channel_that_lost_consent_or_safety_after_the_rule_ran_is_cancelled(
    case, safe_phone, locmem_channels, change, reason
):
    reminder = notice(case, safe_phone)
    for field, value in change.items():
        setattr(safe_phone, field, value)
    safe_phone.save()

    assert send_due_reminders() == {"cancelled": 1}

    assert locmem_channels == []
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.CANCELLED
    assert reason in reminder.last_error


def test_a_case_flagged_unsafe_contact_cancels_the_workers_notices(case, safe_phone, locmem_channels):
    reminder = notice(case, safe_phone)
    Case.objects.filter(pk=case.pk).update(flag_unsafe_contact=True)

    send_due_reminders()

    assert locmem_channels == []
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.CANCELLED
    assert "flagged" in reminder.last_error


def test_a_withdrawn_contact_consent_cancels_the_workers_notices(case, safe_phone, coordinator_a, locmem_channels):
    reminder = notice(case, safe_phone)
    ConsentFactory(claimant=case.claimant, actor=coordinator_a, purpose=ConsentPurpose.CONTACT, given=False)

    send_due_reminders()

    assert locmem_channels == []
    reminder.refresh_from_db()
    assert (reminder.status, reminder.last_error) == (
        ReminderStatus.CANCELLED,
        "the worker withdrew consent to be contacted",
    )


def test_a_reminder_on_the_wrong_kind_of_channel_is_cancelled(case, safe_phone, locmem_channels):
    reminder = notice(case, safe_phone)
    assert reminder.channel == ReminderChannel.SMS
    # The contact was corrected after the notice was written: the number is a WhatsApp one, not an SMS one.
    safe_phone.kind = ChannelKind.WHATSAPP
    safe_phone.save()

    send_due_reminders()

    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.CANCELLED
    assert locmem_channels == []


def test_staff_reminders_are_not_held_back_by_the_workers_flags(case, locmem_channels):
    Case.objects.filter(pk=case.pk).update(flag_unsafe_contact=True)
    make_reminder(case)

    assert send_due_reminders() == {"sent": 2}  # in the app and by email
    assert len(locmem_channels) == 1


def test_reminders_to_someone_who_has_left_are_cancelled_in_the_app_and_by_email(case, coordinator_a, locmem_channels):
    make_reminder(case)
    coordinator_a.is_active = False
    coordinator_a.save()

    assert send_due_reminders() == {"cancelled": 2}

    assert locmem_channels == []
    assert set(case.reminders.filter(status=ReminderStatus.CANCELLED).values_list("last_error", flat=True)) == {
        "the staff member's account is no longer active"
    }
