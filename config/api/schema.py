"""What the OpenAPI schema says about errors: one serializer per error shape, and the responses of each endpoint."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from cases.core.stages import Stage


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class ConflictSerializer(ErrorSerializer):
    current_stage = serializers.ChoiceField(choices=Stage.choices, allow_null=True)
    version = serializers.IntegerField(allow_null=True)


# A map of field name → messages (nested for nested input); "non_field_errors" for the request as a whole.
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {},
    "example": {"expected_version": ["This field is required."]},
}

DESCRIPTIONS = {
    400: "Invalid input: a map of field name to messages.",
    401: "No credentials, or an unknown, revoked or expired token (see WWW-Authenticate).",
    403: "Authenticated, but this role may not do this (or a CSRF failure with a session).",
    404: "No such object among those this user may see.",
    409: "The case is not in a state that allows this (illegal or stale move, unmet guard); body names the stage.",
    413: "The upload exceeds the size or count limits.",
    429: "Too many requests; see Retry-After.",
    503: "Redis, the database or the broker cannot be reached for a moment (`code: unavailable`); see Retry-After.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The error responses of an endpoint; 401, 429 and 503 apply to every endpoint and are always included."""
    responses = {}
    for code in sorted({401, 429, 503, *codes}):
        if code == 400:
            body = FIELD_ERRORS
        elif code == 409:
            body = ConflictSerializer
        else:
            body = ErrorSerializer
        responses[code] = OpenApiResponse(body, description=DESCRIPTIONS[code])
    return responses
