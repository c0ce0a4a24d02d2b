"""Every Django check a project's settings can fail has a title and French words (issue 19, item 4).

The ids are not listed by hand: they are collected by running the installed Django's own check
functions on settings profiles made to fail them, so a Django release that adds a check or
rewords a message shows up here. Out of scope, and skipped: the checks of the project's code
(models, fields, ModelAdmin options, generic foreign keys, the URLconf's patterns and handlers,
signals, commands) and the database backends' checks, which need a MySQL or Oracle server.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import django
import pytest
from django.apps import apps
from django.core.checks import CheckMessage
from django.core.checks.registry import registry
from django.test import override_settings
from django.utils import translation

from deploycheck.core.deferred_text import DjangoMessage
from deploycheck.families.django.checks import _as_check, _django_arguments, _hint
from deploycheck.families.django.words import KNOWN, TITLES, in_readers_language, values_in
from tests.secure import mail_backend_setting
from tests.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES

CheckFunction = Callable[..., Any]
# What a profile changes: settings, and optionally what the app registry says is installed.
Profile = dict[str, Any]

CSP_MIDDLEWARE = "django.middleware.csp.ContentSecurityPolicyMiddleware"
LOGIN_REQUIRED = "django.contrib.auth.middleware.LoginRequiredMiddleware"


def without(*names: str) -> list[str]:
    return [entry for entry in MIDDLEWARE if entry.rsplit(".", 1)[1] not in names]


def profiles(tmp: Path) -> dict[str, Profile]:
    media, static_root = tmp / "media", tmp / "static"
    static_root.mkdir()
    file_cache = "django.core.cache.backends.filebased.FileBasedCache"
    found: dict[str, Profile] = {
        "the test settings (short SECRET_KEY, no HSTS, locmem e-mail)": {},
        "development-like security": {
            "DEBUG": True,
            "ALLOWED_HOSTS": [],
            "SECURE_HSTS_SECONDS": 3600,
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
            "SECURE_HSTS_PRELOAD": False,
            "SECURE_CONTENT_TYPE_NOSNIFF": False,
            "SECURE_SSL_REDIRECT": False,
            "SESSION_COOKIE_SECURE": False,
            "SESSION_COOKIE_HTTPONLY": False,
            "CSRF_COOKIE_SECURE": False,
            "X_FRAME_OPTIONS": "SAMEORIGIN",
            "SECURE_REFERRER_POLICY": None,
            "SECRET_KEY_FALLBACKS": ["weak", "django-insecure-" + "x7Lq2Mv9Tz4Bn8Kc" * 4],
        },
        "invalid policies and CSP settings": {
            "SECURE_REFERRER_POLICY": "sometimes",
            "SECURE_CROSS_ORIGIN_OPENER_POLICY": "open-to-all",
            "SECURE_CSP": "default-src 'self'",
            "SECURE_CSP_REPORT_ONLY": ["script-src"],
        },
        "no middleware": {"MIDDLEWARE": []},
        "no session middleware": {
            "MIDDLEWARE": without("SessionMiddleware", "AuthenticationMiddleware", "MessageMiddleware"),
            "SESSION_COOKIE_SECURE": False,
            "SESSION_COOKIE_HTTPONLY": False,
        },
        "LoginRequiredMiddleware first": {"MIDDLEWARE": [LOGIN_REQUIRED, *MIDDLEWARE]},
        # The admin's own check asks the app registry; patching it spares re-populating the registry.
        "the admin without its apps": {"installed": {"django.contrib.admin", "django.contrib.staticfiles"}},
        "SessionMiddleware without django.contrib.sessions": {
            "INSTALLED_APPS": [name for name in INSTALLED_APPS if name != "django.contrib.sessions"],
            "SESSION_COOKIE_SECURE": False,
            "SESSION_COOKIE_HTTPONLY": False,
        },
        "CSRF settings": {"CSRF_TRUSTED_ORIGINS": ["example.com"], "CSRF_FAILURE_VIEW": "nowhere.csrf_failure"},
        "a CSRF failure view with the wrong arguments": {
            "CSRF_FAILURE_VIEW": "django.views.debug.technical_500_response"
        },
        "no template engine": {"TEMPLATES": []},
        "template options": {
            "TEMPLATES": [
                {
                    "BACKEND": "django.template.backends.django.DjangoTemplates",
                    "APP_DIRS": True,
                    "OPTIONS": {"string_if_invalid": 0, "libraries": {"i18n": "django.templatetags.static"}},
                }
            ]
        },
        "no default cache": {"CACHES": {}},
        "file caches in the wrong places": {
            "MEDIA_ROOT": str(media),
            "STATIC_ROOT": str(static_root),
            "CACHES": {
                "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                "inside": {"BACKEND": file_cache, "LOCATION": str(media / "cache")},
                "same": {"BACKEND": file_cache, "LOCATION": str(static_root)},
                "around": {"BACKEND": file_cache, "LOCATION": str(tmp)},
                "relative": {"BACKEND": file_cache, "LOCATION": "relative/cache"},
            },
        },
        "STATICFILES_DIRS a string": {"STATICFILES_DIRS": "static"},
        "STATICFILES_DIRS entries": {
            "STATIC_ROOT": str(static_root),
            "STATICFILES_DIRS": [("css/", str(tmp / "missing")), str(static_root)],
        },
        "no staticfiles storage": {"STORAGES": {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}},
        "language settings": {
            "LANGUAGE_CODE": "en us!",
            "LANGUAGES": [("en", "English"), ("x!", "Broken")],
            "LANGUAGES_BIDI": ["he", "y!"],
        },
        "URL settings without a slash": {"STATIC_URL": "static", "MEDIA_URL": "/media"},
        "a missing upload directory": {"FILE_UPLOAD_TEMP_DIR": str(tmp / "nowhere")},
        "SITE_ID not a number": {"sites": True, "SITE_ID": "one"},
        "SITE_ID a number in a string": {"sites": True, "SITE_ID": "1"},
        "DJANGO_ALLOW_ASYNC_UNSAFE": {"environ": {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}},
    }
    if django.VERSION >= (6, 1):
        from django.utils.csp import CSP

        found["a CSP nonce no template sees"] = {
            "MIDDLEWARE": [*MIDDLEWARE, CSP_MIDDLEWARE],
            "SECURE_CSP": {"script-src": [CSP.NONCE]},
            "TEMPLATES": TEMPLATES,
        }
        found["a development e-mail backend"] = mail_backend_setting("django.core.mail.backends.console.EmailBackend")
        found["MAILERS without a default"] = {"MAILERS": {"bulk": {}}}
        found["MAILERS empty"] = {"MAILERS": {}}
    return found


# What a deployment run on each Django series must at least see: guards against profiles that
# stopped failing anything, so that the test cannot pass on an empty collection.
EXPECTED = {
    *(f"security.W{number:03d}" for number in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16)),
    *(f"security.W{number:03d}" for number in (18, 19, 20, 21, 22, 25)),
    "security.E023",
    "security.E024",
    "security.E101",
    "security.E102",
    "async.E001",
    "caches.E001",
    "caches.W002",
    "caches.W003",
    "staticfiles.E001",
    "staticfiles.E002",
    "staticfiles.E003",
    "staticfiles.W004",
    "staticfiles.E005",
    "templates.E002",
    "templates.W003",
    "translation.E001",
    "translation.E002",
    "translation.E003",
    "translation.E004",
    "urls.E006",
    "files.E001",
    "sites.E101",
    "4_0.E001",
    *(f"admin.E{number}" for number in (401, 402, 403, 404, 405, 406, 408, 409, 410)),
    "admin.W411",
    "auth.E013",
}
if django.VERSION >= (6, 0):
    EXPECTED.add("security.E026")
if django.VERSION >= (6, 1):
    EXPECTED |= {"mail.E001", "mail.W001", "security.W027"}


def in_scope(message_id: str) -> bool:
    """Whether the id is about settings: the checks of a project's code are out of scope."""
    family, _, number = message_id.partition(".")
    if family in {"models", "fields", "contenttypes", "signals", "commands"}:
        return False
    if family == "admin":  # admin.E001-E130 and E2xx are about ModelAdmin options, E4xx/W4xx settings
        return number[1:].startswith("4")
    if family == "auth":  # the user model's checks; auth.E013 is MIDDLEWARE's
        return number == "E013"
    if family == "urls":  # the URLconf's own patterns and handlers; E006 is STATIC_URL and MEDIA_URL
        return number == "E006"
    return True


