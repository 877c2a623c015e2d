"""The log canary: a worker's name, phone, case reference and PIN go through the pages, the API, their error paths
and the Celery tasks, and not one of them shows up in any log line.

Two kinds of log are read: every log record any logger writes (root at DEBUG, ``django.request``'s 4xx warnings,
Celery's loggers), with its arguments and attributes; and gunicorn's access log, produced by the logger class and
format of ``deploy/gunicorn.conf.py`` for each request the test client sends (gunicorn's own ``Logger.access``,
written to a file, read back).
"""

import json
import logging
import re
import threading
import types
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from gunicorn.config import Config
from rest_framework.test import APIClient

from cases.deadlines.reminders import rules as reminder_rules
from cases.models import Case, Reminder, ReminderStatus
from cases.tasks import send_due_reminders
from paralegals.models import ApiToken
from tests.log_capture import every_log_record
from tests.web.test_intake import form_data

pytestmark = pytest.mark.django_db

GUNICORN_CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
NAME = "Zhyldyz Canarybekova"
PHONE = "+60 19-787 4421"
PHONE_E164 = "+60197874421"
PIN_PATTERN = re.compile(r'id="pin">(\d{4}) (\d{4})<')
CELERY_LOGGERS = ("celery", "celery.app.trace", "celery.task", "celery.worker", "celery.redirected")


def gunicorn_config(access_log: Path) -> Config:
    """The repository's gunicorn settings, loaded as gunicorn loads a config file, writing the access log to a file."""
    namespace: dict = {"__file__": str(GUNICORN_CONFIG)}
    exec(compile(GUNICORN_CONFIG.read_text(), str(GUNICORN_CONFIG), "exec"), namespace)  # noqa: S102 # nosec B102
    config = Config()
    for key, value in namespace.items():
        if key in config.settings:
            config.set(key, value)
    config.set("accesslog", str(access_log))
    config.set("errorlog", str(access_log.with_name("error.log")))
    return config


def access(logger, response, elapsed=timedelta(milliseconds=12)) -> None:
    """What gunicorn's worker does after a response: ``log.access(resp, req, environ, request_time)``."""
    environ = dict(response.wsgi_request.META)
    query = environ.get("QUERY_STRING", "")
    environ["RAW_URI"] = environ["PATH_INFO"] + (f"?{query}" if query else "")
    environ.setdefault("SERVER_PROTOCOL", "HTTP/1.1")
    environ.setdefault("REMOTE_ADDR", "127.0.0.1")
    headers = [(key[5:].replace("_", "-"), value) for key, value in environ.items() if key.startswith("HTTP_")]
    sent = None if response.streaming else len(response.content)
    resp = types.SimpleNamespace(
        status=f"{response.status_code} {response.reason_phrase}", headers=list(response.items()), sent=sent
    )
    logger.access(resp, types.SimpleNamespace(headers=headers), environ, elapsed)


@pytest.fixture
def logs(tmp_path, monkeypatch):
    """``logs()``: every log line written so far (records and access log), as one text."""
    config = gunicorn_config(tmp_path / "access.log")
    gunicorn_logger = config.logger_class(config)
    original = Client.request

    def request(self, **kwargs):
        response = original(self, **kwargs)
        access(gunicorn_logger, response)
        return response

    monkeypatch.setattr(Client, "request", request)  # APIClient's requests go through it too
    with every_log_record() as records, _celery_loggers(records):

        def everything() -> str:
            for handler in gunicorn_logger.access_log.handlers:
                handler.flush()
            return "\n".join(records.lines) + "\n" + (tmp_path / "access.log").read_text()

        yield everything
    for log in (gunicorn_logger.access_log, gunicorn_logger.error_log):
        for handler in log.handlers:
            handler.close()


