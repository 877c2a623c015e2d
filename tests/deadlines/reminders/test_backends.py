"""The demo backends: console, file and in-memory, chosen by dotted path like Django's email backends."""

import io
import json

from cases.deadlines.reminders import channels
from cases.deadlines.reminders.channels import ConsoleBackend, FileBackend, LocmemBackend, Message, get_backend

MESSAGE = Message(channel="sms", to="+60123456789", subject="Subject", body="Body text", idempotency_key="key-1")


def test_get_backend_loads_the_class_named_in_settings_for_each_channel(settings):
    settings.SMS_BACKEND = "cases.deadlines.reminders.channels.ConsoleBackend"
    settings.WHATSAPP_BACKEND = "cases.deadlines.reminders.channels.FileBackend"
    settings.REMINDER_EMAIL_BACKEND = "cases.deadlines.reminders.channels.EmailBackend"

    assert isinstance(get_backend("sms"), ConsoleBackend)
    assert isinstance(get_backend("whatsapp"), FileBackend)
    assert isinstance(get_backend("email"), channels.EmailBackend)
    assert get_backend("whatsapp").channel == "whatsapp"


def test_the_console_backend_writes_the_message_and_returns_a_reference():
    backend = ConsoleBackend(channel="sms")
    backend.stream = io.StringIO()

    reference = backend.send(MESSAGE)

    assert reference.startswith("console-")
    assert "+60123456789" in backend.stream.getvalue()
    assert "Body text" in backend.stream.getvalue()


def test_the_file_backend_writes_one_json_file_per_message(settings, tmp_path):
    settings.REMINDER_OUTBOX_DIR = tmp_path / "outbox"

    first = FileBackend(channel="sms").send(MESSAGE)
    FileBackend(channel="sms").send(MESSAGE)

    files = sorted((tmp_path / "outbox").glob("*.json"))
    assert len(files) == 2
    stored = [json.loads(path.read_text()) for path in files]
    assert first in {item["reference"] for item in stored}
    assert stored[0]["body"] == "Body text"
    assert stored[0]["idempotency_key"] == "key-1"


def test_the_locmem_backend_collects_messages_in_the_outbox():
    reference = LocmemBackend(channel="sms").send(MESSAGE)

    assert channels.outbox == [MESSAGE]
    assert reference == "locmem-1"
