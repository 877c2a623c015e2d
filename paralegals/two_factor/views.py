"""The second step at sign-in, setting up an authenticator app, recovery codes shown once, and the person's
"Two-factor sign-in" page. Each view validates a form, calls one service (``services``) and renders."""

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .forms import CodeForm, SavedCodesForm, SetupForm, SignInCodeForm
from .session import CODES_KEY, forget_verification, needs_second_step


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed_hosts = {request.get_host()}
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed_hosts, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{resolve_url(name)}?{urlencode({'next': next_url})}"


@never_cache
@login_required
def verify(request):
    """The second step: a code from the app or a recovery code."""
    user, next_url = request.user, _next_url(request)
    if not needs_second_step(request.session, user):
        return redirect(next_url)
    if not services.has_device(user):
        if user.two_factor_required:
            return redirect(_with_next("two_factor_setup", next_url))
        forget_verification(request.session)  # the device was removed since sign-in (an administrator's reset)
        return redirect(next_url)
    form = SignInCodeForm(request.POST or None)
    if form.is_valid():
        try:
            services.second_step_verify(request=request, user=user, code=form.cleaned_data["code"])
        except services.SignInLocked:
            return redirect("login")  # axes' middleware answers with the lockout page instead
        except services.CodeRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            return redirect(next_url)
    status = 400 if form.is_bound else 200
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url}, status=status)


@never_cache
@login_required
def setup(request):
    """Add the account to an authenticator app (QR code, or the secret typed by hand) and confirm with a code."""
    user, next_url = request.user, _next_url(request)
    if services.has_device(user):
        return redirect("two_factor")
    form = SetupForm(request.POST or None)
    if form.is_valid():
        try:
            services.enrolment_confirm(
                request=request, user=user, device_id=form.cleaned_data["device"], code=form.cleaned_data["code"]
            )
        except services.CodeRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            return redirect(_with_next("two_factor_codes", next_url))
    device = services.enrolment_start(user=user)
    form.initial["device"] = device.pk
    if form.is_bound:
        form.data = form.data.copy()
        form.data["device"] = device.pk
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m", micro=False)
    context = {
        "form": form,
        "next": next_url,
        # segno draws only paths (the URI, with the username, is encoded in them, never written as text).
        "qr_svg": mark_safe(qr.svg_inline(scale=5, border=2, omitsize=True, svgclass="qr", lineclass=None)),  # noqa: S308 (segno draws only paths) # nosec B308 B703
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": user.two_factor_required,
        "pending": request.second_factor_pending,
    }
    response = render(request, "registration/two_factor_setup.html", context, status=400 if form.is_bound else 200)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes, shown once: the person ticks "I have saved them" to go on."""
    codes = request.session.get(CODES_KEY)
    next_url = _next_url(request)
    if not codes:
        return redirect("two_factor")
    form = SavedCodesForm(request.POST or None)
    if form.is_valid():
        del request.session[CODES_KEY]
        return redirect(next_url)
    context = {"form": form, "codes": codes, "next": next_url, "codes_text": "\n".join(codes)}
    response = render(request, "registration/two_factor_codes.html", context, status=400 if form.is_bound else 200)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def two_factor(request, turn_off_form=None):
    """The person's page: whether it is on, recovery codes left, new codes, turning it off."""
    user = request.user
    device = services.totp_device(user)
    context = {
        "device": device,
        "required": user.two_factor_required,
        "codes_left": services.recovery_codes_left(user) if device else 0,
        "turn_off_form": turn_off_form or CodeForm(),
    }
    return render(request, "registration/two_factor.html", context, status=400 if turn_off_form else 200)


@require_POST
@login_required
def recovery_codes_renew(request):
    if not services.has_device(request.user):
        return redirect("two_factor")
    services.recovery_codes_renew(request=request, user=request.user)
    return redirect(_with_next("two_factor_codes", resolve_url("two_factor")))


@require_POST
@login_required
def turn_off(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.two_factor_turn_off(request=request, user=request.user, code=form.cleaned_data["code"])
        except services.CodeRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            messages.success(request, _("Two-factor sign-in is off. You sign in with your password only."))
            return redirect("two_factor")
    return two_factor(request, turn_off_form=form)
