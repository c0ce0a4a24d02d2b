"""A small Django site for the live HTTP checks; SITE_PROFILE says how well it is configured."""

from __future__ import annotations

import os

import django

PROFILE = os.environ.get("SITE_PROFILE", "secure")
SECURE = PROFILE != "insecure"

SECRET_KEY = "http-site-tests-only-" + "x" * 40
DEBUG = not SECURE
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "tests.http_site.urls"
INSTALLED_APPS = ["django.contrib.sessions"]
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
if SECURE:
    MIDDLEWARE.append("django.middleware.clickjacking.XFrameOptionsMiddleware")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if django.VERSION >= (6, 0):
        # Django's own middleware sends the policy; before 6.0 the view sets the same header.
        MIDDLEWARE.append("django.middleware.csp.ContentSecurityPolicyMiddleware")
        SECURE_CSP = {"default-src": ["'self'"], "frame-ancestors": ["'none'"]}
else:
    SECURE_CONTENT_TYPE_NOSNIFF = False
    SECURE_REFERRER_POLICY = None
    SECURE_CROSS_ORIGIN_OPENER_POLICY = None
