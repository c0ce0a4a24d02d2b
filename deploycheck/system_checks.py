"""deploycheck's own Django system checks: a bad DEPLOYCHECK setting is caught at start-up."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from deploycheck import conf
from deploycheck.core.catalogue import catalogue


def check_deploycheck_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    hint = gettext("See the settings reference in deploycheck's README.")
    found = conf.problems()
    if not found:
        try:
            catalogue.select()
        except ImproperlyConfigured as exc:
            found = [("deploycheck.E007", str(exc))]
    return [checks.Error(explanation, hint=hint, id=error_id) for error_id, explanation in found]
