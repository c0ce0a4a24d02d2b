"""The release family: pure checks on hand-made facts, and the gatherer on the real project."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from deploycheck import runner
from deploycheck.core import gathering
from deploycheck.core.check import Facts
from deploycheck.core.choices import Level, Status
from deploycheck.families.advisories.gather import gather_advisories
from deploycheck.families.release import checks, gather, reference
from deploycheck.families.release.gather import Environment
from tests.families.findings import FAIL, PASS, SKIP, WARN, as_list, statuses

TODAY = date(2026, 11, 27)


def env(python=(3, 12), django=(5, 2), on_heroku=True, today=TODAY, psycopg=3, psycopg_pool=True) -> Environment:
    return Environment(python, django, on_heroku, today, psycopg, psycopg_pool)


def facts(*, settings: dict[str, Any] | None = None, **values: Any) -> Facts:
    """``release.<name>`` facts from ``values``, ``settings.<NAME>`` facts from ``settings``."""
    return Facts(
        {
            **{f"release.{name}": value for name, value in {"environment": env(), **values}.items()},
            **{f"settings.{name}": value for name, value in (settings or {}).items()},
        }
    )


def test_the_family_declares_its_provider_and_the_settings_its_checks_read():
    assert checks.FAMILY.providers == {"release": gather.gather_release, "advisories": gather_advisories}
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
        ((7, 0), TODAY, WARN),
    ],
)
def test_django_support(series, today, expected):
    assert statuses(checks.check_django_support(facts(environment=env(django=series, today=today)))) == expected


@pytest.mark.parametrize(
    ("python", "expected"),
    [((3, 13), PASS), ((3, 11), PASS), ((3, 14), PASS), ((3, 10), FAIL + WARN), ((3, 9), FAIL + FAIL), ((3, 15), WARN)],
)
def test_python_support(python, expected):
    assert statuses(checks.check_python_support(facts(environment=env(python=python)))) == expected


def test_python_deprecated_by_heroku_while_still_supported_upstream():
    before_eol = env(python=(3, 10), today=date(2026, 5, 1))
    [finding] = as_list(checks.check_python_support(facts(environment=before_eol)))
    assert statuses(finding) == WARN
    assert str(finding.message) == (
        "Heroku's Python buildpack deprecated Python 3.10 and stops building it on 2027-01-06."
    )


def test_python_3_10_past_its_end_of_life_and_then_removed_by_heroku():
    findings = as_list(checks.check_python_support(facts(environment=env(python=(3, 10), today=date(2026, 12, 7)))))
    assert [(str(finding.message), finding.level) for finding in findings] == [
        ("Python 3.10 stopped getting security fixes on 2026-10-31.", None),
        ("Heroku's Python buildpack deprecated Python 3.10 and stops building it on 2027-01-06.", Level.WARNING),
    ]
    removed = as_list(checks.check_python_support(facts(environment=env(python=(3, 10), today=date(2027, 1, 6)))))
    assert str(removed[1].message) == "Heroku's Python buildpack no longer supports Python 3.10."
    assert removed[1].level is None  # the check's own level, ERROR


@pytest.mark.parametrize(
    ("series", "message"),
    [
        (
            {"django": (7, 0)},
            "Django 7.0 is not known to this version of deploycheck yet: its support dates cannot be checked. "
            "Upgrade deploycheck.",
        ),
        (
            {"python": (3, 16)},
            "Python 3.16 is not known to this version of deploycheck yet: its support dates cannot be checked. "
            "Upgrade deploycheck.",
        ),
        (
            {"python": (3, 15)},
            "Python 3.15 is not in this version of deploycheck's table of Heroku's Python buildpack yet.",
        ),
    ],
)
def test_a_series_newer_than_the_tables_warns_that_they_do_not_know_it_yet(series, message):
    check = checks.check_django_support if "django" in series else checks.check_python_support
    [finding] = as_list(check(facts(environment=env(**series))))
    assert (str(finding.message), finding.level) == (message, Level.WARNING)
    with translation.override("fr"):
        assert str(finding.message) != message


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


def databases(environment: Environment | None = None, **configured: dict[str, Any]) -> Facts:
    return facts(environment=environment or env(), settings={"DATABASES": configured})


def test_database_settings():
    good = postgres(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True, OPTIONS={"sslmode": "require"})
    assert statuses(checks.check_database_settings(databases(default=good))) == PASS
    # Every problem is its own finding, named after its database.
    found = as_list(checks.check_database_settings(databases(default=postgres(CONN_MAX_AGE=0, OPTIONS={}))))
    assert [(finding.obj, finding.level) for finding in found] == [("default", None), ("default", None)]
    assert [str(finding.message) for finding in found] == [
        "Database default: a new connection for every request (CONN_MAX_AGE is 0).",
        "Database default: SSL not required.",
    ]
    # Built in English, read in French: every part is translated when the message is read.
    with translation.override("fr"):
        assert str(found[0].message) == "Base default : une nouvelle connexion à chaque requête (CONN_MAX_AGE vaut 0)."
    unchecked = databases(default=postgres(CONN_MAX_AGE=None, OPTIONS={"sslmode": "require"}))
    assert "without health checks" in str(as_list(checks.check_database_settings(unchecked))[0].message)
    sqlite = databases(default={"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    assert statuses(checks.check_database_settings(sqlite)) == SKIP
    off_heroku = facts(environment=env(on_heroku=False), settings={"DATABASES": {"default": postgres()}})
    assert statuses(checks.check_database_settings(off_heroku)) == SKIP


def test_a_pooled_database_needs_conn_max_age_0_as_django_does():
    pool = {"pool": True, "sslmode": "require"}
    pooled = postgres(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=True, OPTIONS=pool)
    assert statuses(checks.check_database_settings(databases(default=pooled))) == PASS
    # Every database, every problem: a pool Django refuses is an error, unchecked connections a warning.
    persistent_pool = postgres(CONN_MAX_AGE=600, OPTIONS={"pool": {"max_size": 4}})
    plain = postgres(CONN_MAX_AGE=0, OPTIONS={"sslmode": "require"})
    found = as_list(checks.check_database_settings(databases(default=persistent_pool, replica=plain)))
    assert [(finding.obj, finding.level, str(finding.message)) for finding in found] == [
        (
            "default",
            Level.ERROR,
            "Database default: a connection pool with CONN_MAX_AGE 600, which Django refuses (a pool needs 0).",
        ),
        ("default", None, "Database default: pooled connections handed out unchecked (CONN_HEALTH_CHECKS is off)."),
        ("default", None, "Database default: SSL not required."),
        ("replica", None, "Database replica: a new connection for every request (CONN_MAX_AGE is 0)."),
    ]
    assert "CONN_MAX_AGE to 0" in str(found[0].hint)
    assert found[3].hint is None  # the check's own hint
    # Django's pool needs psycopg 3 and psycopg_pool.
    on_psycopg2 = databases(env(psycopg=2), default=pooled)
    assert [str(f.message) for f in as_list(checks.check_database_settings(on_psycopg2))] == [
        "Database default: a connection pool without psycopg 3, which Django's pool needs."
    ]
    without_pool = as_list(checks.check_database_settings(databases(env(psycopg_pool=False), default=pooled)))
    assert statuses(without_pool) == [(Status.FAILED, Level.ERROR)]
    assert "psycopg[pool]" in str(without_pool[0].message)


def test_reference_data_age():
    assert statuses(checks.check_reference_data(facts(environment=env(today=TODAY)))) == PASS
    # The Heroku buildpack's Python list was read on 2026-08-18: 180 days later it is old.
    [aged] = as_list(checks.check_reference_data(facts(environment=env(today=date(2027, 2, 15)))))
    assert statuses(aged) == FAIL
    assert str(aged.message) == (
        "deploycheck's reference tables are more than 180 days old: Heroku's Python versions (true on 2026-08-18), "
        "the package manager files Heroku reads (true on 2026-08-18). Upgrading deploycheck refreshes them."
    )
    [all_old] = as_list(checks.check_reference_data(facts(environment=env(today=date(2027, 6, 10)))))
    message = str(all_old.message)
    for table in ("Django support dates", "Python support dates", "Heroku's stacks, dyno sizes"):
        assert table in message
    assert "Upgrading deploycheck refreshes them." in str(all_old.message)


def test_every_reference_entry_says_where_it_comes_from_and_when():
    tables: list[Mapping[Any, Any]] = [
        reference.DJANGO_SECURITY_SUPPORT,
        reference.PYTHON_UPSTREAM_SUPPORT,
        reference.HEROKU_PYTHON,
        reference.LOCK_FILES,
    ]
    for table in tables:
        for entry in table.values():
            assert entry.source.startswith("https://")
            assert date(2026, 1, 1) <= entry.as_of <= reference.REVIEWED
    assert reference.PYTHON_UPSTREAM_SUPPORT[(3, 15)].ends == date(2031, 10, 31)
    assert set(reference.table_dates()) == {"django", "python", "heroku_python", "lock_files", "heroku"}
    assert "pdm.lock" not in reference.HEROKU_LOCK_FILES


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


def test_a_fact_that_cannot_be_gathered_stops_only_the_checks_that_need_it(settings, tmp_path, monkeypatch):
    # A real app whose migration raises while the migration graph is loaded.
    app = tmp_path / "apps" / "brokenapp"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    (app / "migrations" / "0001_initial.py").write_text('raise ValueError("bad\\nmigration")\n')
    monkeypatch.syspath_prepend(str(tmp_path / "apps"))
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "brokenapp"]
    (tmp_path / ".python-version").write_text("{}.{}\n".format(*sys.version_info[:2]))
    settings.DEPLOYCHECK = {"PROJECT_ROOT": str(tmp_path)}
    monkeypatch.delenv("DYNO", raising=False)

    report = runner.execute(tags=["release"], save=False)
    by_id = {result.check_id: result for result in report.results}
    pending = by_id["release.pending_model_changes"]
    assert (pending.status, str(pending.message)) == (
        Status.ERROR,
        "Could not gather what this check needs: ValueError: bad migration",
    )
    # The migration table is read database by database: that database's listing names the error.
    unapplied = by_id["release.unapplied_migrations"]
    assert (unapplied.status, str(unapplied.message)) == (
        Status.ERROR,
        "Cannot list the migrations of database default: ValueError: bad migration",
    )
    # Every other release check was evaluated.
    for check_id in ("release.django_support", "release.python_version_file", "release.reference_data"):
        assert by_id[check_id].status in (Status.PASSED, Status.FAILED), check_id
    assert by_id["release.python_version_file"].status == Status.PASSED
    with translation.override("fr"):
        assert str(pending.message).endswith("ValueError: bad migration")


def test_the_release_provider_hands_back_each_fact_or_its_error(monkeypatch):
    def broken() -> None:
        raise OSError("disk\ngone")

    monkeypatch.setitem(gather._GATHERERS, "release.requirements", broken)
    facts = gathering.gather({"release.requirements", "release.environment"}, 10, providers=checks.FAMILY.providers)
    assert isinstance(facts["release.environment"], Environment)
    assert "release.requirements" not in facts
    assert facts.error_for(["release.requirements"]) == "OSError: disk gone"