@contextmanager
def _celery_loggers(handler):
    loggers = [logging.getLogger(name) for name in CELERY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def intake_data(office) -> dict:
    """The intake test's complete form, for the canary's worker (her name and phone are what must not be logged)."""
    return form_data(office, full_name=NAME, phone=PHONE, **{"respondent-0-aliases": None})


def secrets_of(case: Case, pin: str) -> list[str]:
    compact = case.reference.replace("-", "")
    surname = NAME.split()[1]
    return [
        NAME,
        surname,
        surname.lower(),
        PHONE,
        PHONE_E164,
        PHONE_E164[1:],
        "197874421",
        "19-787",
        case.reference,
        case.reference.lower(),
        compact,
        compact.lower(),
        pin,
    ]


def assert_none_in(text: str, secrets: list[str]) -> None:
    found = {secret: [line for line in text.splitlines() if secret in line][:3] for secret in secrets if secret in text}
    assert not found, f"secrets in the logs: {json.dumps(found, indent=1)[:4000]}"


@pytest.fixture
def opened_case(client, paralegal_a, office_a):
    """A case opened through the intake page; its reference and the PIN the done page shows once."""
    client.force_login(paralegal_a)
    done = client.post(reverse("intake"), intake_data(office_a), follow=True)
    pin = "".join(PIN_PATTERN.search(done.content.decode()).groups())
    return Case.objects.select_related("claimant").get(claimant__full_name=NAME), pin


def test_pages_and_their_errors_log_no_name_phone_reference_or_pin(client, paralegal_a, office_a, logs):
    client.force_login(paralegal_a)
    intake = reverse("intake")
    bad = {**intake_data(office_a), "work_ended_on": "2024-01-01", "estimated_currency": ""}
    assert client.post(intake, bad).status_code == 200  # bad input, shown again with the name and phone in it
    assert client.post(intake, {**intake_data(office_a), "phone": "not a phone"}).status_code == 200
    done = client.post(intake, intake_data(office_a), follow=True)
    pin = "".join(PIN_PATTERN.search(done.content.decode()).groups())
    case = Case.objects.get(claimant__full_name=NAME)

    for q in (NAME, PHONE, case.reference, pin):
        assert client.get(reverse("case_list"), {"q": q}).status_code == 200
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("case_detail", args=[case.pk + 1000]), {"q": NAME}).status_code == 404
    assert client.get("/no-such-page/", {"reference": case.reference, "phone": PHONE}).status_code == 404
    assert client.post(reverse("case_note", args=[case.pk]), {"text": ""}).status_code in (200, 400)

    # The status check, as the worker uses it: right, wrong, in the URL, unknown, then the phone change.
    worker = Client(HTTP_REFERER=f"https://redress.example/status/?reference={case.reference}&pin={pin}")
    assert worker.post("/status/", {"reference": case.reference, "pin": pin}).status_code in (200, 302)
    assert worker.get("/status/claim/").status_code == 200
    assert worker.post("/status/claim/phone/", {"phone": PHONE}).status_code in (200, 302)
    assert Client().post("/status/", {"reference": case.reference, "pin": "00000000"}).status_code == 400
    assert Client().post("/status/", {"reference": case.reference.lower(), "pin": ""}).status_code == 400
    assert Client().get("/status/", {"reference": case.reference, "pin": pin}).status_code in (200, 400)
    assert Client().get(f"/status/claim/{case.pk}/", {"reference": case.reference, "pin": pin}).status_code < 500

    text = logs()
    assert "GET /cases/ HTTP/1.1" in text and '"GET /status/claim/ HTTP/1.1" 200' in text  # the access log is read
    assert "Not Found: /no-such-page/" in text  # and django.request's warnings
    assert_none_in(text, secrets_of(case, pin))


