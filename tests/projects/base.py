"""What every shape shares: production-like settings and a database from DATABASE_URL.

MIDDLEWARE and TEMPLATES are those of a project with the admin.
"""

from __future__ import annotations

import dj_database_url

from tests.secure import SECURE_SETTINGS, with_policy

globals().update(SECURE_SETTINGS)
ALLOWED_HOSTS = ["testserver", "localhost"]
USE_TZ = True
DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ADMINS = [("Ops", "ops@example.com")]
# The suite runs offline: the OSV database is not asked (tests/checks/test_release_advisories.py fakes it).
DEPLOYCHECK = {"NOTIFY_ADMINS": True, "OSV_API_URL": None}
# What the admin needs, for the shapes that have one.
ADMIN_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
MIDDLEWARE = with_policy(MIDDLEWARE)
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
