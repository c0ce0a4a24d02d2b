"""The project's settings held against each Heroku app: its domains in ALLOWED_HOSTS, its static files."""

from __future__ import annotations

from typing import Any

import pytest

from deploycheck.core.choices import Level, Status
from deploycheck.families.heroku import checks_settings as heroku_settings
from deploycheck.families.heroku.gather import ResourceError
from deploycheck.families.release.gather import StaticStorage
from tests.families.findings import PASS, SKIP, as_list, statuses
from tests.families.heroku.facts import app_facts, raw
from tests.families.heroku.test_checks import custom_domain

SECURITY = heroku_settings.SECURITY_MIDDLEWARE
WHITENOISE = heroku_settings.WHITENOISE_MIDDLEWARE
FAIL_ERROR = [(Status.FAILED, None)]
FAIL_WARNING = [(Status.FAILED, Level.WARNING)]


def hosts_check(allowed: list[str], *hostnames: str) -> list[tuple[Status, int | None]]:
    domains = [custom_domain(hostname) for hostname in hostnames]
    herokuapp = {"id": "h", "hostname": "weareone.herokuapp.com", "kind": "heroku", "cname": None, "status": "none"}
    facts = app_facts(raw(domains=[herokuapp, *domains]), project={"settings.ALLOWED_HOSTS": allowed})
    return statuses(heroku_settings.check_allowed_hosts(facts))


@pytest.mark.parametrize(
    ("allowed", "hostnames", "expected"),
    [
        (["www.weareone.example"], ["www.weareone.example"], PASS),
        # Matched as Django matches: case, a leading dot for subdomains, a trailing dot.
        (["WWW.WeAreOne.example"], ["www.weareone.example"], PASS),
        ([".weareone.example"], ["www.weareone.example", "weareone.example", "api.weareone.example"], PASS),
        (["www.weareone.example"], ["www.weareone.example."], PASS),
        (["weareone.example"], ["www.weareone.example"], FAIL_ERROR),
        (["www.weareone.example"], ["www.weareone.example", "api.weareone.example"], FAIL_ERROR),
        # A wildcard custom domain needs a pattern that takes any of its subdomains.
        ([".weareone.example"], ["*.weareone.example"], PASS),
        (["www.weareone.example"], ["*.weareone.example"], FAIL_ERROR),
        # Without a custom domain the site is the app's herokuapp.com domain.
        (["weareone.herokuapp.com"], [], PASS),
        (["localhost"], [], FAIL_ERROR),
        # "*" accepts every domain, and is itself a finding, below the check's level.
        (["*"], ["www.weareone.example"], FAIL_WARNING),
        (["*", "www.weareone.example"], ["www.weareone.example"], FAIL_WARNING),
    ],
)
def test_allowed_hosts(allowed, hostnames, expected):
    assert hosts_check(allowed, *hostnames) == expected


def test_a_refused_domain_is_named_and_counted_ones_pass():
    facts = app_facts(
        raw(domains=[custom_domain("www.weareone.example"), custom_domain("api.weareone.example")]),
        project={"settings.ALLOWED_HOSTS": ["www.weareone.example"]},
    )
    [finding] = as_list(heroku_settings.check_allowed_hosts(facts))
    assert finding.obj == "api.weareone.example"
    assert str(finding.message) == (
        "Django answers 400 Bad Request to api.weareone.example: ALLOWED_HOSTS does not accept it."
    )
    accepted = app_facts(project={"settings.ALLOWED_HOSTS": [".weareone.example"]})
    assert str(as_list(heroku_settings.check_allowed_hosts(accepted))[0].message) == (
        "ALLOWED_HOSTS accepts the app's 1 domain."
    )


def static_check(config_vars: Any = None, **settings: Any) -> list[Any]:
    changes = {f"settings.{name}": value for name, value in settings.items() if name != "storage"}
    if "storage" in settings:
        changes["release.static_files_storage"] = settings["storage"]
    answers = raw(config_vars=config_vars) if config_vars is not None else raw()
    return as_list(heroku_settings.check_static_files(app_facts(answers, project=changes)))


def test_a_project_ready_for_heroku_passes_with_whitenoise_or_a_cdn():
    assert statuses(static_check()) == PASS  # a CDN's STATIC_URL
    whitenoise = [SECURITY, WHITENOISE, "django.contrib.sessions.middleware.SessionMiddleware"]
    assert statuses(static_check(MIDDLEWARE=whitenoise, STATIC_URL="/static/")) == PASS


def test_without_staticfiles_there_is_nothing_to_serve():
    assert statuses(static_check(INSTALLED_APPS=["django.contrib.auth"], STATIC_ROOT=None)) == SKIP


@pytest.mark.parametrize(
    ("settings", "obj", "level"),
    [
        ({"STATIC_ROOT": None}, "STATIC_ROOT", None),
        ({"STATIC_URL": "/static/"}, "MIDDLEWARE", None),
        ({"STATIC_URL": "/static/", "MIDDLEWARE": [WHITENOISE, SECURITY]}, "MIDDLEWARE", Level.WARNING),
        ({"STATIC_URL": "/static/", "MIDDLEWARE": [SECURITY, "x.Middleware", WHITENOISE]}, "MIDDLEWARE", Level.WARNING),
        (
            {"storage": StaticStorage("django.contrib.staticfiles.storage.StaticFilesStorage", manifest=False)},
            "STORAGES",
            Level.WARNING,
        ),
        ({"storage": StaticStorage("", manifest=False)}, "STORAGES", Level.WARNING),
    ],
)
def test_each_static_files_problem_is_its_own_finding(settings, obj, level):
    [finding] = static_check(**settings)
    assert (finding.status, finding.obj, finding.level) == (Status.FAILED, obj, level)
    assert finding.hint


def test_disable_collectstatic_is_read_by_name_and_its_value_never_shown():
    [finding] = static_check(config_vars={"DISABLE_COLLECTSTATIC": "1-a-value-never-shown", "DATABASE_URL": "x"})
    assert (finding.obj, finding.level) == ("DISABLE_COLLECTSTATIC", Level.WARNING)
    assert "1-a-value-never-shown" not in f"{finding.message} {finding.hint} {finding.details}"


def test_config_vars_that_cannot_be_read_leave_the_rest_judged():
    unreadable = app_facts(config_vars="the config vars: HTTP 403")
    [finding] = as_list(heroku_settings.check_static_files(unreadable))
    assert finding.status == Status.ERROR
    assert isinstance(unreadable["config_vars"], ResourceError)
    no_root = app_facts(config_vars="the config vars: HTTP 403", project={"settings.STATIC_ROOT": ""})
    assert statuses(heroku_settings.check_static_files(no_root)) == [*FAIL_ERROR, (Status.ERROR, None)]
