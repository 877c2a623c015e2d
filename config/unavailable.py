"""A dependency that is down (Redis, the database, the Celery broker) is a 503 with ``Retry-After``, never a 500.

The errors that mean "the service behind this request cannot be reached right now" — a refused or timed-out Redis
connection (the cache, DRF's throttles, the broker), a database that refuses connections or dropped one — are
answered 503 with ``Retry-After: UNAVAILABLE_RETRY_AFTER`` seconds: JSON under ``/api/`` (``{"detail", "code":
"unavailable"}``), a short page elsewhere. They are still logged (at ERROR, as "Service Unavailable") so an operator
sees the outage. A programming error stays a 500.

Three places use ``is_unavailable``: the API's exception handler (``config.api.errors``), ``UnavailableMiddleware``
for any view, and ``server_error`` (the project's ``handler500``) for what fails outside a view, in a middleware.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("django.request")

DEPENDENCY_ERRORS = (
    RedisConnectionError,
    RedisTimeoutError,
    DatabaseOperationalError,
    InterfaceError,
    BrokerOperationalError,
)


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) says a dependency is down, rather than the code being wrong."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, DEPENDENCY_ERRORS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def unavailable_detail() -> str:
    return _("The service is unavailable for a moment. Try again in a minute.")


def unavailable_response(request) -> HttpResponse:
    retry_after = str(settings.UNAVAILABLE_RETRY_AFTER)
    if is_api(request):
        response = JsonResponse({"detail": unavailable_detail(), "code": "unavailable"}, status=503)
    else:
        body = loader.render_to_string("503.html", {"detail": unavailable_detail()}, request=None)
        response = HttpResponse(body, status=503)
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


class UnavailableMiddleware:
    """First in MIDDLEWARE: a view that raises one of ``DEPENDENCY_ERRORS`` answers 503 instead of 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_unavailable(exception):
            return None
        logger.error("Service Unavailable: %s (%s)", request.path, type(exception).__name__, extra={"status_code": 503})
        return unavailable_response(request)


def server_error(request):
    """``handler500``: a dependency that failed in a middleware is a 503; under ``/api/`` the answer is JSON."""
    if is_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    if is_api(request):
        return JsonResponse({"detail": _("Something went wrong on our side."), "code": "server_error"}, status=500)
    return defaults.server_error(request)


def bad_request(request, exception):
    """``handler400`` (a suspicious request, a bad Host): JSON under ``/api/``."""
    if is_api(request):
        return JsonResponse({"detail": _("Bad request."), "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    """``handler403``: JSON under ``/api/``."""
    if is_api(request):
        detail = _("You do not have permission to perform this action.")
        return JsonResponse({"detail": detail, "code": "permission_denied"}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """``handler404``: JSON under ``/api/`` (the API's own catch-all route answers most of these first)."""
    if is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
