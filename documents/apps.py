from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Evidence and filings")

    def ready(self):
        from . import (
            receivers,
            storage,  # noqa: F401 (registers the check that evidence storage is not public)
        )

        receivers.connect()  # the case core's announcements (cases.core.signals)
