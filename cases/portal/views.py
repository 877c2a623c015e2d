"""The worker's status check: look up a claim with its reference and PIN, see its status, say "my phone changed".

Every view validates, calls one service, renders (or redirects). Pages render in one of the claimant languages with
``translation.override`` (the staff LANGUAGES setting does not list them). Before the lookup the worker picks the
language from plain links; after it the claimant's language is used unless the worker picked one.

Nothing the worker types ever reaches a URL or a log line: the lookup is a POST; who may see which status lives in
a signed cookie (``status_pass``: the case id, a fingerprint of its PIN and an end) for PORTAL_SESSION_SECONDS, and
"Done" ends it; the status check never reads or writes the session (no session row per lookup). Every response
carries no-store, a referrer policy that sends nothing to other sites, noindex and a Content-Security-Policy that
allows no script.
"""

import base64
import hashlib
from functools import wraps
from pathlib import Path

from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import decorator_from_middleware
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from cases.portal import limiter, services, status_pass, texts
from cases.portal.clients import LANGUAGE_CODES, accepted_language, client_ip
from cases.portal.forms import LookupForm, PhoneForm

RTL_LANGUAGES = {"ar"}
# Each language in its own name, so a worker finds theirs whatever the page is in.
AUTONYMS = {
    "en": "English",
    "es": "Español",
    "ru": "Русский",
    "ky": "Кыргызча",
    "uz": "Oʻzbekcha",
    "ar": "العربية",
    "ne": "नेपाली",
    "my": "မြန်မာ",
    "km": "ខ្មែរ",
    "th": "ไทย",
    "id": "Bahasa Indonesia",
    "tl": "Tagalog",
    "ht": "Kreyòl ayisyen",
    "bn": "বাংলা",
    "fr": "Français",
}

# One small stylesheet, inlined (one request on a slow line) and allowed by its hash: no 'unsafe-inline'.
CSS = (Path(__file__).parent / "portal.css").read_text(encoding="utf-8")
_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


# No referrer at all: the reference must not travel anywhere, not even to our own logs. The WhatsApp link also
# carries rel="noreferrer".
REFERRER_POLICY = "no-referrer"


class _NullOriginCsrfMiddleware(CsrfViewMiddleware):
    """Django's CSRF check, except that ``Origin: null`` is not a refusal by itself.

    Under ``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` on the page's own form posts (Fetch
    standard), which Django's origin check refuses. The token check (cookie + form field) still runs, and the CSRF
    cookie is SameSite=Lax, so another site still cannot post for the worker; any real foreign origin is refused.
    """

    def _origin_verified(self, request):
        return request.META.get("HTTP_ORIGIN") == "null" or super()._origin_verified(request)


_null_origin_csrf_protect = decorator_from_middleware(_NullOriginCsrfMiddleware)


def portal_csrf_protect(view):
    """The portal's CSRF check instead of the site-wide one (which would refuse ``Origin: null``)."""
    return csrf_exempt(_null_origin_csrf_protect(view))


