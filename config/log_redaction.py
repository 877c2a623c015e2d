"""Secrets out of log lines: query strings, case references in paths, the calendar feed's key.

Used by the logging configuration (``RequestRecords``, a filter on ``django.request`` and ``django.security.csrf``)
and by gunicorn's access and error logs (``deploy/gunicorn.conf.py``). A worker's reference, a PIN typed into a URL,
a search for a name or a phone number must not end up in files that operators copy around (docs/security.md, "Logs
and access logs"); ``tests/integration/test_log_canary.py`` sends them everywhere and reads every log line.
"""

import logging
import re

from cases.core.references import normalise_reference

# Whatever follows a "?" up to a space or a quote: "GET /path?query HTTP/1.1", "<WSGIRequest: GET '/p?q'>".
QUERY = re.compile(r"\?[^\s'\"]*")
# A path: from a "/" up to a space or a quote.
PATH = re.compile(r"/[^\s'\"]*")
# The private calendar feed's key is the whole credential.
CALENDAR_KEY = re.compile(r"(/calendar/feed/)[^/]+(\.ics)")


def _segment(segment: str) -> str:
    return "[reference]" if normalise_reference(segment) else segment


def redact_path(path: str) -> str:
    """``path`` with no query string, no segment that is a case reference and no calendar key."""
    path = QUERY.sub("?[query]", path or "")
    path = "/".join(_segment(segment) for segment in path.split("/"))
    return CALENDAR_KEY.sub(r"\1[key]\2", path)


def redact(text: str) -> str:
    """``text`` with every path in it redacted (``redact_path``)."""
    return PATH.sub(lambda match: redact_path(match[0]), text)


class _RedactedRequest:
    """The request, as a log record carries it, with a repr that names its path only (Django's repr of a request
    includes the query string). Everything else is the request's own."""

    def __init__(self, request):
        self.__dict__["_request"] = request

    def __getattr__(self, name):
        return getattr(self._request, name)

    def __repr__(self) -> str:
        return f"<{self._request.__class__.__name__}: {self._request.method} {redact_path(self._request.path)!r}>"


class RequestRecords(logging.Filter):
    """For Django's request loggers: the message's path arguments and the record's ``request`` redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, _RedactedRequest):
            record.request = _RedactedRequest(request)
        return True
