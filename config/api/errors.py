"""One exception handler for the whole API, so every error has one of three shapes.

- 400: a field map, ``{"field": ["message", ...], "non_field_errors": [...]}`` (DRF's own validation shape; the
  services' ``InvalidInput`` errors are put into it, on their field when they name one).
- 409: ``{"detail", "code", "current_stage", "version"}`` — an illegal, stale or guarded move; the client reloads
  the case (or uses ``version`` as the next ``expected_version``) and decides again.
- everything else (401, 403, 404, 405, 413, 429, 503): ``{"detail", "code"}``; 401 carries ``WWW-Authenticate`` and
  429 ``Retry-After`` (both set by DRF); 503 (``code: unavailable``: Redis, the database or the broker cannot be
  reached, see ``config.unavailable``) carries ``Retry-After``.

Bad input never reaches Django's 500: a body beyond Django's size or field-count limits is a 413, any other
suspicious request a 400. What is left for a 500 is a bug, and its answer is JSON too (``config.unavailable``).
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from cases.core.errors import CaseError
from cases.models import Case
from cases.money.services.calculations import CalculationInputError

from ..unavailable import is_unavailable, unavailable_detail

NON_FIELD = "non_field_errors"
logger = logging.getLogger("django.request")


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The upload is larger than the limits allow.")
    default_code = "payload_too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The service is unavailable for a moment. Try again in a minute.")
    default_code = "unavailable"


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """The API's answer for a path it does not have, whatever the method: 404 in the API's shape (401 first)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()


def _code(exc: CaseError) -> str:
    """``StaleCase`` → ``stale_case``: a stable, machine-readable name of the refusal."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()


def _field_map(exc: CaseError) -> dict[str, list[str]]:
    if isinstance(exc, CalculationInputError):
        return {(NON_FIELD if name == "__all__" else name): messages for name, messages in exc.field_errors.items()}
    field = getattr(exc, "field", None)
    return {field or NON_FIELD: [str(exc.message)]}


def _case_state(context) -> tuple[str | None, int | None]:
    """The stage and version of the case the request was about, as the caller may see it now."""
    view, request = context.get("view"), context.get("request")
    case_id = view.error_case_id() if hasattr(view, "error_case_id") else None
    if case_id is None or request is None:
        return None, None
    row = Case.objects.visible_to(request.user).filter(pk=case_id).values_list("stage", "version").first()
    return row if row else (None, None)


def _case_error(exc: CaseError, context):
    from rest_framework.response import Response

    if exc.http_status == status.HTTP_400_BAD_REQUEST:
        return drf_exception_handler(exceptions.ValidationError(_field_map(exc)), context)
    body = {"detail": str(exc.message), "code": _code(exc)}
    if exc.http_status == status.HTTP_409_CONFLICT:
        stage, version = _case_state(context)
        body.update(current_stage=exc.current_stage or stage, version=version)
    return Response(body, status=exc.http_status)


def exception_handler(exc, context):
    if isinstance(exc, CaseError):
        return _case_error(exc, context)
    if isinstance(exc, ObjectDoesNotExist | Http404):
        exc = exceptions.NotFound()  # a case (or its file, entry …) outside what the user may see: nothing more
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ValidationError({NON_FIELD: [str(exceptions.ParseError.default_detail)]})
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({NON_FIELD: [str(exc.detail)]})  # unreadable JSON: bad input, a field map
    elif is_unavailable(exc):
        logger.error("Service Unavailable: %s (%s)", _path(context), type(exc).__name__, extra={"status_code": 503})
        exc = ServiceUnavailable(unavailable_detail())
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling (and error reporting) takes over
    if isinstance(exc, exceptions.ValidationError):
        if not isinstance(response.data, dict):
            response.data = {NON_FIELD: response.data}
    elif isinstance(response.data, dict) and "detail" in response.data:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        response.data["code"] = codes if isinstance(codes, str) else "error"
    if isinstance(exc, ServiceUnavailable):
        response["Retry-After"] = str(settings.UNAVAILABLE_RETRY_AFTER)
    return response


def _path(context) -> str:
    request = context.get("request")
    return request.path if request is not None else "?"
