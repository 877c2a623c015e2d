from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParalegalsConfig(AppConfig):
    name = "paralegals"
    verbose_name = _("Staff and offices")

    def ready(self):
        # Connects the sign-in receiver that starts every password sign-in unverified (before any request is served:
        # the test client's login() sends the signal without going through the middleware).
        from .two_factor import session  # noqa: F401
