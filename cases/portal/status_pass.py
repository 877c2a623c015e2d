"""Who may see which claim's status: a short-lived signed cookie (the "pass") instead of a server-side session.

A right reference and PIN mint a pass; the status page, the language links and "my phone changed" read it; "Done"
deletes it. Kept in a signed cookie rather than the database session, the check costs no session INSERT, UPDATE or
SELECT: the lookup is one query for the case (the limiter counts in Redis), the page one query for what it shows.

What the session gave and the pass keeps:
- **Only a right PIN opens it.** The value is signed with SECRET_KEY (salted for this use only): it cannot be made
  up or altered. Every successful lookup mints a new value, so a value planted before the lookup (fixation) is
  replaced; the staff session is never read or written by the status check.
- **It ends by itself** PORTAL_SESSION_SECONDS after the lookup: the end is inside the signed value, and changing
  the language or sending a phone number re-signs the same end. The cookie's max-age is what is left.
- **It names the case by id and a keyed fingerprint of the case's PIN hash**, checked against the row the page loads
  anyway: a re-issued PIN (staff) or a cleared one (retention) ends every open pass at once, at no extra query
  (the session only remembered the case id).
- **Done ends it in the browser.** Unlike a server-side session, a copy of the cookie taken from the phone before
  "Done" would stay usable until its end (at most PORTAL_SESSION_SECONDS): taking it needs the unlocked phone with the
  page open, which shows that page anyway.
- The cookie is HttpOnly, Secure when the session cookie is, SameSite=Strict and sent to /status/ only. It holds the
  case id, the end, the language picked and whether a number was sent — no reference, PIN, name or contact.
"""

import time
from dataclasses import dataclass, replace

from django.conf import settings
from django.core import signing
from django.urls import reverse

COOKIE_NAME = "redress_status"
_SALT = "redress.portal.status-pass"


@dataclass(frozen=True)
class StatusPass:
    case_id: int
    pin_key: str  # services.pin_fingerprint of the case's PIN hash when the pass was minted
    until: float  # seconds since the epoch
    lang: str | None = None  # a language the worker picked (else the claimant's)
    phone_sent: bool = False

    def with_lang(self, lang: str) -> "StatusPass":
        return replace(self, lang=lang)

    def with_phone_sent(self) -> "StatusPass":
        return replace(self, phone_sent=True)


def mint(*, case_id: int, pin_key: str, lang: str | None) -> StatusPass:
    return StatusPass(case_id=case_id, pin_key=pin_key, until=time.time() + settings.PORTAL_SESSION_SECONDS, lang=lang)


def read(request) -> StatusPass | None:
    """The request's pass, or None when there is none, it was altered or it has ended."""
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_SALT)
        found = StatusPass(
            case_id=int(data["c"]), pin_key=str(data["k"]), until=float(data["u"]), lang=data["l"], phone_sent=data["p"]
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return found if found.until > time.time() else None


def attach(response, status_pass: StatusPass):
    """Set the pass on ``response`` for what is left of its time."""
    value = signing.dumps(
        {
            "c": status_pass.case_id,
            "k": status_pass.pin_key,
            "u": status_pass.until,
            "l": status_pass.lang,
            "p": status_pass.phone_sent,
        },
        salt=_SALT,
    )
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=max(0, int(status_pass.until - time.time())),
        path=_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def remove(response):
    response.delete_cookie(COOKIE_NAME, path=_path(), samesite="Strict")
    return response


def _path() -> str:
    return reverse("portal_lookup")
