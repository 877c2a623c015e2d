"""Signing in safely: the address a sign-in comes from, the lockout answer, and idle sessions.

- Guessing passwords is stopped by django-axes (settings ``AXES_*``, docs/security.md): after
  ``AXES_FAILURE_LIMIT`` wrong passwords for one username from one address, that (username, address) pair is refused
  for ``AXES_COOLOFF_TIME``, whatever the password. The real person, signing in from elsewhere, is not affected.
  ``lockout_response`` is the answer: a page in the person's language, or JSON for the API (429 both).
- API tokens: wrong keys count against the pseudo-username ``API_SIGNIN_NAME`` and the address
  (``config.api.authentication``), so a flood of guessed keys from one address is refused the same way.
- Idle sessions: ``IdleSessionMiddleware`` signs out a session unused for ``SESSION_IDLE_MINUTES`` or older than
  ``SESSION_COOKIE_AGE``. The last-activity stamp is written at most once per ``STAMP_RESOLUTION_SECONDS``, so a
  page costs no session write (and no query) on most requests.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The "username" wrong API keys are counted under (not a valid username: it has spaces and brackets).
API_SIGNIN_NAME = "(API token)"

SEEN_KEY = "_redress_seen"  # session: last activity, epoch seconds
SIGNED_IN_KEY = "_redress_signed_in"  # session: when the person signed in, epoch seconds
STAMP_RESOLUTION_SECONDS = 60


def client_ip(request) -> str:
    """The address a sign-in is counted under: the last hop our own proxy added (``CLIENT_IP_HEADER``), else
    REMOTE_ADDR. Only the last hop: anything before it was written by the client and proves nothing."""
    header = settings.CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def cool_off_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME / timedelta(minutes=1)))


def lockout_message() -> str:
    minutes = cool_off_minutes()
    return ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute, or reset your password.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked (username, address) pair gets (``AXES_LOCKOUT_CALLABLE``): 429, with Retry-After."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(), "code": "locked_out"}, status=429)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": lockout_message(), "minutes": cool_off_minutes()},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response


@receiver(user_logged_in, dispatch_uid="paralegals.signin.stamp_session")
def stamp_session(sender, request, user, **kwargs):
    """A new session starts its clocks (set before the session is saved: no extra write)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SEEN_KEY] = now
        request.session[SIGNED_IN_KEY] = now


class IdleSessionMiddleware:
    """Signs out a session idle for ``SESSION_IDLE_MINUTES`` or signed in longer than ``SESSION_COOKIE_AGE`` ago."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(SESSION_KEY) is not None:  # a signed-in session (token requests have none)
            now = int(time.time())
            seen = session.get(SEEN_KEY)
            signed_in = session.get(SIGNED_IN_KEY)
            idle_limit = settings.SESSION_IDLE_MINUTES * 60
            if seen is None or signed_in is None:
                # Signed in before this middleware existed: start the clocks now.
                session[SEEN_KEY] = now
                session.setdefault(SIGNED_IN_KEY, now)
            elif now - seen > idle_limit or now - signed_in > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("Your session has ended after a time without activity. Please sign in again."))
            elif now - seen >= STAMP_RESOLUTION_SECONDS:
                session[SEEN_KEY] = now
        return self.get_response(request)
