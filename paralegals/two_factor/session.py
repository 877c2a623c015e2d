"""What the session says about the second step. Reading it costs no query: the session and the user row (with the
office) are loaded for every signed-in request anyway.

A session is *verified* when ``django_otp``'s key holds the device that accepted a code (``django_otp.login``). At
sign-in (``user_logged_in``) a session whose person has a confirmed device, or must have one, is marked *pending*;
until the second step clears it, the middleware sends every staff page to it. Whether the person has a device is
looked up once, at sign-in, never per request.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_KEY = "_redress_2fa_pending"  # session: the password is checked, the code is not yet
CODES_KEY = "_redress_2fa_codes"  # session: new recovery codes not yet acknowledged ("I have saved them")


def is_verified(session) -> bool:
    return session.get(DEVICE_ID_SESSION_KEY) is not None


def needs_second_step(session, user) -> bool:
    """The session may reach staff pages only after a code (or after enrolling, for those who must)."""
    if session.get(SESSION_KEY) is None or is_verified(session):
        return False
    return bool(session.get(PENDING_KEY)) or user.two_factor_required


def mark_verified(request, device) -> None:
    """The second step is done with ``device``: the session is fully signed in, under a new session key (as at
    sign-in, when a session gains its rights)."""
    request.session.cycle_key()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.session.pop(PENDING_KEY, None)


def forget_verification(session) -> None:
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.pop(PENDING_KEY, None)
    session.pop(CODES_KEY, None)


@receiver(user_logged_in, dispatch_uid="paralegals.two_factor.require_second_step")
def require_second_step(sender, request, user, **kwargs):
    """Every password sign-in starts unverified; it is pending if the person has a device or must enrol one."""
    if request is None or not hasattr(request, "session"):
        return
    forget_verification(request.session)
    if user.two_factor_required or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[PENDING_KEY] = True
