"""Gunicorn settings for Redress: ``gunicorn -c deploy/gunicorn.conf.py`` (from any directory).

Every value can be changed by an environment variable (README, "Deploying at scale"). The access log never holds a
query string, a Referer, a case reference or the calendar feed's key (``config.log_redaction``): a status check's
reference, a search for a worker's name or phone must not end up in a file that operators copy around.
``tests/integration/test_log_canary.py`` applies this very logger and format to requests that carry them.
"""

import logging
import multiprocessing
import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config.log_redaction import redact, redact_path  # noqa: E402 (needs the project on the path)

chdir = str(ROOT)
wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers: the app is CPU-bound per request (templates, the status check's slow PIN hash) and holds one database
# connection per worker (CONN_MAX_AGE: put PgBouncer in front when workers x machines grows).
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that runs longer than this is killed and its worker replaced (PDFs and reports run in Celery, not here).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (a slow leak never grows for ever); the jitter keeps them from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The TLS-terminating proxy's address: only it may set X-Forwarded-Proto / X-Forwarded-For.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request bodies are capped by the proxy (client_max_body_size) and by Django; these cap the line and the headers.
limit_request_line = 4094
limit_request_fields = 100

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Address, time, method, PATH only (%(U)s, never %(r)s or %(q)s), status, bytes, milliseconds, user agent. No Referer
# (%(f)s): it is the previous page's full URL, query string included.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

HEADER_ATOMS = {"{user-agent}i", "{x-forwarded-for}i", "{x-request-id}i", "{content-type}o", "{content-length}o"}


class _Redact(logging.Filter):
    """Gunicorn's error log names the request line of a malformed or failed request (``req.uri``, query string
    included): the message is redacted before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactingLogger(Logger):
    """Gunicorn's logger with the atoms that can carry a secret taken out, whatever access_log_format says."""

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(existing, _Redact) for existing in self.error_log.filters):
            self.error_log.addFilter(_Redact())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(environ.get("PATH_INFO") or "")
        atoms["U"] = path
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        atoms["q"] = "-"
        atoms["f"] = redact(atoms.get("f") or "-")
        # The headers and the WSGI environ travel with the record too (as its args): the query string, the cookie and
        # the API token among them. Only these may be named in a format.
        return {key: value for key, value in atoms.items() if not key.startswith("{") or key in HEADER_ATOMS}


logger_class = RedactingLogger
