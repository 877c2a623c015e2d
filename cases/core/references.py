"""Case references: what a worker writes down, reads over the phone and types on a small screen.

Eight random characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V),
drawn with ``secrets`` (about 39 bits; the status check adds a PIN), plus a check
character so a mistyped reference is caught before any lookup. The check is a
position-weighted sum modulo 29 (the alphabet's size, a prime), which catches every
single-character substitution and every swap of neighbouring characters; Luhn mod N
would not, because it needs an even-sized alphabet.
Shown as ``XXXX-XXXX-C``. Nothing sequential ever reaches a worker.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
RANDOM_LENGTH = 8
_N = len(ALPHABET)


def _check_character(body: str) -> str:
    total = 0
    for char in body:
        total = (total + ALPHABET.index(char)) * 2 % _N
    return ALPHABET[-total % _N]


def new_reference() -> str:
    return reference_with_check("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


def reference_with_check(body: str) -> str:
    """``body`` (RANDOM_LENGTH characters of ALPHABET) shown as a reference, check character added."""
    return f"{body[:4]}-{body[4:]}-{_check_character(body)}"


def normalise_reference(raw: str) -> str | None:
    """The canonical form of what someone typed, or None when it cannot be a reference."""
    chars = "".join(ch for ch in raw.upper() if ch.isalnum())
    if len(chars) != RANDOM_LENGTH + 1 or any(ch not in ALPHABET for ch in chars):
        return None
    body, check = chars[:RANDOM_LENGTH], chars[RANDOM_LENGTH]
    if _check_character(body) != check:
        return None
    return f"{body[:4]}-{body[4:]}-{check}"
