"""Signing in as people do, for the two-factor tests: the password on the sign-in page, then a code computed the
way an authenticator app computes it (django_otp.oath, no other library)."""

import base64
import re
import time
from binascii import hexlify

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"
CODES = "/accounts/two-factor/recovery-codes/"
PAGE = "/accounts/two-factor/"


def app_code(key: bytes, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows now for ``key`` (or ``steps_ahead`` 30-second steps later)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def give_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    return app_code(device.bin_key, steps_ahead=steps_ahead)


def key_from_setup_page(html: str) -> bytes:
    """The secret as the page shows it for typing by hand (groups of 4 base32 characters)."""
    shown = re.search(r'<p class="secret" id="secret">([A-Z2-7 ]+)</p>', html).group(1)
    return base64.b32decode(shown.replace(" ", ""))


def hex_key(key: bytes) -> str:
    return hexlify(key).decode()


def password_sign_in(user, address: str = "192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step signs in"
    return client
