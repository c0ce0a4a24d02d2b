"""The words of the ``django`` family: titles and remedies of Django's checks, in deploycheck's catalogue.

Django's deployment checks are known by function name and carry a readable title and remedy.
Django writes its check messages in English only; for its fixed deployment messages, readers in
other languages get deploycheck's own rendition of what the message says (English readers get
Django's words, exactly as `check --deploy` prints them).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache

from django.core.checks import CheckMessage
from django.core.checks import registry as django_registry
from django.utils import translation

from deploycheck.choices import Level
from deploycheck.text import Text
from deploycheck.text import later as _


@dataclass(frozen=True)
class Known:
    ids: tuple[str, ...]
    title: Text
    remedy: Text
    level: int = Level.WARNING
    setting: str = ""


# Django's deployment checks by function, from Django 5.2 and 6.1. The ids are Django's.
KNOWN: dict[str, Known] = {
    "check_security_middleware": Known(
        ("security.W001",),
        _("SecurityMiddleware is installed"),
        _("Add 'django.middleware.security.SecurityMiddleware' to MIDDLEWARE."),
    ),
    "check_xframe_options_middleware": Known(
        ("security.W002",),
        _("Clickjacking protection middleware is installed"),
        _("Add 'django.middleware.clickjacking.XFrameOptionsMiddleware' to MIDDLEWARE."),
    ),
    "check_csrf_middleware": Known(
        ("security.W003",),
        _("CSRF protection middleware is installed"),
        _("Add 'django.middleware.csrf.CsrfViewMiddleware' to MIDDLEWARE."),
    ),
    "check_sts": Known(
        ("security.W004",),
        _("HTTP Strict Transport Security is on"),
        _("Set SECURE_HSTS_SECONDS, starting small (3600) and raising it to a year once HTTPS works."),
        setting="SECURE_HSTS_SECONDS",
    ),
    "check_sts_include_subdomains": Known(
        ("security.W005",),
        _("HSTS covers subdomains"),
        _("Set SECURE_HSTS_INCLUDE_SUBDOMAINS = True once every subdomain serves HTTPS."),
        setting="SECURE_HSTS_INCLUDE_SUBDOMAINS",
    ),
    "check_content_type_nosniff": Known(
        ("security.W006",),
        _("Responses forbid content-type sniffing"),
        _("Set SECURE_CONTENT_TYPE_NOSNIFF = True."),
        setting="SECURE_CONTENT_TYPE_NOSNIFF",
    ),
    "check_ssl_redirect": Known(
        ("security.W008",),
        _("Plain HTTP is redirected to HTTPS"),
        _("Set SECURE_SSL_REDIRECT = True (and SECURE_PROXY_SSL_HEADER behind Heroku's router)."),
        setting="SECURE_SSL_REDIRECT",
    ),
    "check_secret_key": Known(
        ("security.W009",),
        _("SECRET_KEY is long, random and not a generated placeholder"),
        _("Read SECRET_KEY from a config var holding at least 50 random characters."),
        setting="SECRET_KEY",
    ),
    "check_session_cookie_secure": Known(
        ("security.W010", "security.W011", "security.W012"),
        _("The session cookie is sent over HTTPS only"),
        _("Set SESSION_COOKIE_SECURE = True."),
        setting="SESSION_COOKIE_SECURE",
    ),
    "check_session_cookie_httponly": Known(
        ("security.W013", "security.W014", "security.W015"),
        _("The session cookie is hidden from JavaScript"),
        _("Keep SESSION_COOKIE_HTTPONLY = True."),
        setting="SESSION_COOKIE_HTTPONLY",
    ),
    "check_csrf_cookie_secure": Known(
        ("security.W016",),
        _("The CSRF cookie is sent over HTTPS only"),
        _("Set CSRF_COOKIE_SECURE = True."),
        setting="CSRF_COOKIE_SECURE",
    ),
    "check_debug": Known(
        ("security.W018",),
        _("DEBUG is off"),
        _("Set DEBUG = False in production, for example from a config var."),
        setting="DEBUG",
    ),
    "check_xframe_deny": Known(
        ("security.W019",),
        _("Pages refuse to be framed"),
        _("Set X_FRAME_OPTIONS = 'DENY' unless the site frames its own pages."),
        setting="X_FRAME_OPTIONS",
    ),
    "check_allowed_hosts": Known(
        ("security.W020",),
        _("ALLOWED_HOSTS is set"),
        _("List the site's host names in ALLOWED_HOSTS."),
        setting="ALLOWED_HOSTS",
    ),
    "check_sts_preload": Known(
        ("security.W021",),
        _("HSTS allows preloading"),
        _("Set SECURE_HSTS_PRELOAD = True, then submit the domain to the browsers' preload list."),
        setting="SECURE_HSTS_PRELOAD",
    ),
    "check_referrer_policy": Known(
        ("security.W022", "security.E023"),
        _("A valid Referrer-Policy is sent"),
        _("Set SECURE_REFERRER_POLICY, for example to 'same-origin'."),
        setting="SECURE_REFERRER_POLICY",
    ),
    "check_cross_origin_opener_policy": Known(
        ("security.E024",),
        _("The Cross-Origin-Opener-Policy is valid"),
        _("Set SECURE_CROSS_ORIGIN_OPENER_POLICY to 'same-origin', 'same-origin-allow-popups' or 'unsafe-none'."),
        level=Level.ERROR,
        setting="SECURE_CROSS_ORIGIN_OPENER_POLICY",
    ),
    "check_secret_key_fallbacks": Known(
        ("security.W025",),
        _("Old secret keys kept for rotation are strong"),
        _("Remove weak entries from SECRET_KEY_FALLBACKS, or replace them with random keys."),
        setting="SECRET_KEY_FALLBACKS",
    ),
    "check_async_unsafe": Known(
        ("async.E001",),
        _("DJANGO_ALLOW_ASYNC_UNSAFE is not set"),
        _("Unset the DJANGO_ALLOW_ASYNC_UNSAFE environment variable in production."),
        level=Level.ERROR,
    ),
    "check_cache_location_not_exposed": Known(
        ("caches.W002",),
        _("File caches are not served as media or static files"),
        _("Move the file cache's LOCATION outside MEDIA_ROOT, STATIC_ROOT and STATICFILES_DIRS."),
        setting="CACHES",
    ),
    "check_mailers_production_backend": Known(
        ("mail.E001",),
        _("E-mail is sent through a production backend"),
        _("Use an SMTP backend or a provider's backend instead of the console, file, dummy or locmem ones."),
        level=Level.ERROR,
        setting="EMAIL_BACKEND",
    ),
}


_MESSAGES: dict[str, Text] = {
    "security.W001": _(
        "SecurityMiddleware is not in MIDDLEWARE, so the SECURE_* settings (HSTS, HTTPS redirect, "
        "nosniff, Referrer-Policy, Cross-Origin-Opener-Policy) have no effect."
    ),
    "security.W002": _(
        "XFrameOptionsMiddleware is not in MIDDLEWARE, so pages do not send X-Frame-Options and can be "
        "framed by other sites (clickjacking)."
    ),
    "security.W003": _("CsrfViewMiddleware is not in MIDDLEWARE: forms are not protected against cross-site forgery."),
    "security.W004": _(
        "SECURE_HSTS_SECONDS is not set: browsers are not told to use HTTPS only. Read Django's documentation "
        "first, as a long HSTS duration is hard to undo."
    ),
    "security.W005": _("SECURE_HSTS_INCLUDE_SUBDOMAINS is not True: subdomains can still be reached over plain HTTP."),
    "security.W006": _(
        "SECURE_CONTENT_TYPE_NOSNIFF is not True: responses do not send X-Content-Type-Options: nosniff."
    ),
    "security.W008": _(
        "SECURE_SSL_REDIRECT is not True: plain HTTP requests are not redirected to HTTPS, unless a proxy does it."
    ),
    "security.W009": _(
        "SECRET_KEY is shorter than 50 characters, has fewer than 5 different characters, or starts with "
        "'django-insecure-': Django's signatures and tokens can be forged."
    ),
    "security.W010": _(
        "django.contrib.sessions is installed but SESSION_COOKIE_SECURE is not True: the session cookie "
        "can travel over plain HTTP."
    ),
    "security.W011": _(
        "SessionMiddleware is in MIDDLEWARE but SESSION_COOKIE_SECURE is not True: the session cookie can "
        "travel over plain HTTP."
    ),
    "security.W012": _("SESSION_COOKIE_SECURE is not True: the session cookie can travel over plain HTTP."),
    "security.W013": _(
        "django.contrib.sessions is installed but SESSION_COOKIE_HTTPONLY is not True: scripts can read "
        "the session cookie."
    ),
    "security.W014": _(
        "SessionMiddleware is in MIDDLEWARE but SESSION_COOKIE_HTTPONLY is not True: scripts can read the "
        "session cookie."
    ),
    "security.W015": _("SESSION_COOKIE_HTTPONLY is not True: scripts can read the session cookie."),
    "security.W016": _(
        "CsrfViewMiddleware is in MIDDLEWARE but CSRF_COOKIE_SECURE is not True: the CSRF cookie can "
        "travel over plain HTTP."
    ),
    "security.W018": _("DEBUG is True: error pages show settings and code to anyone."),
    "security.W019": _(
        "XFrameOptionsMiddleware is in MIDDLEWARE but X_FRAME_OPTIONS is not 'DENY': other pages of the "
        "same site can frame these."
    ),
    "security.W020": _("ALLOWED_HOSTS is empty: the site answers no request once DEBUG is off."),
    "security.W021": _(
        "SECURE_HSTS_PRELOAD is not True: the domain cannot be added to the browsers' HSTS preload list."
    ),
    "security.W022": _("SECURE_REFERRER_POLICY is not set: pages do not send a Referrer-Policy header."),
    "security.E023": _("SECURE_REFERRER_POLICY has a value that is not a valid policy."),
    "security.E024": _("SECURE_CROSS_ORIGIN_OPENER_POLICY has a value that is not a valid policy."),
    "async.E001": _(
        "The DJANGO_ALLOW_ASYNC_UNSAFE environment variable is set: Django's protection against database "
        "access from asynchronous code is off."
    ),
}


@cache
def _django_fixed_constants() -> dict[str, CheckMessage]:
    """Id -> the messages Django's check modules define once, as module constants."""
    modules = {
        getattr(func, "__module__", "")
        for func in [*django_registry.registry.registered_checks, *django_registry.registry.deployment_checks]
    }
    return {
        constant.id: constant
        for name in modules
        if name.startswith("django.") and name in sys.modules
        for constant in vars(sys.modules[name]).values()
        if isinstance(constant, CheckMessage) and constant.id
    }


