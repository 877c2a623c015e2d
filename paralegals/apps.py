from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParalegalsConfig(AppConfig):
    name = "paralegals"
    verbose_name = _("Staff and offices")

    def ready(self):
        # Connect the sign-in receivers (the session's clocks; every password sign-in starts without its second step)
        # before any request is served: the test client's login() sends the signal before any middleware is loaded.
        from . import signin  # noqa: F401
        from .two_factor import session  # noqa: F401
