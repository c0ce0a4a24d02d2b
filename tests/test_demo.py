"""`make demo`: what it installs, and the example project it runs, as real processes.

`make demo` installs the package with its `example` extra only; `make test` and `make lint` add
what they need. The example project migrates, then deploycheck runs on it twice: the development
profile reports warnings and exits 0, the production profile passes. Both read in the language
``LANGUAGE_CODE`` names, English or French, with the same verdicts.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import django
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_project"

# What the summary line starts with when the run passes ("RÉUSSI" or "RÉUSSIE", as the grammar wants).
PASSED = {"en": "PASSED", "fr": "RÉUSSI"}

# Variables the example settings or deploycheck read: the demo must not depend on the caller's.
CALLER_VARIABLES = {
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DEBUG",
    "DEMO_PROFILE",
    "DYNO",
    "EMAIL_BACKEND",
    "LANGUAGE_CODE",
    "SECRET_KEY",
    "SOURCE_VERSION",
}


MAKE_VARIABLES = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}


def _make_dry_run(target: str, venv: Path, language: str = "en") -> list[str]:
    """The commands `make TARGET` would run for this virtualenv, without running them."""
    # Not the flags and variables of a `make test` that may be running this test.
    environment = {name: value for name, value in os.environ.items() if name not in MAKE_VARIABLES}
    environment["LANGUAGE_CODE"] = language
    completed = subprocess.run(
        ["make", "--no-print-directory", "-n", "-C", str(ROOT), target, f"VENV={venv}"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return completed.stdout.splitlines()


def _installs(commands: list[str]) -> list[set[str]]:
    """The extras of the checkout each `pip install` installs, e.g. {"example"} for `-e ".[example]"`."""
    return [
        set(extras.split(","))
        for command in commands
        if " -m pip install " in command
        for extras in re.findall(r'"\.\[([a-z,]+)\]"', command)
    ]


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


@needs_make
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["== 1/2 development-like settings", "== 2/2 production-like settings", "exit status: "]),
        ("fr", ["== 1/2 réglages de développement", "== 2/2 réglages de production", "statut de sortie : "]),
    ],
)
def test_the_demo_speaks_the_reports_language(tmp_path, language, expected):
    commands = "\n".join(_make_dry_run("demo", tmp_path / "venv", language))
    assert all(words in commands for words in expected)


@needs_make
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "== the admin with a history, without a token"),
        ("fr", "== l'admin avec un historique, sans jeton"),
    ],
)
def test_the_admin_demo_speaks_the_reports_language(tmp_path, language, expected):
    assert expected in "\n".join(_make_dry_run("demo-admin", tmp_path / "venv", language))


@needs_make
@pytest.mark.parametrize("target", ["demo", "demo-admin"])
def test_make_demo_installs_the_example_extra_only(tmp_path, target):
    venv = tmp_path / "venv"
    assert _installs(_make_dry_run(target, venv)) == [{"example"}]


@needs_make
@pytest.mark.parametrize(("target", "extra"), [("test", "test"), ("lint", "lint")])
def test_make_test_and_lint_install_their_extras_on_a_fresh_clone(tmp_path, target, extra):
    installs = _installs(_make_dry_run(target, tmp_path / "venv"))
    assert any(extra in extras for extras in installs), installs


@needs_make
@pytest.mark.parametrize(
    ("stamps", "test_installs"),
    [
        ((".installed-demo",), [{"example", "test", "lint"}]),
        ((".installed-demo", ".installed-dev"), []),
    ],
    ids=["after make demo", "after make test"],
)
def test_a_second_target_installs_only_what_is_missing(tmp_path, stamps, test_installs):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    for stamp in stamps:
        (venv / stamp).touch()
    assert _installs(_make_dry_run("demo", venv)) == []
    assert _installs(_make_dry_run("demo-admin", venv)) == []
    assert _installs(_make_dry_run("test", venv)) == test_installs


def _environment(**overrides: str) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in CALLER_VARIABLES and not name.startswith(("DJANGO_", "DEPLOYCHECK", "HEROKU_"))
    }
    environment["PYTHONPATH"] = str(ROOT)
    environment.update(overrides)
    return environment


class Demo:
    def __init__(self, project: Path, language: str) -> None:
        self.project = project
        self.language = language

    def manage(self, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.project,
            env=_environment(
                LANGUAGE_CODE=self.language,
                DATABASE_URL=f"sqlite:///{self.project / 'demo.sqlite3'}",
                **environment,
            ),
            capture_output=True,
            text=True,
            timeout=120,
        )


@pytest.fixture(scope="module", params=["en", "fr"])
def demo(request, tmp_path_factory) -> Demo:
    """A copy of the example project (no .env, no database of its own), migrated as `make demo` does."""
    project = tmp_path_factory.mktemp(f"demo-{request.param}") / "example_project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("db.sqlite3", ".env", "__pycache__", "staticfiles"))
    demo = Demo(project, request.param)
    migrated = demo.manage("migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    return demo


def _no_traceback(completed: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in completed.stdout + completed.stderr, completed.stderr


@pytest.mark.slow
def test_production_profile_passes(demo):
    completed = demo.manage("deploycheck", "--quiet", DEMO_PROFILE="production", SECRET_KEY=secrets.token_urlsafe(50))
    _no_traceback(completed)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    summary = completed.stdout.strip().splitlines()[-1]
    assert summary.startswith(PASSED[demo.language]), summary


@pytest.mark.slow
def test_development_profile_warns_and_exits_0(demo):
    completed = demo.manage("deploycheck", DEMO_PROFILE="development")
    _no_traceback(completed)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.strip().splitlines()
    assert lines[-1].startswith(PASSED[demo.language]), lines[-1]
    # Failed warnings (the status word is translated, the level is not): DEBUG is on, no HSTS.
    warnings = {line.split()[2] for line in lines if line.split()[1:2] == ["WARNING"]}
    assert {"security.W004", "security.W018"} <= warnings
    # Offline, the demo does not ask OSV: the advisory check says it is off rather than failing.
    [at] = [number for number, line in enumerate(lines) if "release.security_advisories" in line]
    assert lines[at].split()[0] in {"skipped", "ignoré"}
    assert "OSV_API_URL" in lines[at + 1]
    if django.VERSION >= (6, 1):
        # The console e-mail backend is reported (mail.E001, an ERROR) but silenced on purpose.
        assert any("mail.E001" in line for line in lines)
