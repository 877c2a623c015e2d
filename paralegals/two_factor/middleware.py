"""Until the second step is done, a session signed in with its password reaches only the sign-in pages.

Every other page — staff pages, the admin (its own sign-in page included), statistics, downloads — redirects to the
second step (``/accounts/two-factor/verify/?next=...``), which asks for a code or, for someone who must have two-factor
sign-in and has no device yet, leads to setting it up. A session-authenticated API call is refused with JSON (403);
calls with a bearer token (``Authorization``) are not affected: tokens are issued by administrators, one per
integration (docs/security.md). New recovery codes must be acknowledged before anything else.

The decision reads the session and the user row that are loaded anyway (``session.needs_second_step``): no query.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .session import CODES_KEY, needs_second_step

# Paths a half-signed-in session may reach: signing in and out, resetting a password, the second step itself, the
# language switch, the worker's status check (no staff account involved), static files.
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password-reset/",
    "/accounts/reset/",
    "/accounts/two-factor/verify/",
    "/accounts/two-factor/setup/",
    "/admin/password_reset/",
    "/i18n/",
    "/status/",
    "/favicon.ico",
)
CODES_PATH = "/accounts/two-factor/recovery-codes/"
# The schemes config.api.authentication.TokenAuthentication takes (this app may not import config).
TOKEN_SCHEMES = ("bearer", "token")


def _bearer_token(request) -> bool:
    scheme = request.META.get("HTTP_AUTHORIZATION", "").split(" ", 1)[0]
    return scheme.lower() in TOKEN_SCHEMES


class SecondFactorMiddleware:
    """After authentication and the idle-session check."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_prefixes = (*OPEN_PREFIXES, "/" + settings.STATIC_URL.lstrip("/"))

    def __call__(self, request):
        request.second_factor_pending = False
        # No session cookie, no session to look at: token calls and the status check are untouched.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or request.session.get(SESSION_KEY) is None:
            return self.get_response(request)
        path = request.path_info
        if path.startswith("/api/") and _bearer_token(request):
            # The token decides, not the session: config.api.authentication authenticates it or answers 401. Any other
            # scheme ("Basic ...") falls through to the session, so it gets no pass here.
            return self.get_response(request)
        if needs_second_step(request.session, request.user):
            request.second_factor_pending = True
            if not path.startswith(self.open_prefixes):
                return self._refuse(request, path, reverse("two_factor_verify"))
        elif request.session.get(CODES_KEY) and not path.startswith((CODES_PATH, *self.open_prefixes)):
            return self._refuse(request, path, reverse("two_factor_codes"))
        return self.get_response(request)

    @staticmethod
    def _refuse(request, path, to):
        if path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish signing in with your second factor first."), "code": "second_factor_required"},
                status=403,
            )
        return redirect(f"{to}?{urlencode({'next': request.get_full_path()})}")
