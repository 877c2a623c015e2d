"""Email reminders go through Django's SMTP backend to a real (local) SMTP server."""

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from cases.deadlines.reminders.sweep import send_due_reminders
from cases.models import ReminderStatus

from .conftest import make_reminder


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.REMINDER_EMAIL_BACKEND = "cases.deadlines.reminders.channels.EmailBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield collector
    controller.stop()


def test_a_staff_reminder_arrives_at_the_smtp_server_once(smtp_server, case):
    reminder = make_reminder(case)

    send_due_reminders()
    send_due_reminders()

    [(recipients, email)] = smtp_server.messages
    assert recipients == [case.opened_by.email]
    assert case.reference in email["Subject"]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.provider_reference == email["Message-ID"]


def test_an_smtp_server_that_is_down_means_a_retry(settings, case):
    settings.REMINDER_EMAIL_BACKEND = "cases.deadlines.reminders.channels.EmailBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    reminder = make_reminder(case)

    send_due_reminders()

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.PENDING, 1)
    assert "email" in reminder.last_error