def _django_fixed_messages() -> dict[str, str]:
    return {message_id: str(constant.msg) for message_id, constant in _django_fixed_constants().items()}


def is_djangos_fixed_hint(message_id: str, hint: str) -> bool:
    """Whether ``hint`` is the one Django's constant for ``message_id`` gives, not one naming values."""
    constant = _django_fixed_constants().get(message_id)
    return constant is not None and constant.hint == hint


def in_readers_language(message_id: str, original: str) -> str:
    """Django's message in the reader's language when it is one of Django's fixed messages."""
    language = translation.get_language()
    ours = _MESSAGES.get(message_id)
    if ours is None or not language or language.startswith("en"):
        return original
    # Only Django's fixed text is translated: a message that names values is kept as Django wrote it.
    return str(ours) if _django_fixed_messages().get(message_id) == original else original


# Django's other checks, run by `check` with or without --deploy. Their ids are generated.
TITLES: dict[str, Text] = {
    "check_admin_app": _("The admin site is set up"),
    "check_dependencies": _("The admin's dependencies are installed"),
    "check_models_permissions": _("Model permissions are valid"),
    "check_middleware": _("Authentication middleware is in order"),
    "check_user_model": _("The user model is valid"),
    "check_model_name_lengths": _("Model names fit the content types table"),
    "check_generic_foreign_keys": _("Generic foreign keys are valid"),
    "check_site_id": _("SITE_ID is valid"),
    "check_finders": _("Static file finders are valid"),
    "check_storages": _("Static file storage is configured"),
    "check_default_cache_is_configured": _("A default cache is configured"),
    "check_file_based_cache_is_absolute": _("File cache locations are absolute"),
    "migrate_and_makemigrations_autodetector": _("migrate and makemigrations use the same autodetector"),
    "check_csrf_trusted_origins": _("CSRF_TRUSTED_ORIGINS entries have a scheme"),
    "check_database_backends": _("Database backends are configured correctly"),
    "check_setting_file_upload_temp_dir": _("FILE_UPLOAD_TEMP_DIR exists"),
    "check_all_models": _("Models are valid"),
    "check_lazy_references": _("Model references resolve"),
    "check_templates": _("Template settings are valid"),
    "check_setting_language_code": _("LANGUAGE_CODE is valid"),
    "check_setting_languages": _("LANGUAGES is valid"),
    "check_setting_languages_bidi": _("LANGUAGES_BIDI is valid"),
    "check_language_settings_consistent": _("LANGUAGE_CODE is one of LANGUAGES"),
    "check_url_settings": _("URL settings end with a slash"),
    "check_url_config": _("The URL configuration is valid"),
    "check_custom_error_handlers": _("Custom error handlers accept the right arguments"),
    "check_url_namespaces_unique": _("URL namespaces are unique"),
    "check_csrf_failure_view": _("The CSRF failure view accepts the right arguments"),
    "check_csp_settings": _("Content Security Policy settings are valid"),
    "check_csp_nonce_context_processor": _("The CSP nonce reaches templates"),
    "check_mailers_default_alias": _("A default mailer is configured"),
    "check_deploycheck_settings": _("The DEPLOYCHECK setting is valid"),
}
