from __future__ import annotations

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy


class DeploycheckConfig(AppConfig):
    name = "deploycheck"
    verbose_name = gettext_lazy("Deployment checks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from deploycheck.core.catalogue import catalogue
        from deploycheck.system_checks import check_deploycheck_settings

        checks.register(check_deploycheck_settings, "deploycheck")
        catalogue.load()
