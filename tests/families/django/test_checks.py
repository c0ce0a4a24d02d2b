"""The django family reports exactly what `manage.py check --deploy` reports, plus the passes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import django
import pytest
from django.core import checks as django_checks
from django.core.checks.registry import registry as django_registry
from django.utils import translation

from deploycheck import runner
from deploycheck.core.choices import Status
from deploycheck.families.django.checks import django_checks as django_family
from tests.secure import SECURE_SETTINGS, mail_backend_setting

pytestmark = pytest.mark.django_db

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


def without(*names: str) -> list[str]:
    return [entry for entry in MIDDLEWARE if entry.rsplit(".", 1)[1] not in names]


VARIATIONS: dict[str, dict[str, object]] = {
    "test settings as they are": {},
    "production-ready": SECURE_SETTINGS,
    "DEBUG on": {**SECURE_SETTINGS, "DEBUG": True},
    "no SecurityMiddleware": {**SECURE_SETTINGS, "MIDDLEWARE": without("SecurityMiddleware")},
    "no clickjacking middleware": {**SECURE_SETTINGS, "MIDDLEWARE": without("XFrameOptionsMiddleware")},
    "no CSRF middleware": {**SECURE_SETTINGS, "MIDDLEWARE": without("CsrfViewMiddleware")},
    "no session middleware": {
        **SECURE_SETTINGS,
        "SESSION_COOKIE_SECURE": False,
        "MIDDLEWARE": without("SessionMiddleware", "AuthenticationMiddleware", "MessageMiddleware"),
    },
    "HSTS off": {**SECURE_SETTINGS, "SECURE_HSTS_SECONDS": 0},
    "HSTS without subdomains or preload": {
        **SECURE_SETTINGS,
        "SECURE_HSTS_SECONDS": 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
    },
    "no HTTPS redirect": {**SECURE_SETTINGS, "SECURE_SSL_REDIRECT": False},
    "short secret key": {**SECURE_SETTINGS, "SECRET_KEY": "too-short"},
    "django-insecure- secret key": {**SECURE_SETTINGS, "SECRET_KEY": "django-insecure-" + "x7Lq2Mv9Tz4Bn8Kc" * 4},
    "weak fallback keys": {**SECURE_SETTINGS, "SECRET_KEY_FALLBACKS": ["weak", SECURE_SETTINGS["SECRET_KEY"], "aaaa"]},
    "insecure cookies": {**SECURE_SETTINGS, "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False},
    "session cookie readable by JavaScript": {**SECURE_SETTINGS, "SESSION_COOKIE_HTTPONLY": False},
    "framing allowed": {**SECURE_SETTINGS, "X_FRAME_OPTIONS": "SAMEORIGIN"},
    "no ALLOWED_HOSTS": {**SECURE_SETTINGS, "ALLOWED_HOSTS": []},
    "ALLOWED_HOSTS wildcard": {**SECURE_SETTINGS, "ALLOWED_HOSTS": ["*"]},
    "no referrer policy": {**SECURE_SETTINGS, "SECURE_REFERRER_POLICY": None},
    "invalid referrer policy": {**SECURE_SETTINGS, "SECURE_REFERRER_POLICY": "sometimes"},
    "invalid opener policy": {**SECURE_SETTINGS, "SECURE_CROSS_ORIGIN_OPENER_POLICY": "open-to-all"},
    "nosniff off": {**SECURE_SETTINGS, "SECURE_CONTENT_TYPE_NOSNIFF": False},
    "console e-mail backend": {
        **SECURE_SETTINGS,
        **mail_backend_setting("django.core.mail.backends.console.EmailBackend"),
    },
    "silenced ids": {
        "SILENCED_SYSTEM_CHECKS": ["security.W004", "security.W008", "security.W012", "mail.E001", "security.W018"],
        "DEBUG": True,
    },
    "silenced error": {**SECURE_SETTINGS, "SECURE_REFERRER_POLICY": "x", "SILENCED_SYSTEM_CHECKS": ["security.E023"]},
}


def django_deploy_messages() -> Counter[tuple[str | None, int, bool]]:
    # What `manage.py check --deploy` computes before printing (BaseCommand.check).
    messages = django_checks.run_checks(include_deployment_checks=True)
    return Counter((message.id, message.level, message.is_silenced()) for message in messages)


def deploycheck_messages() -> Counter[tuple[str | None, int | None, bool]]:
    report = runner.execute(tags=["django"], save=False)
    return Counter(
        (result.message_id, result.level, result.silenced)
        for result in report.results
        if result.status == Status.FAILED
    )


@pytest.mark.parametrize("changes", VARIATIONS.values(), ids=VARIATIONS.keys())
def test_same_messages_as_check_deploy(settings, changes):
    for name, value in changes.items():
        setattr(settings, name, value)
    expected = django_deploy_messages()
    assert deploycheck_messages() == expected


def test_variations_cover_every_deploy_message_id(settings):
    # Guards the parity test against variations that stopped exercising anything.
    seen: set[str | None] = set()
    for changes in VARIATIONS.values():
        with pytest.MonkeyPatch.context():
            for name, value in changes.items():
                setattr(settings, name, value)
            seen |= {message_id for message_id, _level, _silenced in django_deploy_messages()}
    expected = {f"security.W{number:03d}" for number in (1, 2, 3, 4, 5, 6, 8, 9, 16, 18, 19, 20, 21, 22, 25)}
    expected |= {"security.W010", "security.W012", "security.W013", "security.E023", "security.E024"}
    if django.VERSION >= (6, 1):
        expected.add("mail.E001")
    assert expected <= seen


def test_async_unsafe_environment_variable(settings, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expected = django_deploy_messages()
    assert ("async.E001", django_checks.ERROR, False) in expected
    assert deploycheck_messages() == expected


def test_one_passed_row_per_function_that_found_nothing(secure_settings):
    report = runner.execute(tags=["django"], save=False)
    functions = [
        function
        for function in [*django_registry.registered_checks, *django_registry.deployment_checks]
        if "database" not in function.tags
    ]
    assert len(report.results) == len(functions)
    assert {result.status for result in report.results} == {Status.PASSED}


def test_failing_function_gives_one_row_per_message_and_no_pass(settings):
    settings.SECRET_KEY_FALLBACKS = ["weak", "also-weak"]
    report = runner.execute(check_ids=["security.W025"], save=False)
    assert [(result.status, result.obj) for result in report.results] == [(Status.FAILED, ""), (Status.FAILED, "")]
    assert {str(result.message) for result in report.results} == {
        "Your SECRET_KEY_FALLBACKS[0] has less than 50 characters, less than 5 unique characters, or it's "
        "prefixed with 'django-insecure-' indicating that it was generated automatically by Django. Please "
        "generate a long and random value, otherwise many of Django's security-critical features will be "
        "vulnerable to attack.",
        "Your SECRET_KEY_FALLBACKS[1] has less than 50 characters, less than 5 unique characters, or it's "
        "prefixed with 'django-insecure-' indicating that it was generated automatically by Django. Please "
        "generate a long and random value, otherwise many of Django's security-critical features will be "
        "vulnerable to attack.",
    }


def test_known_deploy_functions_have_titles_and_django_ids():
    by_id = {check.id: check for check in django_family()}
    session_cookie = by_id["security.W010"]
    assert session_cookie.aliases == ("security.W011", "security.W012")
    assert str(session_cookie.title) == "The session cookie is sent over HTTPS only"
    assert session_cookie.doc_url.endswith("/ref/settings/#session-cookie-secure")
    assert "deploy" in session_cookie.tags
    assert "security" in session_cookie.tags


def test_other_functions_are_named_after_tag_and_function():
    by_id = {check.id: check for check in django_family()}
    assert str(by_id["models.check_all_models"].title) == "Models are valid"
    assert by_id["database.check_database_backends"].selected_by_default is False
    assert "auth.check_middleware" in by_id


def test_database_checks_run_only_when_asked_for():
    default = runner.execute(save=False)
    assert "database.check_database_backends" not in {result.check_id for result in default.results}
    asked = runner.execute(tags=["database"], save=False)
    assert [result.check_id for result in asked.results] == ["database.check_database_backends"]


def test_model_objects_are_shown_by_label(settings):
    from deploycheck.families.django.checks import _format_obj
    from deploycheck.models import CheckRun

    assert _format_obj(CheckRun) == "deploycheck.CheckRun"
    assert _format_obj(None) == ""
    assert _format_obj("x") == "x"


def test_django_messages_read_in_the_readers_language(secure_settings):
    """Django's fixed messages read in French from deploycheck's catalogue; in English, as Django wrote them."""
    from django.core.checks.security.base import W018

    secure_settings.DEBUG = True
    secure_settings.SECRET_KEY_FALLBACKS = ["short"]
    messages = {}
    for language in ("en", "fr"):
        with translation.override(language):
            report = runner.execute(tags=["security"], save=False)
            messages[language] = {result.message_id: str(result.message) for result in report.results}
    assert messages["en"]["security.W018"] == W018.msg
    assert (
        messages["fr"]["security.W018"]
        == "DEBUG vaut True : les pages d'erreur montrent les réglages et le code à tout le monde."
    )
    # A message that names a value reads in French too, the value kept as Django wrote it.
    assert messages["en"]["security.W025"].startswith("Your SECRET_KEY_FALLBACKS[0] has less than 50 characters")
    assert messages["fr"]["security.W025"].startswith("SECRET_KEY_FALLBACKS[0] fait moins de 50 caractères")


def test_djangos_hints_read_in_the_readers_language_and_are_stored_without_a_language(settings):
    from deploycheck.core.deferred_text import data_of

    settings.STATICFILES_DIRS = "static"
    report = runner.execute(check_ids=["staticfiles.check_finders"], save=False)
    [result] = report.results
    assert result.message_id == "staticfiles.E001"
    with translation.override("fr"):
        assert str(result.hint) == "Il manque peut-être une virgule finale."
    assert str(result.hint) == "Perhaps you forgot a trailing comma?"
    assert data_of(result.hint) == {
        "django": "staticfiles.E001",
        "text": "Perhaps you forgot a trailing comma?",
        "hint": True,
    }


def test_djangos_fixed_hints_give_way_to_a_remedy_in_the_readers_language(secure_settings):
    secure_settings.SECURE_REFERRER_POLICY = "nonsense"
    report = runner.execute(check_ids=["security.E023"], save=False)
    [result] = report.results
    assert result.message_id == "security.E023"
    with translation.override("fr"):
        assert "SECURE_REFERRER_POLICY" in str(result.hint)
        assert "Valid values" not in str(result.hint)
        french = str(result.hint)
    with translation.override("en"):
        assert str(result.hint) == "Set SECURE_REFERRER_POLICY, for example to 'same-origin'."
    assert french != str(result.hint)


def returns_a_tuple(**kwargs):
    return (django_checks.Warning("A tuple's message", id="tests.W101"),)


def yields_messages(**kwargs):
    yield django_checks.Warning("A generator's first message", id="tests.W102")
    yield django_checks.Error("A generator's second message", id="tests.E103", obj="second")


def yields_nothing(**kwargs):
    yield from ()


def raises_while_yielding(**kwargs):
    yield django_checks.Warning("Lost with the exception", id="tests.W104")
    raise RuntimeError("the generator broke")


def returns_a_number(**kwargs):
    return 3


@pytest.fixture
def register_in_django() -> Iterator[Callable[..., None]]:
    """Registers functions with Django's own registry, as a project's checks.py does, for one test."""
    added = []

    def register(function, *, deploy: bool = False) -> None:
        django_registry.register(function, "tests", deploy=deploy)
        added.append(function)

    yield register
    for function in added:
        django_registry.registered_checks.discard(function)
        django_registry.deployment_checks.discard(function)


@pytest.mark.parametrize("deploy", [False, True], ids=["registered", "deployment"])
def test_parity_whatever_an_iterable_check_returns(secure_settings, register_in_django, deploy):
    for function in (returns_a_tuple, yields_messages, yields_nothing):
        register_in_django(function, deploy=deploy)
    secure_settings.SILENCED_SYSTEM_CHECKS = ["tests.E103"]
    expected = django_deploy_messages()
    assert {("tests.W101", django_checks.WARNING, False), ("tests.E103", django_checks.ERROR, True)} <= set(expected)
    assert deploycheck_messages() == expected
    report = runner.execute(tags=["tests"], save=False)
    statuses = {(result.check_id, result.message_id, result.status) for result in report.results}
    assert statuses == {
        ("tests.returns_a_tuple", "tests.W101", Status.FAILED),
        ("tests.yields_messages", "tests.W102", Status.FAILED),
        ("tests.yields_messages", "tests.E103", Status.FAILED),
        ("tests.yields_nothing", "tests.yields_nothing", Status.PASSED),
    }


def test_a_check_that_raises_or_returns_no_iterable_is_reported_alone(secure_settings, register_in_django):
    register_in_django(raises_while_yielding)
    register_in_django(returns_a_number)
    report = runner.execute(tags=["django"], save=False)
    not_evaluated = {result.check_id: str(result.message) for result in report.results if result.status == Status.ERROR}
    assert not_evaluated == {
        "tests.raises_while_yielding": "The check raised RuntimeError: the generator broke",
        "tests.returns_a_number": "The check raised TypeError: tests.families.django.test_checks.returns_a_number "
        "returned int, where Django expects a list of messages",
    }
    # Every other function was still called and found what Django finds.
    assert {result.status for result in report.results} - {Status.ERROR} == {Status.PASSED}


@pytest.mark.skipif(django.VERSION < (6, 0), reason="django.tasks arrived in Django 6.0")
def test_djangos_own_generator_check_tasks_is_evaluated(secure_settings):
    # Django builds its task backends anew when TASKS changes (django.tasks.signals).
    secure_settings.TASKS = {"default": {"BACKEND": "tests.families.django.test_checks.WarningTaskBackend"}}
    expected = django_deploy_messages()
    assert ("tests.W105", django_checks.WARNING, False) in expected
    assert deploycheck_messages() == expected
    [result] = runner.execute(check_ids=["tasks.check_tasks"], save=False).results
    assert (result.status, result.message_id, result.obj) == (Status.FAILED, "tests.W105", "default")


if django.VERSION >= (6, 0):
    from django.tasks.backends.immediate import ImmediateBackend

    class WarningTaskBackend(ImmediateBackend):
        """A task backend whose check finds something, as a third-party backend's may."""

        def check(self, **kwargs):
            yield from super().check(**kwargs)
            yield django_checks.Warning("This backend is for tests", id="tests.W105", obj=self.alias)


@pytest.mark.skipif(django.VERSION < (6, 1), reason="mail.E001 came with Django 6.1")
def test_a_fresh_projects_mail_error_reads_in_french(settings):
    backend = "django.core.mail.backends.console.EmailBackend"
    settings.MAILERS = {"default": {"BACKEND": backend}}
    [result] = runner.execute(check_ids=["mail.E001"], save=False).results
    with translation.override("fr"):
        assert str(result.message) == (
            f"MAILERS['default'] utilise {backend}, un backend réservé au développement : "
            "aucun e-mail ne quitte le site."
        )
        assert str(result.hint).startswith("Utilisez le backend SMTP")
    assert str(result.message).startswith("Your MAILERS setting uses a development-only email backend")


def test_a_projects_own_check_does_not_link_to_djangos_page(register_in_django):
    register_in_django(returns_a_tuple)
    by_id = {check.id: check for check in django_family()}
    assert by_id["tests.returns_a_tuple"].doc_url == ""
    assert by_id["security.W018"].doc_url.startswith("https://docs.djangoproject.com/")
    assert by_id["models.check_all_models"].doc_url.endswith("/ref/checks/#models")
