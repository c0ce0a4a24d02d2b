"""The words of the ``django`` family: titles and remedies of Django's checks, in deploycheck's catalogue.

Django's deployment checks are known by function name and carry a readable title and remedy.
Django writes its check messages in English only; readers in other languages get deploycheck's
own rendition of what a message says (English readers get Django's words, exactly as
`check --deploy` prints them). A message that names a value (an alias, a setting's content) is
read with a :class:`Wording`: Django's English with ``%(name)s`` where the value goes, which
finds the values, and deploycheck's sentence with the same names, which keeps them.

Covered: every message Django 5.2 to 6.1 can raise because of the project's settings (security,
mail, async, caches, staticfiles, templates, translation, urls.E006, files, sites, CSRF, the
admin's dependencies, auth.E013). Left in Django's words: the checks of the project's code
(models.*, fields.*, the ModelAdmin options admin.E001-E130, generic foreign keys, the URLconf's
own patterns and handlers, signals, commands), and the database backends' checks, which need a
MySQL or Oracle server to say anything.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import cache

from django.core.checks import CheckMessage
from django.core.checks import registry as django_registry
from django.utils import translation

from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import Message, Text, render_django_messages_with
from deploycheck.core.deferred_text import later as _


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


# A value in Django's English: "%(name)s".
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Wording:
    """One way Django words a message, and deploycheck's sentence for it.

    ``english`` is Django's text with ``%(name)s`` where Django puts a value; ``ours`` is
    deploycheck's sentence (a msgid) with the same names. Reading Django's message finds the
    values and puts them, unchanged, into ``ours``; a message worded otherwise (another Django
    version) is not this wording, and is shown as Django wrote it.
    """

    english: str
    ours: Message
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts: list[str] = []
        named: set[str] = set()
        end = 0
        for placeholder in _PLACEHOLDER.finditer(self.english):
            name = placeholder.group(1)
            parts.append(re.escape(self.english[end : placeholder.start()]))
            # A value named twice must be the same value twice.
            parts.append(f"(?P={name})" if name in named else f"(?P<{name}>.+?)")
            named.add(name)
            end = placeholder.end()
        parts.append(re.escape(self.english[end:]))
        object.__setattr__(self, "pattern", re.compile("".join(parts), re.DOTALL))

    @property
    def fixed(self) -> bool:
        """Whether Django's text names no value."""
        return self.pattern.groupindex == {}

    def values(self, original: str) -> dict[str, str] | None:
        """The values Django put into ``original``, or None when ``original`` is not worded so."""
        found = self.pattern.fullmatch(original)
        return None if found is None else found.groupdict()

    def read(self, original: str) -> Message | None:
        values = self.values(original)
        return None if values is None else self.ours % values


W = Wording
# The admin's middleware dependencies (admin.E408, E409, E410) share one wording.
_ADMIN_MIDDLEWARE = W(
    "'%(middleware)s' must be in MIDDLEWARE in order to use the admin application.",
    _("The admin needs '%(middleware)s' in MIDDLEWARE."),
)
_CACHE_RISK = "might expose your cache or lead to corruption of your data because its LOCATION"

