"""System checks that stop an unsafe production start."""

from django.conf import settings
from django.core.checks import Error, register


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
                "FIELD_ENCRYPTION_KEYS is not set; identity documents would be encrypted with a derived demo key.",
                hint="Generate a Fernet key and set FIELD_ENCRYPTION_KEYS (see README).",
                id="redress.E002",
            )
        )
    return errors
