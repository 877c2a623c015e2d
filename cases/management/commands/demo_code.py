"""The current two-factor code of the demo's coordinators and admin, for testers without an authenticator app."""

import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from .seed_demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current sign-in code of the demo's coordinators and admin (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code is for the demo; it runs only with DEBUG on.")
        totp = TOTP(base64.b32decode(DEMO_TOTP_KEY))
        seconds_left = 30 - int(totp.time) % 30
        self.stdout.write(
            f"{totp.token():06d}  (valid for {seconds_left} more seconds; each account accepts a code once)"
        )
