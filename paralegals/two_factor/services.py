"""Every write to a person's second factor: enrolment, the code at sign-in, recovery codes, turning it off, reset.

The devices are django-otp's: a ``TOTPDevice`` (the authenticator app; ``last_t`` refuses a code, or an older one,
once a code has been accepted) and a ``StaticDevice`` holding the recovery codes (each deleted when used). Both
throttle per person: after n wrong codes in a row the device accepts nothing for 2^(n-1) seconds. Wrong codes at
sign-in are also failures for django-axes (``paralegals.signin``): 5 for one (username, address) pair lock it for 15
minutes, the same count as wrong passwords.
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .session import CODES_KEY, forget_verification, mark_verified

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class CodeRefused(Exception):
    """A code was not accepted; ``message`` says why, for the person (translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SignInLocked(CodeRefused):
    """Too many wrong codes (or passwords) from this address: the half-done sign-in is ended."""


def normalise(code: str) -> str:
    """Codes are typed with spaces or dashes ("123 456", "abcd-efgh") and in any case."""
    return "".join(code.split()).replace("-", "").lower()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed device whose secret the person adds to their app: the same one until it is confirmed, so
    reloading the page does not change the QR code under them."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def enrolment_confirm(*, request, user, device_id: int, code: str) -> list[str]:
    """Confirm the new device with a code from the app; the session is verified and gets 10 new recovery codes
    (returned, and kept in the session until the person says they saved them)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
        refusal = _refusal(device, code)
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _new_recovery_codes(user)
    # Raised after the block: the device's count of wrong codes must be kept, not rolled back.
    if device is None:
        raise CodeRefused(_("This setup has expired. Start again."))
    if refusal is not None:
        raise refusal
    mark_verified(request, device)
    request.session[CODES_KEY] = codes
    return codes


def second_step_verify(*, request, user, code: str):
    """Check the code of a session signed in with the password: a 6-digit code from the app or a recovery code.

    A wrong code counts for django-axes like a wrong password; at the limit the sign-in is ended and the person
    sees the lockout page (``request.axes_locked_out``, answered by axes' middleware).
    """
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        _end_sign_in(request)
        raise SignInLocked(_("Too many wrong codes."))
    typed = normalise(code)
    # 6 digits: the app's code; anything else: a recovery code (8 base32 characters).
    model = TOTPDevice if len(typed) == 6 and typed.isdigit() else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        refusal = _refusal(device, code)
    if refusal is not None:
        user_login_failed.send(sender=second_step_verify, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            _end_sign_in(request)
            raise SignInLocked(_("Too many wrong codes."))
        raise refusal
    mark_verified(request, device)
    return device


def recovery_codes_renew(*, request, user) -> list[str]:
    """Ten new recovery codes; the old ones stop working. Shown once (kept in the session until acknowledged)."""
    with transaction.atomic():
        codes = _new_recovery_codes(user)
    request.session[CODES_KEY] = codes
    return codes


def two_factor_turn_off(*, request, user, code: str) -> None:
    """Remove the person's app and recovery codes, after a current code from the app; not for those who must
    keep it."""
    if user.two_factor_required:
        raise CodeRefused(_("Your role or office requires two-factor sign-in: it cannot be turned off."))
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        refusal = _refusal(device, code)
        if refusal is None:
            _delete_devices([user.pk])
    if refusal is not None:
        raise refusal
    forget_verification(request.session)


def two_factor_reset(*, user_ids) -> int:
    """An administrator's reset (the person lost their phone): their app and recovery codes are removed, so their
    next sign-in asks them to set it up again. Returns how many of them had one."""
    with transaction.atomic():
        had = set(TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True))
        _delete_devices(user_ids)
    return len(had)


def demo_device_install(*, user, key_hex: str) -> TOTPDevice:
    """A confirmed device with a known secret (the demo prints it so testers can add it to an app)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": DEVICE_NAME, "key": key_hex}
    )
    return device


# --- helpers ----------------------------------------------------------------------------------------------------


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _delete_devices(user_ids) -> None:
    TOTPDevice.objects.filter(user_id__in=user_ids).delete()
    StaticDevice.objects.filter(user_id__in=user_ids).delete()  # and their codes (cascade)


def _refusal(device, code: str) -> CodeRefused | None:
    """Why ``code`` is not accepted by ``device`` (None: accepted, and used up). Call inside a transaction holding
    the device's row lock, so two requests cannot both use one code."""
    if device is None:
        return CodeRefused(_("That code is not right."))
    allowed, info = device.verify_is_allowed()
    if not allowed:
        seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
        return CodeRefused(
            ngettext(
                "Too many wrong codes in a row. Wait %(seconds)d second and try again.",
                "Too many wrong codes in a row. Wait %(seconds)d seconds and try again.",
                seconds,
            )
            % {"seconds": seconds}
        )
    if not device.verify_token(normalise(code)):
        return CodeRefused(_("That code is not right. Type the code your app shows now."))
    return None


def _end_sign_in(request) -> None:
    request.axes_locked_out = True  # axes' middleware answers with paralegals.signin.lockout_response
    logout(request)