# Django's messages by id, as each Django version words them, for what deploycheck's _MESSAGES
# does not hold: the messages that name a value, and fixed ones outside the deployment checklist.
_WORDINGS: dict[str, tuple[Wording, ...]] = {
    "security.W025": (
        W(
            "Your %(setting)s has less than 50 characters, less than 5 unique characters, or it's prefixed "
            "with 'django-insecure-' indicating that it was generated automatically by Django. Please "
            "generate a long and random value, otherwise many of Django's security-critical features will "
            "be vulnerable to attack.",
            _(
                "%(setting)s is shorter than 50 characters, has fewer than 5 different characters, or starts "
                "with 'django-insecure-': Django's signatures and tokens can be forged with it."
            ),
        ),
    ),
    "security.E026": (
        W(
            "The Content Security Policy setting '%(setting)s' must be a dictionary (got %(value)s instead).",
            _("%(setting)s must be a dictionary of Content Security Policy directives; it is %(value)s."),
        ),
    ),
    "security.W027": (
        W(
            "Your Content Security Policy includes CSP.NONCE and "
            "'django.middleware.csp.ContentSecurityPolicyMiddleware' is enabled, but "
            "'django.template.context_processors.csp' is not configured. The nonce will appear in the "
            "response header but not in rendered templates, so nonce-based protection will not take effect.",
            _(
                "The Content Security Policy uses CSP.NONCE and ContentSecurityPolicyMiddleware is in "
                "MIDDLEWARE, but no template engine has the 'django.template.context_processors.csp' context "
                "processor: the nonce is in the response header but not in the pages, so it protects nothing."
            ),
        ),
    ),
    "security.E101": (
        W(
            "The CSRF failure view '%(view)s' does not take the correct number of arguments.",
            _("The CSRF failure view '%(view)s' (CSRF_FAILURE_VIEW) does not accept the arguments (request, reason)."),
        ),
    ),
    "security.E102": (
        W(
            "The CSRF failure view '%(view)s' could not be imported.",
            _("The CSRF failure view '%(view)s' (CSRF_FAILURE_VIEW) cannot be imported."),
        ),
    ),
    "mail.E001": (
        W(
            "Your MAILERS setting uses a development-only email backend in the '%(alias)s' entry (%(backend)s).",
            _("MAILERS['%(alias)s'] uses %(backend)s, a backend for development only: no e-mail leaves the site."),
        ),
    ),
    "mail.W001": (
        W(
            "Your MAILERS setting has no '%(alias)s' entry. Sending email without a valid mailer will fail.",
            _("MAILERS has no '%(alias)s' entry: sending e-mail without naming a mailer will fail."),
        ),
    ),
    "caches.E001": (
        W(
            "You must define a '%(alias)s' cache in your CACHES setting.",
            _("CACHES has no '%(alias)s' cache, the one Django uses unless told otherwise."),
        ),
    ),
    "caches.W002": (
        W(
            f"Your '%(alias)s' cache configuration {_CACHE_RISK} matches %(setting)s.",
            _(
                "The LOCATION of the '%(alias)s' cache is the same directory as %(setting)s: the cache may be "
                "exposed, or data corrupted."
            ),
        ),
        W(
            f"Your '%(alias)s' cache configuration {_CACHE_RISK} is inside %(setting)s.",
            _(
                "The LOCATION of the '%(alias)s' cache is inside %(setting)s: the cache may be exposed, "
                "or data corrupted."
            ),
        ),
        W(
            f"Your '%(alias)s' cache configuration {_CACHE_RISK} contains %(setting)s.",
            _(
                "The LOCATION of the '%(alias)s' cache contains %(setting)s: the cache may be exposed, "
                "or data corrupted."
            ),
        ),
    ),
    "caches.W003": (
        W(
            "Your '%(alias)s' cache LOCATION path is relative. Use an absolute path instead.",
            _("The LOCATION of the '%(alias)s' cache is a relative path: use an absolute path."),
        ),
    ),
    "staticfiles.E001": (
        W("The STATICFILES_DIRS setting is not a tuple or list.", _("STATICFILES_DIRS is neither a list nor a tuple.")),
    ),
    "staticfiles.E002": (
        W(
            "The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting.",
            _("STATICFILES_DIRS must not contain STATIC_ROOT."),
        ),
    ),
    "staticfiles.E003": (
        W(
            "The prefix %(prefix)s in the STATICFILES_DIRS setting must not end with a slash.",
            _("The prefix %(prefix)s in STATICFILES_DIRS must not end with a slash."),
        ),
    ),
    "staticfiles.W004": (
        W(
            "The directory '%(directory)s' in the STATICFILES_DIRS setting does not exist.",
            _("The directory '%(directory)s' listed in STATICFILES_DIRS does not exist."),
        ),
    ),
    "staticfiles.E005": (
        W(
            "The STORAGES setting must define a '%(alias)s' storage.",
            _("STORAGES has no '%(alias)s' storage, the one static files are collected to."),
        ),
    ),
    "templates.E002": (
        W(
            "'string_if_invalid' in TEMPLATES OPTIONS must be a string but got: %(value)s (%(type)s).",
            _("'string_if_invalid' in the TEMPLATES OPTIONS must be a string, not %(value)s (%(type)s)."),
        ),
    ),
    "templates.W003": (
        W(
            "%(library)s is used for multiple template tag modules: %(modules)s",
            _("Several template tag modules are named %(library)s: %(modules)s"),
        ),
    ),
    "translation.E001": (
        W(
            "You have provided an invalid value for the LANGUAGE_CODE setting: %(value)s.",
            _("LANGUAGE_CODE is not a valid language code: %(value)s."),
        ),
    ),
    "translation.E002": (
        W(
            "You have provided an invalid language code in the LANGUAGES setting: %(value)s.",
            _("LANGUAGES holds an invalid language code: %(value)s."),
        ),
    ),
    "translation.E003": (
        W(
            "You have provided an invalid language code in the LANGUAGES_BIDI setting: %(value)s.",
            _("LANGUAGES_BIDI holds an invalid language code: %(value)s."),
        ),
    ),
    "translation.E004": (
        W(
            "You have provided a value for the LANGUAGE_CODE setting that is not in the LANGUAGES setting.",
            _("LANGUAGE_CODE is not one of the LANGUAGES."),
        ),
    ),
    "urls.E006": (W("The %(setting)s setting must end with a slash.", _("%(setting)s must end with a slash.")),),
    "files.E001": (
        W(
            "The FILE_UPLOAD_TEMP_DIR setting refers to the nonexistent directory '%(directory)s'.",
            _("FILE_UPLOAD_TEMP_DIR names the directory '%(directory)s', which does not exist."),
        ),
    ),
    "sites.E101": (
        W("The SITE_ID setting must be an integer", _("SITE_ID must be an integer.")),
        W("The SITE_ID setting failed to validate: %(error)s.", _("SITE_ID is not a valid site id: %(error)s.")),
        W("The SITE_ID setting must be of type %(type)s.", _("SITE_ID must be of type %(type)s.")),
    ),
    "4_0.E001": (
        W(
            "As of Django 4.0, the values in the CSRF_TRUSTED_ORIGINS setting must start with a scheme "
            "(usually http:// or https://) but found %(origin)s. See the release notes for details.",
            _(
                "Since Django 4.0, each value of CSRF_TRUSTED_ORIGINS must start with a scheme (usually "
                "https://); %(origin)s does not."
            ),
        ),
    ),
    # admin.E401, E405 and E406: the apps the admin needs.
    **dict.fromkeys(
        ("admin.E401", "admin.E405", "admin.E406"),
        (
            W(
                "'%(app)s' must be in INSTALLED_APPS in order to use the admin application.",
                _("The admin needs '%(app)s' in INSTALLED_APPS."),
            ),
        ),
    ),
    "admin.E402": (
        W(
            "'%(processor)s' must be enabled in DjangoTemplates (TEMPLATES) if using the default auth backend "
            "in order to use the admin application.",
            _(
                "With the default authentication backend, the admin needs '%(processor)s' among the context "
                "processors of DjangoTemplates (TEMPLATES)."
            ),
        ),
    ),
    "admin.E403": (
        W(
            "A '%(backend)s' instance must be configured in TEMPLATES in order to use the admin application.",
            _("The admin needs a '%(backend)s' engine in TEMPLATES."),
        ),
    ),
    "admin.E404": (
        W(
            "'%(processor)s' must be enabled in DjangoTemplates (TEMPLATES) in order to use the admin application.",
            _("The admin needs '%(processor)s' among the context processors of DjangoTemplates (TEMPLATES)."),
        ),
    ),
    "admin.W411": (
        W(
            "'%(processor)s' must be enabled in DjangoTemplates (TEMPLATES) in order to use the admin "
            "navigation sidebar.",
            _(
                "The admin's navigation sidebar needs '%(processor)s' among the context processors of "
                "DjangoTemplates (TEMPLATES)."
            ),
        ),
    ),
    **dict.fromkeys(("admin.E408", "admin.E409", "admin.E410"), (_ADMIN_MIDDLEWARE,)),
    "auth.E013": (
        W(
            "In order to use %(login_required)s, %(authentication)s must be defined before it in MIDDLEWARE.",
            _("%(login_required)s needs %(authentication)s before it in MIDDLEWARE."),
        ),
    ),
}

