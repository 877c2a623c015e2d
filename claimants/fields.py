"""Encryption at rest for the fields that must never sit in the clear.

``EncryptedTextField`` stores ``"<key id>$<Fernet token>"`` (Fernet: AES-128-CBC + HMAC-SHA256). Keys come from
``FIELD_ENCRYPTION_KEYS``, newest first, each ``"<id>:<key>"`` or a bare key (its id is then the first 8 hex digits
of the key's SHA-256). Values are always encrypted with the newest key; a value is decrypted with the key its id
names, so older keys keep working until ``manage.py rotate_encryption_keys`` has moved every row to the newest one.
Tokens written before key ids existed (a bare Fernet token) are tried against every key.

Encrypted values cannot be searched; for exact-match lookups a keyed digest (a blind index: HMAC-SHA256 of the
normalised value) is stored beside them. Its key is ``BLIND_INDEX_KEY``, separate from the encryption keys and not
rotated with them (docs/security.md, "Encryption at rest").
"""

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.db import models

SEPARATOR = "$"
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# A Fernet token is URL-safe base64 of version byte 0x80 + ...: it always starts with "gAAAAA".
_TOKEN = re.compile(r"^gAAAAA[A-Za-z0-9_=-]+$")


class InvalidKey(ValueError):
    """FIELD_ENCRYPTION_KEYS holds something that is not a usable key."""


@dataclass(frozen=True)
class Key:
    id: str
    secret: str  # the Fernet key, URL-safe base64 of 32 bytes
    fernet: Fernet


def derived_key_id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:8]


def parse_key(entry: str) -> Key:
    """One ``FIELD_ENCRYPTION_KEYS`` entry: ``"id:key"`` or a bare key. Raises ``InvalidKey`` if malformed."""
    entry = entry.strip()
    # URL-safe base64 has no ":", so the first one separates the id.
    key_id, colon, secret = entry.partition(":")
    if not colon:
        key_id, secret = derived_key_id(entry), entry
    if not KEY_ID.match(key_id):
        raise InvalidKey("a key id must be 1 to 32 letters, digits, '-' or '_'")
    try:
        if len(base64.urlsafe_b64decode(secret.encode())) != 32:
            raise ValueError
        fernet = Fernet(secret.encode())
    except (ValueError, binascii.Error):
        raise InvalidKey(f"the key with id {key_id!r} is not a Fernet key (URL-safe base64 of 32 bytes)") from None
    return Key(key_id, secret, fernet)


def _entries() -> tuple[str, ...]:
    if settings.FIELD_ENCRYPTION_KEYS:
        return tuple(settings.FIELD_ENCRYPTION_KEYS)
    # Demo only (config.checks refuses this outside DEBUG): derive a key from SECRET_KEY.
    derived = hashlib.sha256(b"redress-field-encryption:" + settings.SECRET_KEY.encode()).digest()
    return (base64.urlsafe_b64encode(derived).decode(),)


@lru_cache(maxsize=8)
def _keyring(entries: tuple[str, ...]) -> tuple[Key, ...]:
    return tuple(parse_key(entry) for entry in entries)


def keyring() -> tuple[Key, ...]:
    """The configured keys, newest first."""
    return _keyring(_entries())


def newest_key_id() -> str:
    return keyring()[0].id


def fernet() -> MultiFernet:
    """All keys, newest first: for short-lived tokens without a key id (the PIN kept in a session)."""
    return _multi(_entries())


@lru_cache(maxsize=8)
def _multi(entries: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([key.fernet for key in _keyring(entries)])


def encrypt(value: str) -> str:
    key = keyring()[0]
    return f"{key.id}{SEPARATOR}{key.fernet.encrypt(value.encode()).decode()}"


def key_id_of(stored: str) -> str | None:
    """The key id a stored value names; None for a legacy token without one."""
    key_id, separator, _token = stored.partition(SEPARATOR)
    return key_id if separator else None


def decrypt(stored: str) -> str:
    key_id, separator, token = stored.partition(SEPARATOR)
    keys = keyring()
    try:
        if not separator:  # a legacy token, written before key ids: try every key
            return _multi(_entries()).decrypt(stored.encode()).decode()
        key = next((key for key in keys if key.id == key_id), None)
        if key is None:
            raise ValueError(
                f"An encrypted field names key id {key_id!r}, which is not in FIELD_ENCRYPTION_KEYS "
                "(was a key removed before rotate_encryption_keys finished?)."
            )
        return key.fernet.decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("An encrypted field could not be decrypted: check FIELD_ENCRYPTION_KEYS.") from exc


def looks_encrypted(stored: str) -> bool:
    """Whether a raw column value has the shape of ciphertext this module writes (with or without a key id).

    By shape only, not by decrypting: a value under a key no longer configured is still ciphertext, and must never
    be mistaken for clear text and encrypted a second time. No phone number, email or address has this shape.
    """
    key_id, separator, token = stored.partition(SEPARATOR)
    if not separator:
        token = stored
    elif not KEY_ID.match(key_id):
        return False
    return len(token) >= 100 and bool(_TOKEN.match(token))


def _blind_index_key() -> bytes:
    # Default: keyed with the oldest encryption key, as before BLIND_INDEX_KEY existed, so digests stay valid.
    secret = settings.BLIND_INDEX_KEY or keyring()[-1].secret
    return hashlib.sha256(b"redress-blind-index:" + secret.encode()).digest()


def keyed_digest(text: str) -> str:
    """HMAC-SHA256 (hex) of ``text`` under the blind-index key."""
    return hmac.new(_blind_index_key(), text.encode(), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """A keyed digest of an identity document number (letters and digits, case-insensitive) for exact lookups."""
    return keyed_digest("".join(ch for ch in value.upper() if ch.isalnum()))


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. ``max_length`` (optional) limits the clear text in forms and serializers."""

    description = "Text encrypted at rest"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        # Fernet tokens are randomised: any lookup but isnull would silently match nothing.
        if lookup_name not in ("isnull",):
            raise NotImplementedError(f"EncryptedTextField does not support the '{lookup_name}' lookup.")
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs):
        # A short value (a name, a phone number) gets a one-line input, as the CharField it replaced did.
        if self.max_length and "widget" not in kwargs:
            kwargs["widget"] = forms.TextInput
        return super().formfield(**kwargs)