@contextmanager
def registry_kept() -> Iterator[None]:
    """Registering apps (django.contrib.sites) or importing django.tasks registers functions: undo it."""
    registered, deployment = set(registry.registered_checks), set(registry.deployment_checks)
    try:
        yield
    finally:
        registry.registered_checks, registry.deployment_checks = registered, deployment


def with_tasks() -> None:
    """As in a project that imports django.tasks (Django 6.0+): its check_tasks is registered."""
    if django.VERSION >= (6, 0):
        registry.register(importlib.import_module("django.tasks.checks").check_tasks)


def django_functions(*, all_tags: bool = False) -> list[CheckFunction]:
    """Django's check functions; unless ``all_tags``, those of settings (not models, not databases)."""
    functions = {*registry.registered_checks, *registry.deployment_checks}
    return sorted(
        (
            func
            for func in functions
            if func.__module__.startswith("django.")
            and (all_tags or not {"models", "database"} & set(getattr(func, "tags", ())))
        ),
        key=lambda func: (func.__module__, func.__name__),
    )


def run(profile: Profile, monkeypatch: pytest.MonkeyPatch) -> list[tuple[CheckFunction, CheckMessage]]:
    """Each Django check function's messages under the profile, as `check --deploy` calls them."""
    found: list[tuple[CheckFunction, CheckMessage]] = []
    changes = {name: value for name, value in profile.items() if name not in {"installed", "sites", "environ"}}
    if profile.get("sites"):
        changes["INSTALLED_APPS"] = [*INSTALLED_APPS, "django.contrib.sites"]
    # In English whatever LANGUAGE_CODE says: a profile's invalid LANGUAGE_CODE has no catalogue to fall back on.
    with monkeypatch.context() as patch, override_settings(**changes), translation.override("en", deactivate=True):
        for name, value in profile.get("environ", {}).items():
            patch.setenv(name, value)
        if "installed" in profile:
            patch.setattr(apps, "is_installed", profile["installed"].__contains__)
        for func in django_functions():
            # list(): check_tasks is a generator.
            found.extend((func, message) for message in list(func(**_django_arguments(False))))
    return found


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[CheckFunction, CheckMessage]]:
    tmp = tmp_path_factory.mktemp("profiles")
    found = []
    with pytest.MonkeyPatch.context() as monkeypatch, registry_kept():
        with_tasks()
        for profile in profiles(tmp).values():
            found.extend(run(profile, monkeypatch))
    return [(func, message) for func, message in found if message.id and in_scope(message.id)]


