from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Redress configuration"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
