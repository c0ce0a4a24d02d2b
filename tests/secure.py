"""Settings a production deployment of the test project would have: check --deploy finds nothing."""

from __future__ import annotations

from typing import Any

import django


def mail_backend_setting(backend: str) -> dict[str, Any]:
    """Django 6.1 replaced EMAIL_BACKEND by MAILERS, and checks only the latter."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": backend}}}
    return {"EMAIL_BACKEND": backend}


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
}
