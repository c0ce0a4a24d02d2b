"""A project with its own user model, signed in by e-mail address, and the default admin."""

from __future__ import annotations

from tests.projects.base import *  # noqa: F403

INSTALLED_APPS = [*ADMIN_APPS, "tests.projects.custom_user.accounts", "deploycheck"]  # noqa: F405
AUTH_USER_MODEL = "accounts.Member"
ROOT_URLCONF = "tests.projects.custom_user.urls"
