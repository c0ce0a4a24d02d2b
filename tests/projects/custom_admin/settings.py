"""A project whose staff use their own admin site, "staff" under backoffice/, beside the default one."""

from __future__ import annotations

from tests.projects.base import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "deploycheck",
]
ROOT_URLCONF = "tests.projects.custom_admin.urls"