def portal_response(view):
    """No caching anywhere, no referrer to other sites, not indexed, no scripts."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = REFERRER_POLICY
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    return wrapper


def _check_language(lang: str | None) -> str | None:
    if lang is not None and lang not in LANGUAGE_CODES:
        raise Http404
    return lang


def _browser_language(request) -> str:
    """The first claimant language the browser asks for, else English."""
    return accepted_language(request) or "en"


def _render(request, template: str, lang: str, context: dict, *, status: int = 200, switch_to: str = ""):
    context = {
        **context,
        "lang": lang,
        "dir": "rtl" if lang in RTL_LANGUAGES else "ltr",
        "css": mark_safe(CSS),  # noqa: S308 — our own file, hashed into the CSP above # nosec B308 B703
        "languages": [(code, AUTONYMS[code], reverse(switch_to, args=[code])) for code in LANGUAGE_CODES],
    }
    with translation.override(lang):
        return render(request, template, context, status=status)


def _lookup_page(request, lang: str, *, chosen: bool, form=None, notice: str = "", status: int = 200):
    action = reverse("portal_lookup_in", args=[lang]) if chosen else reverse("portal_lookup")
    context = {"form": form or LookupForm(), "notice": notice, "action": action}
    return _render(request, "portal/lookup.html", lang, context, status=status, switch_to="portal_lookup_in")


def _unavailable(request, lang):
    with translation.override(lang):
        notice = str(texts.UNAVAILABLE)
    return _render(
        request, "portal/unavailable.html", lang, {"notice": notice}, status=503, switch_to="portal_lookup_in"
    )


@sensitive_post_parameters("reference", "pin")
@portal_response
@portal_csrf_protect
@require_http_methods(["GET", "POST"])
def lookup(request, lang: str | None = None):
    chosen = _check_language(lang)
    lang = chosen or _browser_language(request)
    if request.method == "GET":
        if request.GET:
            with translation.override(lang):
                notice = pgettext("portal", "Please use the form below to check your claim.")
            # 200, not 400: Django logs 4xx with the request, whose repr holds the query string the worker typed.
            return _lookup_page(request, lang, chosen=bool(chosen), notice=notice)
        return _lookup_page(request, lang, chosen=bool(chosen))

    form = LookupForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, lang, chosen=bool(chosen), form=form, status=400)
    try:
        result = services.portal_lookup(
            reference=form.cleaned_data["reference"], pin=form.cleaned_data["pin"], ip=client_ip(request)
        )
    except limiter.LimiterUnavailable:
        return _unavailable(request, lang)

    if result.outcome is services.Outcome.FOUND:
        # A new pass at the moment it starts to matter: whatever the browser held before is replaced.
        opened = status_pass.mint(case_id=result.case_id, pin_key=result.pin_key, lang=chosen)
        return status_pass.attach(redirect("portal_status"), opened)
    with translation.override(lang):
        notice, status = {
            services.Outcome.NO_MATCH: (str(texts.NO_MATCH), 400),
            services.Outcome.LOCKED: (str(texts.LOCKED), 429),
            services.Outcome.BUSY: (str(texts.BUSY), 429),
        }[result.outcome]
    # The reference comes back as typed (normalised) so a typo can be fixed; the PIN never does.
    form = LookupForm(initial={"reference": form.cleaned_data["reference"]})
    return _lookup_page(request, lang, chosen=bool(chosen), form=form, notice=notice, status=status)


def _ended(request, lang: str | None):
    lang = lang or _browser_language(request)
    with translation.override(lang):
        notice = pgettext("portal", "Your check has ended. Write your reference and PIN again to see your claim.")
    response = _lookup_page(request, lang, chosen=True, notice=notice)
    if status_pass.COOKIE_NAME in request.COOKIES:
        status_pass.remove(response)
    return response


def _status_page(request, opened: status_pass.StatusPass, *, phone_form=None, status: int = 200):
    try:
        worker = services.worker_status(opened.case_id, pin_key=opened.pin_key)
    except services.StatusEnded:  # a new PIN was issued (or cleared) since the lookup
        return _ended(request, opened.lang)
    lang = opened.lang or worker.language
    if lang not in LANGUAGE_CODES:
        lang = "en"
    context = {
        "status": worker,
        "phone_form": phone_form or PhoneForm(),
        "phone_sent": opened.phone_sent,
        # Isolated left-to-right, so "+60 3 1234 5678" is not reordered inside an Arabic sentence.
        "office_phone": format_html('<bdi dir="ltr">{}</bdi>', worker.office_phone),
    }
    return _render(request, "portal/status.html", lang, context, status=status, switch_to="portal_status_in")


@portal_response
@require_http_methods(["GET"])
def status(request, lang: str | None = None):
    chosen = _check_language(lang)
    opened = status_pass.read(request)
    if opened is None:
        return _ended(request, chosen)
    if chosen:
        opened = opened.with_lang(chosen)
        return status_pass.attach(_status_page(request, opened), opened)
    return _status_page(request, opened)


@sensitive_post_parameters("phone")
@portal_response
@portal_csrf_protect
@require_POST
def phone_changed(request):
    opened = status_pass.read(request)
    if opened is None:
        return _ended(request, None)
    form = PhoneForm(request.POST)
    if not form.is_valid():
        return _status_page(request, opened, phone_form=form, status=400)
    try:
        if limiter.allow_phone_request(opened.case_id):
            services.phone_change_request(
                case_id=opened.case_id, phone=form.cleaned_data["phone"], pin_key=opened.pin_key
            )
    except limiter.LimiterUnavailable:
        return _unavailable(request, opened.lang or "en")
    except services.StatusEnded:
        return _ended(request, opened.lang)
    # Over the daily limit the worker is thanked all the same: the office already has a request to act on.
    return status_pass.attach(redirect("portal_status"), opened.with_phone_sent())


@portal_response
@portal_csrf_protect
@require_POST
def done(request):
    opened = status_pass.read(request)
    lang = opened.lang if opened is not None else None
    # Only the pass goes: the session is not the status check's (a staff member trying the page stays signed in).
    response = redirect("portal_lookup_in", lang) if lang else redirect("portal_lookup")
    return status_pass.remove(response)
