from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParalegalsConfig(AppConfig):
    name = "paralegals"
    verbose_name = _("Staff and offices")
