"""The worker's status check as an endpoint: ``POST /api/v1/status/`` with ``{reference, pin, language?}``.

The same check as the page (``cases.portal``): the page's form normalises and refuses bad input, the page's service
counts the attempt on its reference before anything is checked, compares the PIN even for an unknown reference and
counts wrong tries per address (no site-wide counter: a right reference and PIN is never refused for what others
sent), and ``worker_status`` decides what the worker may see. Only the shape differs.

- No authentication and no session: a partner's SMS gateway or a mobile app calls it for the worker. A staff token
  or session changes nothing (authentication is not even attempted), so there is no CSRF dependence either.
- An unknown reference and a wrong PIN get the same status and the same bytes. A locked reference (known or not) and
  a wrong try from an address over its budget of wrong tries are 429 with Retry-After; a failing counter store is
  503 (fail closed, never a lookup).
- DRF's own throttles are off here: the portal limiter is the throttle, and it fails closed where a cache-backed
  throttle would answer 500 when Redis is down.
- Nothing the worker sends is logged. Django logs every 4xx with the request, whose repr holds the query string;
  an answer to a request carrying one is logged here with the path alone instead.
"""

import logging
import math
import zoneinfo

from django.conf import settings
from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.portal import limiter, services, texts
from cases.portal.clients import LANGUAGE_CODES, accepted_language, client_ip
from cases.portal.forms import INPUT_MAX_LENGTH, LookupForm

from .errors import NON_FIELD
from .schema import FIELD_ERRORS, ErrorSerializer

logger = logging.getLogger("django.request")

NO_MATCH = "not_found_or_wrong_pin"
HEADERS = {
    "Cache-Control": "no-store",
    # An API answer is never a page with links: nothing to send anywhere.
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


class StatusLookupSerializer(serializers.Serializer):
    """What the worker types (the page's form does the checking; this describes it for the schema)."""

    reference = serializers.CharField(max_length=INPUT_MAX_LENGTH, help_text="The case reference, XXXX-XXXX-C.")
    pin = serializers.CharField(max_length=INPUT_MAX_LENGTH, help_text="The 8-digit PIN (digits of any script).")
    language = serializers.ChoiceField(
        choices=settings.CLAIMANT_LANGUAGES,
        required=False,
        help_text="The language of the answer; else Accept-Language, else the worker's own language.",
    )


class StatusHearingSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="In the hearing's own time zone.")
    timezone = serializers.CharField()
    text = serializers.CharField(help_text='The sentence the page shows ("Hearing: … at …").')


class StatusAmountsSerializer(serializers.Serializer):
    recovered = serializers.CharField(help_text="Paid by the respondent so far, with its currency.")
    paid_to_you = serializers.CharField(help_text="Paid out to the worker so far, with its currency.")
    text = serializers.CharField(help_text="The two sentences the page shows.")


class StatusOfficeSerializer(serializers.Serializer):
    phone = serializers.CharField(allow_blank=True)
    whatsapp = serializers.CharField(allow_blank=True, help_text="Digits only, as in https://wa.me/<digits>.")
    email = serializers.CharField(allow_blank=True)


class WorkerStatusSerializer(serializers.Serializer):
    """What the status page shows, and nothing more: no employer, no notes, no names, no documents."""

    reference = serializers.CharField()
    language = serializers.ChoiceField(choices=settings.CLAIMANT_LANGUAGES)
    closed = serializers.BooleanField()
    stage = serializers.CharField(help_text="Where the claim is, in plain words.")
    next_step = serializers.CharField()
    what_to_do = serializers.CharField(allow_null=True, help_text="null once the claim is closed.")
    next_hearing = StatusHearingSerializer(allow_null=True)
    amounts = StatusAmountsSerializer(many=True, help_text="Empty unless the office lets the worker see amounts.")
    office = StatusOfficeSerializer()


def _asked_language(request, data: dict) -> str | None:
    """The ``language`` field, else the first claimant language in Accept-Language, else None."""
    if data.get("language") not in (None, ""):
        chosen = StatusLookupSerializer(data={"language": data["language"]}, partial=True)
        chosen.is_valid(raise_exception=True)
        return chosen.validated_data["language"]
    return accepted_language(request)


def _error(detail: str, code: str, status_code: int, *, retry_after: int | None = None) -> Response:
    response = Response({"detail": detail, "code": code}, status=status_code)
    if retry_after is not None:
        response["Retry-After"] = str(max(1, retry_after))
    return response


def _lock_seconds(reference: str) -> int:
    until = limiter.reference_locked_until(reference)
    if until is None:
        return settings.PORTAL_LOCK_SECONDS
    return math.ceil((until - timezone.now()).total_seconds())


