"""deploycheck's own Django system checks: a bad DEPLOYCHECK setting is caught at start-up."""

from __future__ import annotations

from typing import Any

from django.core import checks

from deploycheck import conf


def check_deploycheck_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(explanation, hint="See the settings reference in deploycheck's README.", id=error_id)
        for error_id, explanation in conf.problems()
    ]