# Django's hints by message id. A hint that names no value and that a remedy of KNOWN replaces
# (mail.E001) is listed too, so that the remedy is shown in its place, as for Django's constants.
_HINT_WORDINGS: dict[str, tuple[Wording, ...]] = {
    "security.W027": (
        W(
            "Add '%(processor)s' to the 'context_processors' option of at least one template backend.",
            _("Add '%(processor)s' to the 'context_processors' OPTIONS of at least one template engine."),
        ),
    ),
    "mail.E001": (
        W(
            "Use a production-ready email backend, such as the SMTP backend, otherwise email will not be sent.",
            _("Use a backend made for production, such as the SMTP backend, or no e-mail will be sent."),
        ),
    ),
    "mail.W001": (
        W(
            "Add a '%(alias)s' entry to MAILERS, or pass 'using' when sending email.",
            _("Add a '%(alias)s' entry to MAILERS, or pass 'using' when sending e-mail."),
        ),
        W("Add a '%(alias)s' entry to MAILERS.", _("Add a '%(alias)s' entry to MAILERS.")),
    ),
    "staticfiles.E001": (W("Perhaps you forgot a trailing comma?", _("A trailing comma may be missing.")),),
    "admin.E410": (
        W(
            "Insert '%(sessions)s' before '%(authentication)s'.",
            _("Put '%(sessions)s' before '%(authentication)s' in MIDDLEWARE."),
        ),
    ),
}


