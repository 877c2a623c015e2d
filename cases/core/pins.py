"""The worker's status-check PIN: eight random digits, shown once at intake, stored only as a slow salted hash.

Together with the case reference (about 39 bits) the PIN (about 26.6 bits) makes a pair no one can guess
(≥ 64 bits). The clear PIN is never stored, logged or put in a URL; a lost PIN is re-issued, never recovered.
"""

import secrets
import unicodedata

from django.contrib.auth.hashers import check_password, make_password

PIN_LENGTH = 8
# Where a new PIN waits, encrypted, in the staff member's session until the page that shows it once is opened
# (the intake done page, cases.core.views.intake, and a re-issued PIN, cases.portal.staff).
PIN_SESSION_KEY = "intake_pin:{case_id}"
_PIN_SPACE = 10**PIN_LENGTH


def new_pin() -> str:
    """Eight digits from the operating system's secure random source (leading zeros kept)."""
    return f"{secrets.randbelow(_PIN_SPACE):0{PIN_LENGTH}d}"


def ascii_digits(raw: str) -> str:
    """``raw`` with every decimal digit of any script (Arabic-Indic ٠-٩, Devanagari ०-९, Burmese, Thai, full-width…)
    written as an ASCII digit; other characters unchanged."""
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch for ch in raw)


def normalise_pin(raw: str) -> str:
    """What the worker typed, in ASCII digits, without the spaces and dashes people add when copying a PIN."""
    return "".join(ch for ch in ascii_digits(raw) if not ch.isspace() and ch not in "-‐‑‒–.")


def hash_pin(pin: str) -> str:
    """A salted, deliberately slow hash (the project's password hasher) of the PIN."""
    return make_password(normalise_pin(pin))


def check_pin(pin: str, pin_hash: str) -> bool:
    """True when ``pin`` matches ``pin_hash``. Takes as long when there is no hash, so timing tells nothing."""
    pin = normalise_pin(pin or "")
    if not pin_hash:
        make_password(pin)  # spend the same time as a real check
        return False
    return check_password(pin, pin_hash)
