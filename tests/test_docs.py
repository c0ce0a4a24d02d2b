"""The README documents every check, exit status and setting, and its instructions work as written."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import translation
from packaging.requirements import Requirement

import deploycheck
from deploycheck import conf, runner
from deploycheck.core.catalogue import catalogue
from deploycheck.core.check import Facts, as_findings
from deploycheck.core.choices import Level, Status
from deploycheck.families.release import reference
from deploycheck.families.release.checks import check_python_support
from deploycheck.families.release.gather import Environment

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def test_every_check_id_and_alias_is_in_the_readme():
    missing = [
        check_id
        for check in catalogue.contents.checks
        for check_id in check.ids
        if check_id.split(".")[1] not in README
    ]
    assert missing == []
    assert [check.id for check in catalogue.contents.checks if f"`{check.id}`" not in README] == []


def test_every_exit_status_is_in_the_readme():
    for status in (runner.EXIT_OK, runner.EXIT_FAILED, runner.EXIT_USAGE, runner.EXIT_NOT_EVALUATED, 130):
        assert re.search(rf"^\| {status} \|", README, re.MULTILINE), status


def test_every_setting_and_system_check_is_in_the_readme():
    for key in conf.DEFAULTS:
        assert f"| `{key}` |" in README
    for number in range(1, 17):
        assert f"`deploycheck.E{number:03d}`" in README


# The README's install, token and scheduling instructions: a newcomer follows them as written.

ROOT = Path(__file__).resolve().parent.parent


def _section(title: str) -> str:
    """The README's text under the heading `title`, up to the next heading of the same level or higher."""
    lines = README.splitlines(keepends=True)
    level, body, fenced = 0, [], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        heading = None if fenced else re.match(r"(#+) (.*)", line)
        if level and heading and len(heading.group(1)) <= level:
            break
        if level:
            body.append(line)
        elif heading and heading.group(2).strip() == title:
            level = len(heading.group(1))
    assert level, title
    return "".join(body)


def _repository_url() -> str:
    """The project's GitHub address, from the URLs in pyproject.toml."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    repositories: set[str] = set(re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", pyproject))
    [repository] = repositories
    return repository


def test_the_quick_start_installs_from_somewhere_that_exists_today():
    quick_start = _section("Quick start")
    installs = re.findall(r"`pip install ([^`]+)`", quick_start)
    assert installs
    for argument in installs:
        argument = argument.strip('"')
        # Not on PyPI yet: a bare name (`pip install django-deploycheck`) finds nothing.
        assert not re.fullmatch(r"django[-_]deploycheck(\[[^\]]*\])?([<>=!~].*)?", argument), argument
    line = next(argument.strip('"') for argument in installs if "git+" in argument)
    requirement = Requirement(line)
    assert requirement.name == "django-deploycheck"
    assert requirement.url is not None
    assert requirement.url.startswith(f"git+{_repository_url()}@")
    # The same lines go into requirements.txt: the git URL, and a committed wheel by its real name.
    wheel = f"django_deploycheck-{deploycheck.__version__}-py3-none-any.whl"
    assert f"| `{line}` |" in quick_start
    assert f"`./vendor/{wheel}`" in quick_start
    assert f"`dist/{wheel}`" in quick_start
    assert "`make wheel`" in quick_start


def test_make_wheel_writes_to_dist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    wheel_recipe = re.search(r"^wheel:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert wheel_recipe
    assert "--wheel-dir dist" in wheel_recipe.group(1)


def test_the_readme_says_what_python_3_10_gets():
    end_of_life = reference.PYTHON_UPSTREAM_SUPPORT[(3, 10)].ends
    assert str(end_of_life) == "2026-10-31"
    flowing = " ".join(README.split())
    assert f"Python 3.10 reached its end of life on {end_of_life}" in flowing
    after = Environment(python=(3, 10), django=(5, 2), on_heroku=False, today=end_of_life + timedelta(days=1))
    with translation.override("en"):
        [finding, *_heroku] = as_findings(check_python_support(Facts({"release.environment": after})))
        message = str(finding.message)
    assert finding.status == Status.FAILED
    [check] = [check for check in catalogue.contents.checks if check.id == "release.python_support"]
    assert (finding.level or check.level) == Level.ERROR
    assert f"`{message}`" in " ".join(_section("Quick start").split())


def test_the_heroku_token_recipe_is_least_privilege_and_rotates():
    heroku = _section("Heroku's production checks")
    for needed in (
        "read-protected",
        "--expires-in",
        "authorizations:revoke",
        "heroku config:set HEROKU_API_KEY=",
        "--permissions view",
    ):
        assert needed in heroku, needed
    # Only flags the Heroku CLI has (heroku authorizations:create --help).
    known = {"-s", "--scope", "-d", "--description", "-e", "--expires-in", "-S", "--short", "-j", "--json"}
    creates = re.findall(r"heroku authorizations:create ([^\n`]+)", README)
    assert creates
    for create in creates:
        flags = {word.split("=")[0] for word in create.split() if word.startswith("-")}
        assert flags <= known, create


def test_the_scheduler_recipe_prunes_whatever_the_checks_found():
    recipes = _section("Recipes")
    scheduler = recipes[recipes.index("**Heroku Scheduler**") :]
    [job] = re.findall(r"```text\n(.*?)\n```", scheduler, re.DOTALL)[:1]
    assert "deploycheck --prune" in job
    assert re.search(r"deploycheck(?! --prune)", job), "the job runs the checks too"
    # Pruning must not depend on the checks' exit status: no `checks && prune` anywhere.
    assert not re.search(r"deploycheck[^;\n]*&&[^;\n]*--prune", README)
    commands = [command.strip() for command in job.split(";")]
    assert any(command.endswith("deploycheck --prune") for command in commands), commands


def test_the_status_endpoint_is_documented():
    section = _section("Status endpoint, metrics and badge")
    for number in range(40, 44):
        assert f"`deploycheck.E{number:03d}`" in README
    for status in (200, 401, 403, 404, 405, 503):
        assert f"`{status}`" in section, status
    for name in ("results", "passed", "age_seconds", "timestamp_seconds", "info"):
        assert f"`deploycheck_latest_run_{name}`" in section, name
    assert 'path("deploycheck/", include("deploycheck.urls"))' in section
    assert "credentials_file:" in section
    assert "badge.svg?app=" in section