def _hearing(worker: services.WorkerStatus) -> dict | None:
    if worker.hearing_at is None:
        return None
    try:
        zone = zoneinfo.ZoneInfo(worker.hearing_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = timezone.localtime(worker.hearing_at, zone)
    text = pgettext("portal", "Hearing: %(date)s at %(time)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": dateformat.time_format(local, "H:i"),
    }
    return {"at": local.isoformat(), "timezone": str(zone), "text": text}


def _status_body(worker: services.WorkerStatus, lang: str) -> dict:
    """The answer in ``lang`` (to be called inside ``translation.override(lang)``)."""
    return {
        "reference": worker.reference,
        "language": lang,
        "closed": worker.closed,
        "stage": str(worker.text.now),
        "next_step": str(worker.text.next),
        "what_to_do": None if worker.closed else str(worker.text.todo),
        "next_hearing": _hearing(worker),
        "amounts": [
            {
                "recovered": row.paid,
                "paid_to_you": row.disbursed,
                "text": "\n".join(
                    [
                        pgettext("portal", "Recovered so far: %(amount)s") % {"amount": row.paid},
                        pgettext("portal", "Paid to you so far: %(amount)s") % {"amount": row.disbursed},
                    ]
                ),
            }
            for row in worker.money
        ],
        "office": {
            "phone": worker.office_phone,
            "whatsapp": worker.office_whatsapp_digits,
            "email": worker.office_email,
        },
    }


class StatusLookup(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    @extend_schema(
        summary="The worker's status check",
        auth=[],
        request=StatusLookupSerializer,
        responses={
            200: WorkerStatusSerializer,
            400: OpenApiResponse(
                {**FIELD_ERRORS, "example": {"pin": ["The PIN is 8 digits. Check it and try again."]}},
                description="Input the page's form refuses (a map of field to messages), or "
                '`{"detail", "code": "not_found_or_wrong_pin"}` — the same bytes for an unknown reference and a '
                "wrong PIN.",
                examples=[
                    OpenApiExample(
                        "no match",
                        value={
                            "detail": "The reference or the PIN is not right. Check both and try again.",
                            "code": NO_MATCH,
                        },
                    )
                ],
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="`reference_locked` (too many tries on this reference, known or not) or `throttled` "
                "(a wrong try from an address that has made too many; a right PIN from it still gets 200); "
                "see Retry-After.",
            ),
            503: OpenApiResponse(
                ErrorSerializer,
                description="`unavailable`: the attempt counters cannot be reached; nothing was checked.",
            ),
        },
        description="For the worker, through a partner's app or SMS gateway: no credentials. The same protections "
        "as the status page (/status/): attempts are counted per reference before the PIN is checked, "
        "and wrong tries per address; no site-wide counter can refuse a right reference and PIN. The answer is in "
        "`language`, else the first claimant language of Accept-Language, else the worker's own. Nothing is cached "
        "(Cache-Control: no-store).",
    )
    @sensitive_variables("data", "form")
    def post(self, request):
        data = request.data
        if not isinstance(data, dict):
            raise serializers.ValidationError({NON_FIELD: [_("Send a JSON object with reference and pin.")]})
        asked = _asked_language(request, data)
        lang = asked or "en"
        form = LookupForm({"reference": data.get("reference"), "pin": data.get("pin")})
        if not form.is_valid():
            with translation.override(lang):
                errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        reference = form.cleaned_data["reference"]
        try:
            result = services.portal_lookup(reference=reference, pin=form.cleaned_data["pin"], ip=client_ip(request))
            lock_seconds = _lock_seconds(reference) if result.outcome is services.Outcome.LOCKED else None
        except limiter.LimiterUnavailable:
            with translation.override(lang):
                detail = str(texts.UNAVAILABLE)
            return _error(detail, "unavailable", status.HTTP_503_SERVICE_UNAVAILABLE, retry_after=60)

        if result.outcome is services.Outcome.FOUND:
            worker = services.worker_status(result.case_id)
            lang = asked or (worker.language if worker.language in LANGUAGE_CODES else "en")
            with translation.override(lang):
                return Response(_status_body(worker, lang))
        with translation.override(lang):
            if result.outcome is services.Outcome.NO_MATCH:
                detail = str(texts.NO_MATCH)
                return _error(detail, NO_MATCH, status.HTTP_400_BAD_REQUEST)
            if result.outcome is services.Outcome.LOCKED:
                detail = str(texts.LOCKED)
                return _error(detail, "reference_locked", status.HTTP_429_TOO_MANY_REQUESTS, retry_after=lock_seconds)
            detail = str(texts.BUSY)
            return _error(
                detail,
                "throttled",
                status.HTTP_429_TOO_MANY_REQUESTS,
                retry_after=settings.PORTAL_IP_WINDOW_SECONDS,
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in HEADERS.items():
            response[header] = value
        if response.status_code >= 400 and request.META.get("QUERY_STRING"):
            # Someone put the reference or PIN in the URL: log the answer by its path only (see the docstring).
            logger.warning("%s: %s", response.reason_phrase, request.path, extra={"status_code": response.status_code})
            response._has_been_logged = True
        return response
