"""Settings for deploycheck's own tests: SQLite by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import dj_database_url

from tests.secure import mail_backend_setting

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "French")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "deploycheck",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "tests.urls"
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
DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:")}
STATIC_URL = "static/"
globals().update(mail_backend_setting("django.core.mail.backends.locmem.EmailBackend"))

# deploycheck's reference tables age with the calendar: once they are 180 days old the check
# fails, by design. The suite must not start failing on a date, so it is silenced here (its own
# tests evaluate it with a fixed day, and silenced results are still recorded).
SILENCED_SYSTEM_CHECKS = ["release.reference_data"]

# The suite never asks the real OSV database (tests/conftest.py holds every test to that); the
# advisory tests point OSV_API_URL at a fake on loopback.
DEPLOYCHECK: dict[str, object] = {"OSV_API_URL": None}
