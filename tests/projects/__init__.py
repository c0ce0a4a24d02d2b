"""Small real projects of other shapes than the test project's, each a settings module of its own.

- ``no_auth``: an API-only site, without django.contrib.admin, auth or sessions;
- ``custom_user``: a custom ``AUTH_USER_MODEL`` in the project's own app, with its migration;
- ``custom_admin``: the admin on a custom ``AdminSite`` named "staff" under ``backoffice/``,
  beside the default site.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    name: str
    # What a run started by the user "ada" records: her username, or nothing without a user model.
    username: str
    # Where the admin sites showing deploycheck are mounted.
    admin_prefixes: tuple[str, ...]

    @property
    def settings_module(self) -> str:
        return f"tests.projects.{self.name}.settings"


SHAPES = [
    Shape("no_auth", "", ()),
    Shape("custom_user", "ada@example.com", ("admin/",)),
    Shape("custom_admin", "ada", ("backoffice/", "admin/")),
]
