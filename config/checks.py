"""System checks that stop an unsafe production start."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from claimants.fields import InvalidKey, parse_key


@register()
def production_secrets(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    errors = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        errors.append(
            Error("SECRET_KEY is the demo key.", hint="Set SECRET_KEY in the environment.", id="redress.E001")
        )
    if not settings.FIELD_ENCRYPTION_KEYS:
        errors.append(
            Error(
                "FIELD_ENCRYPTION_KEYS is not set; personal fields would be encrypted with a derived demo key.",
                hint="Generate a Fernet key and set FIELD_ENCRYPTION_KEYS (see README).",
                id="redress.E002",
            )
        )
    return errors


@register()
def encryption_keys(app_configs, **kwargs):
    """Every FIELD_ENCRYPTION_KEYS entry must be a usable key with its own id (checked in DEBUG too)."""
    errors, seen = [], set()
    for position, entry in enumerate(settings.FIELD_ENCRYPTION_KEYS, start=1):
        try:
            key = parse_key(entry)
        except InvalidKey as exc:
            errors.append(
                Error(
                    f"FIELD_ENCRYPTION_KEYS entry {position} is malformed: {exc}.",
                    hint='Each entry is "<id>:<Fernet key>" or a bare Fernet key (see README).',
                    id="redress.E010",
                )
            )
            continue
        # Ids are compared without case: two ids differing only in case are a mistake waiting to happen.
        if key.id.lower() in seen:
            errors.append(
                Error(
                    f"FIELD_ENCRYPTION_KEYS entry {position} repeats the key id {key.id!r}.",
                    hint="Give every key its own id; a ciphertext names the key that decrypts it.",
                    id="redress.E011",
                )
            )
        seen.add(key.id.lower())
    if not settings.DEBUG and settings.FIELD_ENCRYPTION_KEYS and not settings.BLIND_INDEX_KEY:
        errors.append(
            Warning(
                "BLIND_INDEX_KEY is not set: blind indexes are keyed from the oldest FIELD_ENCRYPTION_KEYS entry, "
                "and duplicate checks break when that key is removed.",
                hint="Set BLIND_INDEX_KEY to the oldest key's value now (digests stay valid), or to a new secret "
                "and run manage.py rotate_encryption_keys --reindex (docs/security.md).",
                id="redress.W010",
            )
        )
    return errors
