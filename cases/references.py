"""Case references: what a worker writes down, reads over the phone and types on a small screen.

Eight random characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V),
drawn with ``secrets`` (about 39 bits; the status check adds a PIN), plus a check
character (Luhn mod N) so a mistyped reference is caught before any lookup.
Shown as ``XXXX-XXXX-C``. Nothing sequential ever reaches a worker.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
RANDOM_LENGTH = 8
_N = len(ALPHABET)


def _check_character(body: str) -> str:
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // _N + addend % _N
    return ALPHABET[(_N - total % _N) % _N]


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
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
