"""Channel backends for reminders, in the shape of Django's email backends.

``get_backend(channel)`` loads the class named in settings (``REMINDER_EMAIL_BACKEND``, ``SMS_BACKEND``,
``WHATSAPP_BACKEND``); ``backend.send(message)`` delivers one message and returns the provider's reference, or raises
``ChannelError`` — ``transient=True`` when trying again later may work (timeouts, 5xx), ``False`` when it never will
(a refused number, a 4xx). Every message carries the reminder's idempotency key, which the backends pass on where the
sink can use it (an ``Idempotency-Key`` header, the email's Message-ID), so a provider that honours it can drop the
rare duplicate the sweep's at-least-once window allows (see ``cases.deadlines.reminders.sweep``).
"""

import base64
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.module_loading import import_string


class ChannelError(Exception):
    def __init__(self, message: str, *, transient: bool):
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Message:
    channel: str  # a ReminderChannel value: "email", "sms", "whatsapp"
    to: str
    subject: str
    body: str
    idempotency_key: str


class BaseBackend:
    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message: Message) -> str:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes each message to stdout (the default outside DEBUG until a provider is configured)."""

    stream = None

    def send(self, message: Message) -> str:
        stream = self.stream or sys.stdout
        stream.write(
            f"--- {message.channel} to {message.to} [{message.idempotency_key}]\n{message.subject}\n{message.body}\n"
        )
        stream.flush()
        return f"console-{uuid.uuid4().hex}"


class FileBackend(BaseBackend):
    """One JSON file per message in ``REMINDER_OUTBOX_DIR`` (var/outbox/ by default), for the demo and tests."""

    def send(self, message: Message) -> str:
        directory = Path(settings.REMINDER_OUTBOX_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        reference = f"file-{uuid.uuid4().hex}"
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        payload = {
            "channel": message.channel,
            "to": message.to,
            "subject": message.subject,
            "body": message.body,
            "idempotency_key": message.idempotency_key,
            "reference": reference,
        }
        (directory / f"{stamp}-{reference}.json").write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
        return reference


# Messages sent through the locmem backend, like django.core.mail.outbox; tests empty it.
outbox: list[Message] = []


class LocmemBackend(BaseBackend):
    def send(self, message: Message) -> str:
        outbox.append(message)
        return f"locmem-{len(outbox)}"


class EmailBackend(BaseBackend):
    """Email through Django's own backend (``EMAIL_BACKEND``), so SMTP settings live in one place."""

    def send(self, message: Message) -> str:
        message_id = f"<reminder-{hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]}@redress>"
        connection = get_connection(timeout=settings.REMINDER_SEND_TIMEOUT)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Message-ID": message_id},
            connection=connection,
        )
        try:
            email.send()
        except (OSError, TimeoutError) as exc:  # smtplib's errors are OSErrors; a refused recipient is one too
            permanent = getattr(exc, "smtp_code", 0) >= 500 or hasattr(exc, "recipients")
            raise ChannelError(f"email: {exc.__class__.__name__}: {exc}", transient=not permanent) from exc
        return message_id


class ProviderBackend(BaseBackend):
    """SMS or WhatsApp through a Twilio-compatible HTTP API (``SMS_PROVIDER_*`` settings).

    POST ``{url}/2010-04-01/Accounts/{account}/Messages.json`` with form fields To, From, Body and basic auth; the
    answer's ``sid`` is the reference. WhatsApp addresses carry the ``whatsapp:`` prefix. 4xx is permanent, 5xx and
    network errors are transient.
    """

    def send(self, message: Message) -> str:
        base_url = settings.SMS_PROVIDER_URL.rstrip("/")
        account = settings.SMS_PROVIDER_ACCOUNT
        if not (base_url and account):
            raise ChannelError(
                "the SMS provider is not configured (SMS_PROVIDER_URL, SMS_PROVIDER_ACCOUNT)", transient=False
            )
        if urllib.parse.urlsplit(base_url).scheme not in ("https", "http"):
            # urlopen would also read file:// and ftp:// URLs: only a web provider is a provider.
            raise ChannelError("SMS_PROVIDER_URL must be an https:// (or http://) URL", transient=False)
        if self.channel == "whatsapp":
            to, sender = f"whatsapp:{message.to}", f"whatsapp:{settings.WHATSAPP_FROM}"
        else:
            to, sender = message.to, settings.SMS_FROM
        url = f"{base_url}/2010-04-01/Accounts/{urllib.parse.quote(account, safe='')}/Messages.json"
        credentials = base64.b64encode(f"{account}:{settings.SMS_PROVIDER_TOKEN}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 (the URL's scheme is checked above) # nosec B310
            url,
            data=urllib.parse.urlencode({"To": to, "From": sender, "Body": message.body}).encode(),
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Accept": "application/json",
                "Idempotency-Key": message.idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.REMINDER_SEND_TIMEOUT) as response:  # noqa: S310 (scheme checked above) # nosec B310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise ChannelError(f"provider answered {exc.code}: {detail}", transient=exc.code >= 500) from exc
        except (OSError, TimeoutError, ValueError) as exc:  # URLError, timeouts, resets, a garbled answer
            raise ChannelError(f"provider unreachable: {exc}", transient=True) from exc
        if not answer.get("sid"):
            raise ChannelError("provider accepted the message without a sid", transient=True)
        return str(answer["sid"])


_SETTING_FOR_CHANNEL = {"email": "REMINDER_EMAIL_BACKEND", "sms": "SMS_BACKEND", "whatsapp": "WHATSAPP_BACKEND"}


def get_backend(channel: str) -> BaseBackend:
    """The configured backend for ``channel`` ("email", "sms" or "whatsapp")."""
    return import_string(getattr(settings, _SETTING_FOR_CHANNEL[channel]))(channel=channel)
