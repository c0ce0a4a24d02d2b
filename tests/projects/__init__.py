"""Small real projects of other shapes than the test project's, each a settings module of its own.

- ``no_auth``: an API-only site, without django.contrib.admin, auth or sessions;
- ``custom_user``: a custom ``AUTH_USER_MODEL`` in the project's own app, with its migration;
- ``custom_admin``: the admin on a custom ``AdminSite`` named "staff" under ``backoffice/``,
  beside the default site.
"""

from __future__ import annotations

SHAPES = ["no_auth", "custom_user", "custom_admin"]


def settings_module(shape: str) -> str:
    return f"tests.projects.{shape}.settings"
