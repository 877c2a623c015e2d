"""Token authentication for integrations: ``Authorization: Bearer <key>`` (or ``Token <key>``).

The key is looked up by its SHA-256 (``paralegals.models.ApiToken``); a revoked or expired token, or one whose user
is inactive, is refused with 401 like an unknown key — the answer never says which.

The token's user comes with their office, whose time zone becomes the request's (as ``config.middleware`` does for a
session): datetimes the API writes carry that zone's offset, and deadlines their own office's (``config.api.fields``).
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, status

from paralegals.models import ApiToken
from paralegals.signin import API_SIGNIN_NAME, lockout_message

from ..middleware import activate_staff_zone

KEYWORDS = (b"bearer", b"token")
# Wrong keys are counted like wrong passwords (django-axes, paralegals.signin): under one pseudo-username and the
# address. After AXES_FAILURE_LIMIT of them that address gets 429 for any key until the cool-off ends or an admin
# lifts it; integrations elsewhere are not affected.
GUESS_CREDENTIALS = {"username": API_SIGNIN_NAME}


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(detail=lockout_message())


# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours and is not hashed.
MAX_KEY_LENGTH = 100


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # no token given: another scheme (the session) may still authenticate
        http_request = request._request
        if not AxesProxyHandler.is_allowed(http_request, GUESS_CREDENTIALS):
            http_request.axes_locked_out = True  # axes.middleware answers with paralegals.signin.lockout_response
            raise LockedOut()
        if len(parts) != 2 or len(parts[1]) > MAX_KEY_LENGTH:
            self._failed(http_request)
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            self._failed(http_request)
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = ApiToken.objects.for_key(key)
        if token is None or not token.is_usable() or not token.user.is_active:
            self._failed(http_request)
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired token."))
        token.touch()
        activate_staff_zone(token.user)
        return token.user, token

    @staticmethod
    def _failed(http_request) -> None:
        """Count a wrong key (axes records it on the signal, as for a wrong password)."""
        user_login_failed.send(sender=TokenAuthentication, credentials=GUESS_CREDENTIALS, request=http_request)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token: `Authorization: Bearer <key>`."}
