"""Settings for deploycheck's example project, read from the environment as on Heroku.

``DEMO_PROFILE`` switches between two set-ups so the demo shows checks failing and passing:

- ``development`` (the default): DEBUG on, a placeholder secret key, no HTTPS settings,
  e-mail printed to the console (Django 6.1's ``mail.E001`` about it is silenced);
  ``manage.py deploycheck`` reports what is not ready as warnings and exits 0.
- ``production``: what a Heroku deployment should look like; needs ``SECRET_KEY`` in the
  environment (the README's demo command generates one).

Any setting below can also be overridden by an environment variable or a ``.env`` file.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django
import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

PROFILE = env.str("DEMO_PROFILE", default="development")
if PROFILE not in {"development", "production"}:
    raise environ.ImproperlyConfigured("DEMO_PROFILE must be 'development' or 'production'.")
PRODUCTION = PROFILE == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-example-project-development-only")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["weareone.herokuapp.com"] if PRODUCTION else ["localhost", "127.0.0.1"]
)

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

ROOT_URLCONF = "example_project.urls"
WSGI_APPLICATION = "example_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# Heroku Postgres sets DATABASE_URL; without it the example uses a SQLite file beside manage.py.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600 if PRODUCTION else 0,
        conn_health_checks=PRODUCTION,
        ssl_require=PRODUCTION and env.str("DATABASE_URL", default="").startswith("postgres"),
    )
}

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# A CDN's address in production, say; `make demo-admin` gives its apps one.
STATIC_URL = env.str("STATIC_URL", default="static/")
STATIC_ROOT = BASE_DIR / "staticfiles"
if PRODUCTION:
    # Hashed names, so that browsers and CDNs never serve yesterday's CSS after a deploy; Heroku's
    # build runs collectstatic, which writes the manifest this storage reads.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

_email_backend = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
# Django 6.1 configures e-mail through MAILERS and deprecates EMAIL_BACKEND.
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": _email_backend}}
else:
    EMAIL_BACKEND = _email_backend

# Development prints e-mail to the console on purpose. Django 6.1's deployment check mail.E001 calls
# that an error; silencing it here keeps the development run at warnings on every Django series, and
# shows how a silenced check reads (recorded, flagged "silenced", not failing the run). Production
# never silences it: a console backend there fails the run.
SILENCED_SYSTEM_CHECKS = [] if PRODUCTION else ["mail.E001"]

if PRODUCTION:
    # Heroku's router terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # A Content Security Policy that lets no inline script or style in: Django's own from 6.0,
    # django-csp's (the `example` extra installs it) on 5.2. deploycheck's admin keeps its look under it.
    _policy = {"default-src": ["'self'"], "frame-ancestors": ["'none'"]}
    if django.VERSION >= (6, 0):
        MIDDLEWARE.insert(1, "django.middleware.csp.ContentSecurityPolicyMiddleware")
        SECURE_CSP = _policy
    else:
        MIDDLEWARE.insert(1, "csp.middleware.CSPMiddleware")
        CONTENT_SECURITY_POLICY = {"DIRECTIVES": _policy}

DEPLOYCHECK = {
    "FAIL_LEVEL": env.str("DEPLOYCHECK_FAIL_LEVEL", default="ERROR"),
    # The demo runs offline, so it does not ask the OSV database of known vulnerabilities by default:
    # release.security_advisories reports "skipped". DEPLOYCHECK_OSV_API_URL=https://api.osv.dev turns
    # it on. A real project keeps deploycheck's default, which asks https://api.osv.dev.
    "OSV_API_URL": env.str("DEPLOYCHECK_OSV_API_URL", default=None),
    # Secrets, from the environment as on Heroku (config vars): the status endpoint's token and a
    # webhook's URL. Without them the endpoint answers 404 and nothing is posted.
    "STATUS_TOKEN": env.str("DEPLOYCHECK_STATUS_TOKEN", default=None),
    "WEBHOOKS": [{"url": url} for url in env.list("DEPLOYCHECK_WEBHOOK_URLS", default=[])],
    "SITE_URL": env.str("DEPLOYCHECK_SITE_URL", default=None),
    # Heroku's Platform API, or `make demo-admin`'s stand-in of it on loopback; the token comes from
    # HEROKU_API_KEY. Without apps here, a dyno's HEROKU_APP_NAME names the one to check.
    "HEROKU_API_URL": env.str("DEPLOYCHECK_HEROKU_API_URL", default="https://api.heroku.com"),
    "HEROKU_APPS": env.list("DEPLOYCHECK_HEROKU_APPS", default=[]),
}
