"""A project with its own user model, signed in by e-mail address, and the default admin."""

from __future__ import annotations

from tests.projects.base import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "tests.projects.custom_user.accounts",
    "deploycheck",
]
AUTH_USER_MODEL = "accounts.Member"
ROOT_URLCONF = "tests.projects.custom_user.urls"