def remedy_of(func: CheckFunction) -> Any:
    known = KNOWN.get(func.__name__)
    return known.remedy if known is not None else ""


def test_the_profiles_fail_every_expected_check(collected):
    seen = {message.id for _func, message in collected}
    assert seen >= EXPECTED, sorted(EXPECTED - seen)


def test_every_function_that_failed_has_a_title_of_its_own(collected):
    untitled = {
        f"{func.__module__}.{func.__name__}"
        for func, _message in collected
        if func.__name__ not in KNOWN and func.__name__ not in TITLES
    }
    assert untitled == set()
    for func, _message in collected:
        assert not str(_as_check(func, func in registry.deployment_checks).title).startswith("System check")


def test_every_django_function_has_a_title_tasks_included():
    with registry_kept():
        with_tasks()
        names = {func.__name__ for func in django_functions(all_tags=True)}
    assert {name for name in names if name not in KNOWN and name not in TITLES} == set()
    if django.VERSION >= (6, 0):
        # Django's own task backends raise no message: check_tasks is covered by its title.
        assert "check_tasks" in names


def read(text: Any, language: str) -> str:
    with translation.override(language):
        return str(text)


def test_every_message_reads_in_french_with_its_values(collected):
    untranslated = []
    for _func, message in collected:
        assert message.id is not None
        original = str(message.msg)
        shown = DjangoMessage(message.id, original)
        french = read(shown, "fr")
        # deploycheck has no German catalogue: German readers get deploycheck's English msgid.
        if french in {original, read(shown, "de")}:
            untranslated.append((message.id, original))
            continue
        for value in (values_in(message.id, original) or {}).values():
            assert value in french, (message.id, value, french)
    assert untranslated == []


def test_every_hint_reads_in_french(collected):
    untranslated = []
    for func, message in collected:
        shown = _hint(message, remedy_of(func))
        english = read(shown, "en")
        french = read(shown, "fr")
        if english and french in {english, read(shown, "de")}:
            untranslated.append((message.id, english))
        for value in (values_in(message.id or "", english, hint=True) or {}).values():
            assert value in french
    assert untranslated == []


def test_english_readers_get_djangos_words(collected):
    with translation.override("en"):
        for _func, message in collected:
            assert str(DjangoMessage(message.id or "", str(message.msg))) == str(message.msg)


def test_a_value_is_kept_and_the_words_translated():
    original = "The STATIC_URL setting must end with a slash."
    assert values_in("urls.E006", original) == {"setting": "STATIC_URL"}
    with translation.override("fr"):
        assert str(DjangoMessage("urls.E006", original)) == "STATIC_URL doit se terminer par une barre oblique."


def test_other_wordings_are_shown_as_django_wrote_them():
    """Another Django version's wording is not guessed at: the reader gets Django's text, whole."""
    reworded = "The STATIC_URL setting should end with '/'."
    with translation.override("fr"):
        assert in_readers_language("urls.E006", reworded) == reworded
        assert in_readers_language("nobody.E001", "Something") == "Something"
        assert in_readers_language("mail.W001", "Add it.", hint=True) == "Add it."
        assert str(DjangoMessage("urls.E006", "")) == ""
