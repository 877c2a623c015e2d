"""Encryption at rest for the few fields that must never sit in the clear.

``EncryptedTextField`` stores Fernet tokens (AES-128-CBC + HMAC-SHA256). Keys come
from ``FIELD_ENCRYPTION_KEYS`` (newest first; older keys still decrypt, so keys can
be rotated by re-saving rows). Encrypted values cannot be searched; for lookups a
keyed digest (``blind_index``) is stored beside them.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _keys() -> tuple[str, ...]:
    if settings.FIELD_ENCRYPTION_KEYS:
        return tuple(settings.FIELD_ENCRYPTION_KEYS)
    # Demo only (config.checks refuses this outside DEBUG): derive a key from SECRET_KEY.
    derived = hashlib.sha256(b"redress-field-encryption:" + settings.SECRET_KEY.encode()).digest()
    return (base64.urlsafe_b64encode(derived).decode(),)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(_keys())


def blind_index(value: str) -> str:
    """A keyed digest of a normalised value, for exact-match lookups of encrypted data.

    Keyed with the oldest encryption key, so adding a newer key does not change digests.
    """
    normalised = "".join(ch for ch in value.upper() if ch.isalnum())
    key = hashlib.sha256(b"redress-blind-index:" + _keys()[-1].encode()).digest()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return fernet().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("An encrypted field could not be decrypted: check FIELD_ENCRYPTION_KEYS.") from exc

    def get_lookup(self, lookup_name):
        # Fernet tokens are randomised: any lookup but isnull would silently match nothing.
        if lookup_name not in ("isnull",):
            raise NotImplementedError(f"EncryptedTextField does not support the '{lookup_name}' lookup.")
        return super().get_lookup(lookup_name)
