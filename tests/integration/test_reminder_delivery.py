"""A real ``celery worker --beat`` sweeps the reminder outbox: one delivery per reminder, even across a SIGKILL.

The worker sends SMS through the Twilio-compatible backend to a fake provider in this process. The fake provider
holds one reminder's answer for 3 s; the worker is killed with SIGKILL while it waits, restarted, and retries that
reminder once its lease ends — with the same Idempotency-Key, so the provider delivers it once (see the module
docstring of ``cases.deadlines.reminders.sweep`` for the window this covers).
"""

import signal
import time
from datetime import timedelta

from django.utils import timezone

from cases.deadlines.reminders import rules as reminder_rules
from cases.models import Reminder, ReminderStatus
from claimants.models import ChannelKind, ContactChannel
from tests.deadlines.reminders.fake_provider import fake_provider
from tests.factories import CaseFactory, ClaimantFactory
from tests.integration.worker import NEEDS_WORKER, running_worker

pytestmark = NEEDS_WORKER

LEASE_SECONDS = 10


def wait_for(condition, *, seconds, process, log_path, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"the worker exited:\n{log_path.read_text()}"
        assert time.monotonic() < deadline, f"{what} did not happen in {seconds} s:\n{log_path.read_text()}"
        time.sleep(0.2)


def notice(case, channel, stage, *, in_seconds):
    """The worker's status notice, as the rule writes it when the case moves to ``stage``, due in ``in_seconds``."""
    reminder_rules.status_notice(case, stage, now=timezone.now() + timedelta(seconds=in_seconds))
    return Reminder.objects.get(case=case, template="status_notice", context__stage=stage, recipient_channel=channel)


def requests_for(provider, reminder):
    return [request for request in provider.requests if request["idempotency_key"] == reminder.idempotency_key]


def test_a_beat_driven_worker_delivers_each_reminder_once_even_when_killed_mid_send(tmp_path):
    case = CaseFactory(claimant=ClaimantFactory(preferred_language="en"))
    phone = ContactChannel.objects.create(
        claimant=case.claimant, kind=ChannelKind.PHONE, value="+60123456789", consent=True, safe_to_contact=True
    )
    with fake_provider() as provider:
        env = {
            "SMS_BACKEND": "cases.deadlines.reminders.channels.ProviderBackend",
            "SMS_PROVIDER_URL": provider.url,
            "SMS_PROVIDER_ACCOUNT": "AC-integration",
            "SMS_PROVIDER_TOKEN": "token",
            "SMS_FROM": "+15550001111",
            "REMINDER_SWEEP_SECONDS": "1",
            "REMINDER_SEND_TIMEOUT": "5",
            "REMINDER_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        # 1. A reminder falls due while the worker runs: delivered once, marked sent.
        first = notice(case, phone, "evidence", in_seconds=2)
        (tmp_path / "one").mkdir()
        with running_worker(tmp_path / "one", beat=True, **env) as (process, log_path):
            wait_for(
                lambda: Reminder.objects.filter(pk=first.pk, status=ReminderStatus.SENT).exists(),
                seconds=20, process=process, log_path=log_path, what="the first delivery",
            )  # fmt: skip
            time.sleep(2.5)  # more sweeps run: none sends it again

            # 2. The provider is slow for the next reminder; the worker dies while it waits for the answer.
            provider.delay_for["has been closed"] = 3
            second = notice(case, phone, "closed", in_seconds=0)
            wait_for(
                lambda: requests_for(provider, second),
                seconds=15, process=process, log_path=log_path, what="the second send",
            )  # fmt: skip
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            killed_log = log_path.read_text()
        provider.delay_for.clear()

        second.refresh_from_db()
        assert (second.status, second.attempts) == (ReminderStatus.PENDING, 1), killed_log
        assert "not finished" in second.last_error

        # 3. A new worker retries it once the lease has passed, with the same idempotency key.
        (tmp_path / "two").mkdir()
        with running_worker(tmp_path / "two", beat=True, **env) as (process, log_path):
            wait_for(
                lambda: Reminder.objects.filter(pk=second.pk, status=ReminderStatus.SENT).exists(),
                seconds=LEASE_SECONDS + 20, process=process, log_path=log_path, what="the retried delivery",
            )  # fmt: skip
            time.sleep(2.5)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.attempts) == (ReminderStatus.SENT, 1)
    assert (second.status, second.attempts) == (ReminderStatus.SENT, 2)
    # Exactly one delivery each: the first was requested once; the second twice with one key, delivered once.
    assert len(requests_for(provider, first)) == 1
    assert len(requests_for(provider, second)) == 2
    assert sorted(provider.delivered) == sorted([first.idempotency_key, second.idempotency_key])
    assert second.provider_reference.startswith("SM")
    assert {request["form"]["To"] for request in provider.requests} == {"+60123456789"}
