from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases.core import saved_language
        from cases.statistics import changes

        changes.connect()
        saved_language.connect()
