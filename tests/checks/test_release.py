"""The release family: pure checks on hand-made facts, and the gatherer on the real project."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from deploycheck import runner
from deploycheck.checks import release as checks
from deploycheck.checks.base import Facts
from deploycheck.choices import Status
from deploycheck.release import gather
from deploycheck.release.gather import Environment, Requirement, Requirements, VersionFile
from tests.checks.findings import FAIL, PASS, SKIP, WARN, as_list, statuses

TODAY = date(2026, 11, 27)


def env(python=(3, 12), django=(5, 2), on_heroku=True, today=TODAY) -> Environment:
    return Environment(python=python, django=django, on_heroku=on_heroku, today=today)


def facts(*, settings: dict[str, Any] | None = None, **values: Any) -> Facts:
    """``release.<name>`` facts from ``values``, ``settings.<NAME>`` facts from ``settings``."""
    return Facts(
        {
            **{f"release.{name}": value for name, value in {"environment": env(), **values}.items()},
            **{f"settings.{name}": value for name, value in (settings or {}).items()},
        }
    )


def test_the_family_declares_its_provider_and_the_settings_its_checks_read():
    assert checks.FAMILY.providers == {"release": gather.gather_release}
    by_id = {check.id: check for check in checks.FAMILY.checks}
    assert "settings.SECURE_PROXY_SSL_HEADER" in by_id["release.proxy_ssl_header"].requires
    assert "settings.DATABASES" in by_id["release.database_settings"].requires


def test_pending_model_changes():
    assert statuses(checks.check_pending_model_changes(facts(model_changes={}))) == PASS
    found = checks.check_pending_model_changes(facts(model_changes={"shop": ["0004_order_total"]}))
    assert statuses(found) == FAIL
    assert isinstance(found, list)
    assert found[0].obj == "shop"


def test_unapplied_migrations():
    assert statuses(checks.check_unapplied_migrations(facts(unapplied_migrations={"default": []}))) == PASS
    pending = facts(unapplied_migrations={"default": ["shop.0004_order_total"], "replica": []})
    assert statuses(checks.check_unapplied_migrations(pending)) == FAIL
    broken = facts(unapplied_migrations={"default": "OperationalError: could not connect"})
    assert statuses(checks.check_unapplied_migrations(broken)) == [(Status.ERROR, None)]


@pytest.mark.parametrize(
    ("language", "one", "twenty"),
    [
        (
            "en",
            "1 migration is not applied on database default: shop.0001.",
            "20 migrations are not applied on database default: shop.0001, shop.0002, shop.0003, shop.0004, "
            "shop.0005, shop.0006, shop.0007, shop.0008, shop.0009, shop.0010 and 10 others.",
        ),
        (
            "fr",
            "1 migration n'est pas appliquée sur la base default : shop.0001.",
            "20 migrations ne sont pas appliquées sur la base default : shop.0001, shop.0002, shop.0003, shop.0004, "
            "shop.0005, shop.0006, shop.0007, shop.0008, shop.0009, shop.0010 et 10 autres.",
        ),
    ],
)
def test_unapplied_migrations_are_counted_and_a_long_list_says_what_it_left_out(language, one, twenty):
    names = [f"shop.{number:04d}" for number in range(1, 21)]
    # Built in no particular language, read in the reader's.
    [single] = as_list(checks.check_unapplied_migrations(facts(unapplied_migrations={"default": names[:1]})))
    [many] = as_list(checks.check_unapplied_migrations(facts(unapplied_migrations={"default": names})))
    with translation.override(language):
        assert (str(single.message), str(many.message)) == (one, twenty)


@pytest.mark.parametrize(
    ("series", "today", "expected"),
    [
        ((5, 2), TODAY, PASS),
        ((6, 1), TODAY, PASS),
        ((6, 0), date(2027, 3, 1), WARN),
        ((6, 0), date(2027, 5, 1), FAIL),
        ((4, 2), TODAY, FAIL),
        ((3, 2), TODAY, FAIL),
        ((7, 0), TODAY, PASS),
    ],
)
def test_django_support(series, today, expected):
    assert statuses(checks.check_django_support(facts(environment=env(django=series, today=today)))) == expected


@pytest.mark.parametrize(
    ("python", "expected"),
    [((3, 13), PASS), ((3, 11), PASS), ((3, 14), PASS), ((3, 10), FAIL), ((3, 9), FAIL), ((3, 15), PASS)],
)
def test_python_support(python, expected):
    assert statuses(checks.check_python_support(facts(environment=env(python=python)))) == expected


def test_python_deprecated_by_heroku_while_still_supported_upstream():
    before_eol = env(python=(3, 10), today=date(2026, 5, 1))
    assert statuses(checks.check_python_support(facts(environment=before_eol))) == WARN


def requirements(*lines: str, lock_file: str | None = None, installed: dict[str, str | None] | None = None):
    parsed = gather.parse_requirements("\n".join(lines))
    return Requirements("requirements.txt", lock_file, parsed, installed or {})


def test_parse_requirements():
    parsed = gather.parse_requirements(
        "# comment\nDjango==5.2.19\nrequests>=2.32\npsycopg[binary]==3.3.9 ; python_version >= '3.10'\n"
        "-r base.txt\n--hash=sha256:abc\ngit+https://example.com/x.git\nWhite_Noise===6.9.0  # static files\n"
    )
    assert parsed == (
        Requirement("django", "Django==5.2.19", "5.2.19"),
        Requirement("requests", "requests>=2.32", None),
        Requirement("psycopg", "psycopg[binary]==3.3.9 ; python_version >= '3.10'", "3.3.9"),
        Requirement("white-noise", "White_Noise===6.9.0", "6.9.0"),
    )


def test_requirements_pinned():
    pinned = requirements("django==5.2.19", "requests==2.34.2")
    assert statuses(checks.check_requirements_pinned(facts(requirements=pinned))) == PASS
    loose = checks.check_requirements_pinned(facts(requirements=requirements("django>=5.2", "requests==2.34.2")))
    assert statuses(loose) == WARN[:0] + FAIL
    assert isinstance(loose, list)
    assert loose[0].obj == "django"
    locked = requirements("django>=5.2", lock_file="uv.lock")
    assert statuses(checks.check_requirements_pinned(facts(requirements=locked))) == PASS
    nothing = Requirements(None, None, (), {})
    assert statuses(checks.check_requirements_pinned(facts(requirements=nothing))) == SKIP


def test_requirements_drift():
    same = requirements("django==5.2.19", installed={"django": "5.2.19"})
    assert statuses(checks.check_requirements_drift(facts(requirements=same))) == PASS
    drift = requirements("django==5.2.19", "gunicorn==23.0.0", installed={"django": "5.2.18", "gunicorn": None})
    found = checks.check_requirements_drift(facts(requirements=drift))
    assert statuses(found) == FAIL + FAIL
    assert isinstance(found, list)
    assert str(found[1].message) == "gunicorn is pinned to 23.0.0 but nothing is installed."
    assert statuses(checks.check_requirements_drift(facts(requirements=requirements("django>=5")))) == SKIP


@pytest.mark.parametrize(
    ("version_file", "expected"),
    [
        (VersionFile(".python-version", "3.12"), PASS),
        (VersionFile(".python-version", "3.12.7"), PASS),
        (VersionFile(".python-version", "3.13"), FAIL),
        (VersionFile("runtime.txt", "python-3.12.7"), FAIL),
        (VersionFile(None, None), FAIL),
    ],
)
def test_python_version_file(version_file, expected):
    assert statuses(checks.check_python_version_file(facts(python_version_file=version_file))) == expected


def test_proxy_ssl_header(settings):
    # The check reads the setting as a gathered fact, never django.conf.settings.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    [missing] = as_list(checks.check_proxy_ssl_header(facts(settings={"SECURE_PROXY_SSL_HEADER": None})))
    assert statuses(missing) == FAIL
    assert str(missing.message) == (
        "SECURE_PROXY_SSL_HEADER is None: Django sees every request as HTTP, so HSTS is never sent."
    )
    wrong = checks.check_proxy_ssl_header(facts(settings={"SECURE_PROXY_SSL_HEADER": ("HTTP_X_SCHEME", "https")}))
    assert str(wrong.message).startswith("SECURE_PROXY_SSL_HEADER is ('HTTP_X_SCHEME', 'https'): ")
    off_heroku = facts(environment=env(on_heroku=False), settings={"SECURE_PROXY_SSL_HEADER": None})
    assert statuses(checks.check_proxy_ssl_header(off_heroku)) == SKIP
    settings.SECURE_PROXY_SSL_HEADER = None
    right = facts(settings={"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")})
    assert statuses(checks.check_proxy_ssl_header(right)) == PASS


def postgres(**options: Any) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.postgresql", "NAME": "d", **options}


def databases(**configured: dict[str, Any]) -> Facts:
    return facts(settings={"DATABASES": configured})


def test_database_settings():
    good = postgres(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True, OPTIONS={"sslmode": "require"})
    assert statuses(checks.check_database_settings(databases(default=good))) == PASS
    [found] = as_list(checks.check_database_settings(databases(default=postgres(CONN_MAX_AGE=0, OPTIONS={}))))
    assert found.level is None
    assert found.obj == "default"
    assert "CONN_MAX_AGE is 0" in str(found.message)
    assert "SSL not required" in str(found.message)
    assert str(found.message) == (
        "Database default: a new connection for every request (CONN_MAX_AGE is 0); SSL not required."
    )
    # Built in English, read in French: every part is translated when the message is read.
    with translation.override("fr"):
        assert str(found.message) == (
            "Base default : une nouvelle connexion à chaque requête (CONN_MAX_AGE vaut 0); SSL non exigé."
        )
    unchecked = databases(default=postgres(CONN_MAX_AGE=None, OPTIONS={"sslmode": "require"}))
    assert "without health checks" in str(as_list(checks.check_database_settings(unchecked))[0].message)
    sqlite = databases(default={"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    assert statuses(checks.check_database_settings(sqlite)) == SKIP
    off_heroku = facts(environment=env(on_heroku=False), settings={"DATABASES": {"default": postgres()}})
    assert statuses(checks.check_database_settings(off_heroku)) == SKIP


# The gatherer, on this project.

pytestmark = pytest.mark.django_db


def test_the_release_family_on_the_test_project(settings, tmp_path, monkeypatch):
    (tmp_path / "requirements.txt").write_text("pytest==0.0.1\ndjango>=5.2\n")
    (tmp_path / ".python-version").write_text("3.0\n")
    settings.DEPLOYCHECK = {"PROJECT_ROOT": str(tmp_path)}
    monkeypatch.delenv("DYNO", raising=False)
    report = runner.execute(tags=["release"])
    by_id = {result.check_id: result for result in report.results if result.obj in ("", "django", "pytest")}
    assert by_id["release.pending_model_changes"].status == Status.PASSED
    assert by_id["release.unapplied_migrations"].status == Status.PASSED
    assert by_id["release.python_version_file"].status == Status.FAILED
    assert by_id["release.requirements_pinned"].obj == "django"
    drift = next(result for result in report.results if result.check_id == "release.requirements_drift")
    assert str(drift.message).startswith("pytest is pinned to 0.0.1 but ")
    assert by_id["release.proxy_ssl_header"].status == Status.SKIPPED


def test_pending_model_changes_on_a_real_app(settings):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.pendingapp"]
    assert gather.model_changes() == {"pendingapp": ["0002_widget_colour"]}
    [result] = runner.execute(check_ids=["release.pending_model_changes"], save=False).results
    assert result.status == Status.FAILED
    assert result.obj == "pendingapp"


def test_unapplied_migrations_on_a_real_database(settings):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.pendingapp"]
    assert gather.unapplied_migrations() == {"default": ["pendingapp.0001_initial"]}
