from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        # Imported here, not at the top: Django loads the models after the app configs (the one place
        # function-level imports are the rule). Each package connects what it hears (docs/architecture.md).
        from django.db.models.signals import post_migrate

        from cases.core import saved_language, tally
        from cases.deadlines import receivers as deadlines_receivers
        from cases.money import receivers as money_receivers
        from cases.statistics import changes

        saved_language.connect()
        money_receivers.connect()
        deadlines_receivers.connect()
        changes.connect()
        post_migrate.connect(tally.installed_after_migrate, sender=self, dispatch_uid="cases.core.tally")
