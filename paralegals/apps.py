from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParalegalsConfig(AppConfig):
    name = "paralegals"
    verbose_name = _("Staff and offices")

    def ready(self):
        # The sign-in stamp (user_logged_in receiver) must be connected before the first sign-in, not when the
        # middleware that reads it is first loaded: a sign-in outside a request (tests' force_login, a shell) would
        # otherwise leave a session without its clocks.
        from . import signin  # noqa: F401
