"""Token authentication for integrations: ``Authorization: Bearer <key>`` (or ``Token <key>``).

The key is looked up by its SHA-256 (``paralegals.models.ApiToken``); a revoked or expired token, or one whose user
is inactive, is refused with 401 like an unknown key — the answer never says which.

The token's user comes with their office, whose time zone becomes the request's (as ``config.middleware`` does for a
session): datetimes the API writes carry that zone's offset, and deadlines their own office's (``config.api.fields``).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from paralegals.models import ApiToken

from ..middleware import activate_staff_zone

KEYWORDS = (b"bearer", b"token")
# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours and is not hashed.
MAX_KEY_LENGTH = 100


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # no token given: another scheme (the session) may still authenticate
        if len(parts) != 2 or len(parts[1]) > MAX_KEY_LENGTH:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = ApiToken.objects.for_key(key)
        if token is None or not token.is_usable() or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired token."))
        token.touch()
        activate_staff_zone(token.user)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API token: `Authorization: Bearer <key>`."}
