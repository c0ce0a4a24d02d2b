"""A project whose staff use their own admin site, "staff" under backoffice/, beside the default one."""

from __future__ import annotations

from tests.projects.base import *  # noqa: F403

INSTALLED_APPS = [*ADMIN_APPS, "deploycheck"]  # noqa: F405
ROOT_URLCONF = "tests.projects.custom_admin.urls"
