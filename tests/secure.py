"""Settings a production deployment of the test project would have: check --deploy finds nothing."""

from __future__ import annotations

from typing import Any

import django
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage, StaticFilesStorage


def mail_backend_setting(backend: str) -> dict[str, Any]:
    """Django 6.1 replaced EMAIL_BACKEND by MAILERS, and checks only the latter."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": backend}}}
    return {"EMAIL_BACKEND": backend}


# A Content Security Policy, as a production-ready project sends one: Django's own from 6.0,
# django-csp's before. Strict (no inline script or style): deploycheck's admin keeps its look under it.
STRICT_POLICY = {"default-src": ["'self'"], "frame-ancestors": ["'none'"]}
if django.VERSION >= (6, 0):
    CSP_MIDDLEWARE = "django.middleware.csp.ContentSecurityPolicyMiddleware"
    CSP_SETTINGS: dict[str, Any] = {"SECURE_CSP": STRICT_POLICY}
else:
    CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
    CSP_SETTINGS = {"CONTENT_SECURITY_POLICY": {"DIRECTIVES": STRICT_POLICY}}


def with_policy(middleware: list[str]) -> list[str]:
    """``middleware`` sending SECURE_SETTINGS' Content Security Policy, right after SecurityMiddleware."""
    security = "django.middleware.security.SecurityMiddleware"
    at = middleware.index(security) + 1 if security in middleware else 0
    return [*middleware[:at], CSP_MIDDLEWARE, *middleware[at:]]


SECURE_SETTINGS: dict[str, Any] = {
    "DEBUG": False,
    "SECRET_KEY": "k7Qz9vP2wL5rT8yN3bM6cX1dF4gH0jSa-tests-only-Vq8Lm2Rt6Wz0Np4Kd9Hs3Jf7Bx",
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    **mail_backend_setting("django.core.mail.backends.smtp.EmailBackend"),
    **CSP_SETTINGS,
}


class UncollectedManifestStorage(ManifestStaticFilesStorage):
    """A manifest storage, as a Heroku-ready project has, for tests that never run collectstatic:
    it names files as they are, where the real one would refuse the names it has no hash for."""

    def url(self, name: str | None, force: bool = False) -> str:
        return StaticFilesStorage.url(self, name)


# What a project deployed to the fake Heroku's healthy app (tests.heroku_fake) sets: its custom
# domain accepted, the static files collected, served from a CDN, under hashed names.
HEROKU_READY_SETTINGS: dict[str, Any] = {
    "ALLOWED_HOSTS": ["testserver", "localhost", "127.0.0.1", "www.weareone.example"],
    "STATIC_ROOT": "/app/staticfiles",
    "STATIC_URL": "https://cdn.weareone.example/static/",
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "tests.secure.UncollectedManifestStorage"},
    },
}