def _wordings(message_id: str, hint: bool) -> tuple[Wording, ...]:
    return (_HINT_WORDINGS if hint else _WORDINGS).get(message_id, ())


def values_in(message_id: str, original: str, *, hint: bool = False) -> dict[str, str] | None:
    """The values a known wording finds in Django's message (or hint); None when none matches."""
    for wording in _wordings(message_id, hint):
        values = wording.values(original)
        if values is not None:
            return values
    return None


def is_djangos_fixed_hint(message_id: str, hint: str) -> bool:
    """Whether ``hint`` is a hint Django gives as it is for ``message_id``, not one naming values."""
    constant = _django_fixed_constants().get(message_id)
    if constant is not None and constant.hint == hint:
        return True
    return any(wording.fixed and wording.values(hint) is not None for wording in _wordings(message_id, True))


def in_readers_language(message_id: str, original: str, hint: bool = False) -> str:
    """Django's message (or hint) in the reader's language, when deploycheck knows how Django words it.

    A message deploycheck does not know, or worded otherwise by another Django version, is shown
    as Django wrote it: nothing it says is lost.
    """
    language = translation.get_language()
    if not language or language.startswith("en"):
        return original
    ours = None if hint else _MESSAGES.get(message_id)
    if ours is not None and _django_fixed_messages().get(message_id) == original:
        return str(ours)
    for wording in _wordings(message_id, hint):
        read = wording.read(original)
        if read is not None:
            return str(read)
    return original


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
    "check_tasks": _("Task backends are configured correctly"),
    "check_deploycheck_settings": _("The DEPLOYCHECK setting is valid"),
}


render_django_messages_with(in_readers_language)
