"""deploycheck in projects made by the real tools rather than written by hand (tests/projects/).

- `django-admin startproject`, of the Django under test, in this virtualenv (deploycheck is
  installed in it already);
- `wagtail start`, of a Wagtail from the package index, in a virtualenv of its own made under
  tmp_path, with deploycheck installed from this checkout (`pip install -e`). Wagtail imports
  ``django.tasks`` on Django 6.0, whose system check is a generator rather than a list.

Each project is set up as a new user would from the README's Quick start: "deploycheck" added to
INSTALLED_APPS, then migrate. Then, under LANGUAGE_CODE "en" and "fr" (set in the settings file):
`manage.py deploycheck --format json` evaluates every check of the django family and reports the
same messages as Django's own run_checks(include_deployment_checks=True) in the same project (id,
level and silenced flag), the run is stored, and the project's admin shows the runs list and the
run's page to a superuser.

Only the Wagtail test needs the network (the package index); offline it is skipped with a reason,
and so it is in a pass of another Django series than the one its project gets.
Both projects use SQLite, as the tools make them: they run in the suite's SQLite pass, not again
in its PostgreSQL pass (`make test` with POSTGRES_URL).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django import VERSION as DJANGO_VERSION
from django.conf import settings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="the projects use SQLite, as startproject and wagtail start make them: run in the SQLite pass",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["en", "fr"]

# Wagtail 7.4 declares Django 5.2 and 6.0 (its classifiers; its project template's requirements.txt
# asks for Django>=6,<6.1). Django 6.0 needs Python 3.12: older interpreters get Django 5.2.
WAGTAIL = "wagtail>=7.4,<7.5"
DJANGO_SERIES_FOR_WAGTAIL = "6.0" if sys.version_info >= (3, 12) else "5.2"

# What the caller's environment may hold that a project's manage.py, or deploycheck, would read.
CALLER_VARIABLES = {
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DEBUG",
    "DYNO",
    "EMAIL_BACKEND",
    "LANGUAGE_CODE",
    "PYTHONPATH",
    "SECRET_KEY",
    "SOURCE_VERSION",
    "VIRTUAL_ENV",
}

# The title of the DEBUG check (security.W018) in each language: the report speaks LANGUAGE_CODE.
DEBUG_TITLE = {"en": "DEBUG is off", "fr": "DEBUG est désactivé"}

# Run in the project by `manage.py shell -c`: what `check --deploy` computes before printing.
RUN_CHECKS = """
import json
from django.core.checks import run_checks
names = {10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL"}
messages = run_checks(include_deployment_checks=True)
print(json.dumps([[m.id, names.get(m.level, str(m.level)), m.is_silenced()] for m in messages]))
"""

# Run in the project by `manage.py shell -c`, after `.format(run=...)`: the stored run, and the
# admin's runs list and run page as a superuser sees them (setup_test_environment() lets the test
# client's host in, as Django's documentation says to do in a shell).
ADMIN = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from deploycheck.models import CheckRun
setup_test_environment()
model = get_user_model()
if not model.objects.filter(username="root").exists():
    model.objects.create_superuser("root", "root@example.com", "a long enough password")
client = Client()
assert client.login(username="root", password="a long enough password")
run = CheckRun.objects.filter(pk={run}).first()
pages = {{}}
changelist = reverse("admin:deploycheck_checkrun_changelist")
for url in [changelist, reverse("admin:deploycheck_checkrun_change", args=[{run}])]:
    response = client.get(url)
    pages[url] = {{"status": response.status_code, "body": response.content.decode()}}
stored = None if run is None else {{"results": run.results.count(), "trigger": run.trigger}}
print(json.dumps({{"stored": stored, "pages": pages}}))
"""


def environment(**overrides: str) -> dict[str, str]:
    """The caller's environment without what would configure the project or deploycheck."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if name not in CALLER_VARIABLES and not name.startswith(("DJANGO_", "DEPLOYCHECK", "HEROKU_"))
    }
    return {**kept, **overrides}


def run(command: list[str | Path], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert completed.returncode == 0, f"{command}\n{completed.stdout}\n{completed.stderr}"
    return completed


@dataclass(frozen=True)
class Project:
    python: Path  # the interpreter of the virtualenv the project runs in
    directory: Path  # where manage.py is
    settings: Path  # the settings file a user edits
    admin: str  # where the project's urls.py mounts django.contrib.admin

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`python manage.py ARGS` in the project, as a shell in its directory would run it."""
        return subprocess.run(
            [str(self.python), "manage.py", *args],
            cwd=self.directory,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=300,
        )

    def shell(self, code: str) -> Any:
        """Run CODE with `manage.py shell -c`; what it prints is one JSON document."""
        completed = self.manage("shell", "--no-imports", "-c", code)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return json.loads(completed.stdout)

    def follow_the_quick_start(self) -> None:
        """README, Quick start: "deploycheck" in INSTALLED_APPS, then migrate."""
        text = self.settings.read_text()
        start = text.index("INSTALLED_APPS = [")
        end = text.index("\n]", start)
        text = text[:end] + '\n    "deploycheck",' + text[end:]
        # The suite never asks the real OSV database (tests/conftest.py); the rest is the project's.
        text += '\nDEPLOYCHECK = {"OSV_API_URL": None}\n'
        self.settings.write_text(text)
        migrated = self.manage("migrate", "--no-input", "-v", "0")
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    def speak(self, language: str) -> None:
        setting = f'LANGUAGE_CODE = "{language}"'
        text, count = re.subn(r"^LANGUAGE_CODE = .*$", setting, self.settings.read_text(), flags=re.MULTILINE)
        assert count == 1, self.settings
        self.settings.write_text(text)


def deploycheck_runs_in(project: Project, language: str) -> list[dict[str, Any]]:
    """Run deploycheck in PROJECT under LANGUAGE and judge it; the django family's results."""
    project.speak(language)
    completed = project.manage("deploycheck", "--format", "json")
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.stdout.startswith("{"), completed.stdout + completed.stderr
    document = json.loads(completed.stdout)
    assert completed.returncode == document["run"]["exit_status"], completed.stderr

    # Every function Django registers is evaluated, and gives what run_checks gives.
    django = [result for result in document["results"] if result["family"] == "django"]
    not_evaluated = [(result["id"], result["message"]) for result in django if result["status"] == "error"]
    assert not_evaluated == []
    reported = Counter(
        (result["id"], result["level"], result["silenced"]) for result in django if result["status"] != "passed"
    )
    expected = Counter((message_id, level, silenced) for message_id, level, silenced in project.shell(RUN_CHECKS))
    assert reported == expected
    assert {result["status"] for result in django} <= {"passed", "failed"}
    # startproject and wagtail start both set DEBUG = True: the report says so, in its language.
    [debug] = [result for result in django if result["id"] == "security.W018"]
    assert (debug["status"], debug["title"]) == ("failed", DEBUG_TITLE[language])

    # The run is stored, and the admin shows it.
    assert document["run"]["saved"] is True
    found = project.shell(ADMIN.format(run=document["run"]["id"]))
    assert found["stored"] == {"results": len(document["results"]), "trigger": "command"}
    changelist = f"{project.admin}deploycheck/checkrun/"
    run_page = f"{changelist}{document['run']['id']}/change/"
    assert list(found["pages"]) == [changelist, run_page]
    for url, page in found["pages"].items():
        assert page["status"] == 200, url
        assert "Traceback" not in page["body"], url
        assert "Server Error" not in page["body"], url
        assert f'<html lang="{language}"' in page["body"], url
    assert "security.W018" in found["pages"][run_page]["body"]
    return django


@pytest.fixture(scope="module")
def startproject(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """`django-admin startproject mysite`, with the django-admin of this virtualenv."""
    directory = tmp_path_factory.mktemp("startproject")
    run([Path(sys.executable).parent / "django-admin", "startproject", "mysite", directory], cwd=directory)
    project = Project(Path(sys.executable), directory, directory / "mysite" / "settings.py", "/admin/")
    project.follow_the_quick_start()
    return project


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_startproject_project(startproject: Project, language: str) -> None:
    deploycheck_runs_in(startproject, language)


def package_index_reachable() -> None:
    """Skip, saying why, when pip cannot reach the package index."""
    # Only the index's page for Wagtail, never from pip's cache, without retries.
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "wagtail", "--no-cache-dir", "--retries=0", "--timeout=10"],
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no answer"])[-1]
        pytest.skip(f"the package index cannot be reached: `pip index versions wagtail` says {reason!r}")


@pytest.fixture(scope="module")
def wagtail(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """`wagtail start mysite` in a virtualenv of its own: Wagtail and Django from the package index,
    deploycheck from this checkout."""
    # The project gets the Django series Wagtail supports on this Python: it runs in the suite's pass
    # of that series (CI's 5.2 and 6.0 passes), not again in the others, where it would test the same.
    under_test = "{}.{}".format(*DJANGO_VERSION[:2])
    if under_test != DJANGO_SERIES_FOR_WAGTAIL:
        pytest.skip(
            f"Wagtail's project runs on Django {DJANGO_SERIES_FOR_WAGTAIL} here: it is tested in the suite's "
            f"pass of that series, not in this one of Django {under_test}"
        )
    package_index_reachable()
    directory = tmp_path_factory.mktemp("wagtail")
    venv = directory / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=directory)
    python = venv / "bin" / "python"
    django = f"Django~={DJANGO_SERIES_FOR_WAGTAIL}.0"
    run([python, "-m", "pip", "install", "--quiet", WAGTAIL, django, "-e", ROOT], cwd=directory, timeout=900)
    series = run([python, "-c", "import django; print(django.get_version())"], cwd=directory).stdout
    assert series.startswith(f"{DJANGO_SERIES_FOR_WAGTAIL}."), series
    site = directory / "site"
    site.mkdir()
    run([venv / "bin" / "wagtail", "start", "mysite", site], cwd=directory)
    project = Project(python, site, site / "mysite" / "settings" / "base.py", "/django-admin/")
    project.follow_the_quick_start()
    return project


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wagtail_project(wagtail: Project, language: str) -> None:
    django = deploycheck_runs_in(wagtail, language)
    if DJANGO_SERIES_FOR_WAGTAIL == "6.0":
        # Wagtail imports django.tasks, which registers a check function that is a generator.
        assert [result["status"] for result in django if result["id"] == "tasks.check_tasks"] == ["passed"]