def test_the_api_and_its_errors_log_no_name_phone_reference_or_pin(opened_case, paralegal_a, logs):
    case, pin = opened_case
    _token, key = ApiToken.objects.issue(user=paralegal_a, name="canary")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    assert api.get("/api/v1/cases/", {"q": case.reference}).status_code == 200
    for q in (NAME, PHONE, pin):
        assert api.get("/api/v1/cases/", {"q": q}).status_code == 400  # names are not searched there: bad input
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert api.get(f"/api/v1/claimants/{case.claimant_id}/").status_code == 200
    assert api.get("/api/v1/respondents/", {"name": NAME}).status_code == 200
    assert api.get("/api/v1/cases/999999/", {"q": NAME}).status_code == 404
    assert api.get(f"/api/v1/cases/{case.reference}/").status_code in (400, 404)
    assert api.post(f"/api/v1/cases/{case.pk}/note/", {"text": ""}, format="json").status_code == 400
    bad_stage = {"stage": f"{NAME} {PHONE}"}
    assert api.post(f"/api/v1/cases/{case.pk}/advance/", bad_stage, format="json").status_code == 400
    assert APIClient().get("/api/v1/cases/", {"q": NAME}).status_code == 401

    lookup = "/api/v1/status/"
    assert APIClient().post(lookup, {"reference": case.reference, "pin": pin}, format="json").status_code == 200
    assert APIClient().post(lookup, {"reference": case.reference, "pin": "00000000"}, format="json").status_code == 400
    assert APIClient().post(lookup, {"reference": case.reference, "pin": pin[:3]}, format="json").status_code == 400
    assert APIClient().get(lookup, {"reference": case.reference, "pin": pin}).status_code == 405
    not_json = f"reference={case.reference}&pin={pin}"
    assert APIClient().post(lookup, not_json, content_type="text/plain").status_code in (400, 415)

    text = logs()
    assert f'"GET /api/v1/cases/{case.pk}/ HTTP/1.1" 200' in text
    assert "Not Found: /api/v1/cases/999999/" in text
    assert_none_in(text, secrets_of(case, pin))


class _RefusingProvider(BaseHTTPRequestHandler):
    """A Twilio-like provider that refuses the number and, as Twilio does, names it in its answer."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
        to = form["To"][0]
        status = 503 if to.startswith("whatsapp:") else 400
        body = {"code": 21211, "message": f"The 'To' number {to} is not a valid phone number.", "status": status}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def refusing_provider(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RefusingProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = settings.WHATSAPP_BACKEND = "cases.deadlines.reminders.channels.ProviderBackend"
    settings.SMS_PROVIDER_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SMS_PROVIDER_ACCOUNT = "AC123"
    settings.SMS_PROVIDER_TOKEN = "secret-token"
    settings.SMS_FROM = settings.WHATSAPP_FROM = "+15550001111"
    settings.REMINDER_SEND_TIMEOUT = 2
    yield
    server.shutdown()
    server.server_close()


def test_celery_tasks_log_no_name_phone_reference_or_pin(opened_case, paralegal_a, refusing_provider, logs):
    case, pin = opened_case
    # The worker is told the case moved; the provider refuses the SMS number (permanent, with the number in its
    # answer), then fails for WhatsApp (transient). Both through the Celery task, eager: Celery's tracer logs too.
    assert reminder_rules.status_notice(case, "investigation", now=timezone.now()) == 1
    assert send_due_reminders.delay().successful()
    case.claimant.channels.update(kind="whatsapp")
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    case.refresh_from_db()
    assert reminder_rules.status_notice(case, "negotiation", now=timezone.now()) == 1
    assert send_due_reminders.delay().successful()

    failed = Reminder.objects.get(case=case, status=ReminderStatus.FAILED)
    assert PHONE in failed.last_error  # staff still read the provider's whole answer on the reminder
    assert Reminder.objects.filter(case=case, status=ReminderStatus.PENDING).exclude(last_error="").exists()
    text = logs()
    assert "gave up" in text and "retrying in" in text and "[number]" in text  # the sweep's lines were captured
    assert_none_in(text, secrets_of(case, pin))
