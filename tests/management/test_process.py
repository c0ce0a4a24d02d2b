"""manage.py deploycheck as a real process, in English and in French: what a shell, CI or Heroku sees.

Every test here runs once per language (CLI_LANGUAGE sets LANGUAGE_CODE in tests/cli_settings.py).
Assertions hold in both: exit statuses, JSON fields, the absence of "Traceback", argparse's
own markers ("usage:", "error:"), and words picked from WORDS by language.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from deploycheck.management.process import SAME_INTERRUPTION
from deploycheck.models import CheckRun
from tests.conftest import cli_environment

pytestmark = pytest.mark.slow

WORDS = {
    "en": {
        "description": "Run Django's deployment checklist and deploycheck's production checks",
        "tag_help": "Run only checks with this tag or family (repeatable).",
        "failed": "CommandError: deploycheck found problems at or above the fail level.",
        "not_evaluated": "CommandError: some checks could not be evaluated (exit status 3).",
        "not_saved": "Warning: the results were not saved: deploycheck's tables do not exist yet",
        "passed": "PASSED (fail level ERROR) - ",
    },
    "fr": {
        "description": "Exécute la liste de contrôle de déploiement de Django et les contrôles de production",
        "tag_help": "N'exécuter que les contrôles portant cette étiquette ou de cette famille (répétable).",
        "failed": "CommandError: deploycheck a trouvé des problèmes au niveau d'échec ou au-dessus.",
        "not_evaluated": "CommandError: certains contrôles n'ont pas pu être évalués (statut de sortie 3).",
        "not_saved": "Attention : les résultats n'ont pas été enregistrés : les tables de deploycheck n'existent pas",
        "passed": "RÉUSSIE (niveau d'échec ERROR) - ",
    },
}

Manage = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(params=sorted(WORDS))
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def words(language: str) -> dict[str, str]:
    return WORDS[language]


@pytest.fixture
def manage_in(manage: Manage, language: str) -> Manage:
    """The conftest's `manage`, with LANGUAGE_CODE set to the test's language."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return manage(*args, env={"CLI_LANGUAGE": language, **(env or {})}, timeout=timeout)

    return run


@pytest.fixture
def migrated(tmp_path: Path, migrated_template: Path) -> Path:
    """The SQLite file `manage` and `start` use, with deploycheck's tables."""
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(migrated_template, database)
    return database


@pytest.fixture
def start(
    spawn: Callable[..., subprocess.Popen[str]], tmp_path: Path, language: str
) -> Callable[..., subprocess.Popen[str]]:
    """Start `django-admin` without waiting, on the same SQLite file as `manage`, to send it signals."""

    def run(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
        return spawn(list(args), cli_environment(tmp_path / "db.sqlite3", CLI_LANGUAGE=language, **env))

    return run


def wait_for(marker: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{marker.name} never appeared"
        time.sleep(0.05)


def stored_outcomes(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as connection:
        return [outcome for (outcome,) in connection.execute(f"SELECT outcome FROM {CheckRun._meta.db_table}")]


def test_process_help_in_the_settings_language(manage_in, words):
    for args in (["deploycheck", "--help"], ["deploycheck", "-h"], ["help", "deploycheck"]):
        process = manage_in(*args)
        assert process.returncode == 0, (args, process.stderr)
        assert "Traceback" not in process.stderr
        text = " ".join(process.stdout.split())
        assert text.startswith("usage: "), args
        assert words["description"] in text, args
        assert words["tag_help"] in text, args
        assert "--fail-level {DEBUG,INFO,WARNING,ERROR,CRITICAL}" in text


def test_process_exit_statuses_and_no_tracebacks(manage_in, migrated, words):
    # Checks are selected so that the statuses are about the command, whatever the language.
    insecure = manage_in("deploycheck", "--tag", "django", "--fail-level", "WARNING")
    assert insecure.returncode == 1, insecure.stderr
    assert insecure.stderr.strip().splitlines()[-1] == words["failed"]
    secure = manage_in("deploycheck", "--tag", "django", env={"CLI_PROFILE": "secure"})
    assert secure.returncode == 0, secure.stdout + secure.stderr
    not_evaluated = manage_in(
        "deploycheck", "--check", "tests.plain_checks.cannot_tell", env={"CLI_PROFILE": "not-evaluated"}
    )
    assert not_evaluated.returncode == 3, not_evaluated.stdout + not_evaluated.stderr
    assert not_evaluated.stderr.strip().splitlines()[-1] == words["not_evaluated"]
    assert all("Traceback" not in process.stderr for process in (insecure, secure, not_evaluated))


def test_process_every_family_passes_on_production_like_settings(manage_in, migrated, words):
    # The release phase of a French team: every check, production-like settings, a migrated database.
    process = manage_in("deploycheck", env={"CLI_PROFILE": "secure"})
    assert process.returncode == 0, process.stdout + process.stderr
    assert process.stdout.strip().splitlines()[-1].startswith(words["passed"])
    assert "Traceback" not in process.stderr


def test_process_formats(manage_in, migrated, words):
    secure = {"CLI_PROFILE": "secure"}
    with ThreadPoolExecutor(max_workers=3) as pool:
        text, document, junit = pool.map(
            lambda output_format: manage_in("deploycheck", "--tag", "django", "--format", output_format, env=secure),
            ["text", "json", "junit"],
        )
    assert (text.returncode, document.returncode, junit.returncode) == (0, 0, 0), text.stderr + junit.stderr
    assert text.stdout.strip().splitlines()[-1].startswith(words["passed"])
    run = json.loads(document.stdout)["run"]
    assert (run["outcome"], run["saved"], run["selection"]["tags"]) == ("passed", True, ["django"])
    suites = ElementTree.fromstring(junit.stdout).findall("testsuite")
    assert [suite.get("name") for suite in suites if suite.get("tests") != "0"] == ["deploycheck.django"]
    assert all("Traceback" not in process.stderr for process in (text, document, junit))


def test_process_bad_usage_prints_the_usage_and_exits_2(manage_in, tmp_path):
    cases = [
        ["--format", "yaml"],
        ["--fail-level", "LOUD"],
        ["--url", "http://example.com"],
        ["--url", "https://[::1"],
        ["--tag", "nope"],
        ["--list", "--prune"],
        ["--list", "--format", "junit"],
        ["--output", str(tmp_path / "missing" / "report.txt")],
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        processes = list(pool.map(lambda args: manage_in("deploycheck", *args), cases))
    for args, process in zip(cases, processes, strict=True):
        assert process.returncode == 2, (args, process.stderr)
        assert process.stderr.startswith("usage: "), (args, process.stderr)
        error_lines = [line for line in process.stderr.splitlines() if " deploycheck: error: " in line]
        assert len(error_lines) == 1, (args, process.stderr)
        assert "Traceback" not in process.stderr
        assert process.stdout == "", args
    assert list(tmp_path.rglob("*.tmp")) == [], "a temporary report file was left behind"


def test_process_malformed_setting_is_one_line_and_exits_2(manage_in):
    process = manage_in("deploycheck", env={"CLI_PROFILE": "broken"})
    assert process.returncode == 2
    assert process.stderr.startswith("CommandError: ")
    assert process.stderr.strip().endswith("(deploycheck.E005)")
    assert len(process.stderr.strip().splitlines()) == 1


def test_process_before_migrate_still_reports(manage_in, words):
    # Not being able to save does not change the exit status: only the checks do.
    process = manage_in("deploycheck", "--tag", "django", "--format", "json", env={"CLI_PROFILE": "secure"})
    assert process.returncode == 0, process.stderr
    everything = manage_in("deploycheck", "--format", "json", env={"CLI_PROFILE": "secure"})
    assert everything.returncode == 1
    unapplied = next(
        result for result in json.loads(everything.stdout)["results"] if result["id"] == "release.unapplied_migrations"
    )
    assert unapplied["status"] == "failed"
    document = json.loads(process.stdout)
    assert document["run"]["saved"] is False
    assert "`manage.py migrate`" in document["run"]["not_saved_reason"]
    assert words["not_saved"] in process.stderr
    assert "Traceback" not in process.stderr + everything.stderr


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_process_interrupted_mid_run_is_recorded(migrated, start, tmp_path, signal_number):
    marker = tmp_path / "started"
    process = start(
        "deploycheck", "--format", "json", env={"CLI_PROFILE": "slow", "DEPLOYCHECK_TEST_STARTED": str(marker)}
    )
    wait_for(marker, process)
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    document = json.loads(stdout)
    assert document["run"]["outcome"] == "interrupted"
    assert document["run"]["saved"] is True
    slow = next(result for result in document["results"] if result["check"] == "tests.plain_checks.slow")
    assert slow["status"] == "error"


def slow_check_started(start: Any, tmp_path: Any, profile: str, **env: str) -> Any:
    """The command running tests.plain_checks.slow with JSON output, once the check has started."""
    started = tmp_path / "started"
    process = start(
        "deploycheck",
        "--check",
        "tests.plain_checks.slow",
        "--format",
        "json",
        env={"CLI_PROFILE": profile, "DEPLOYCHECK_TEST_STARTED": str(started), **env},
    )
    wait_for(started, process)
    return process


@pytest.mark.parametrize(
    ("first", "second"), [(signal.SIGINT, signal.SIGINT), (signal.SIGTERM, signal.SIGTERM)], ids=["INT", "TERM"]
)
def test_process_second_signal_while_the_interruption_is_handled_exits_130(migrated, start, tmp_path, first, second):
    finishing = tmp_path / "finishing"
    process = slow_check_started(start, tmp_path, "slow-finish", DEPLOYCHECK_TEST_FINISHING=str(finishing))
    process.send_signal(first)
    first_sent = time.monotonic()
    # The interrupted run is recorded, and run_finished's slow receiver holds the command there.
    wait_for(finishing, process)
    # Sooner, it would be taken for the same interruption delivered twice (see the next test).
    time.sleep(max(0.0, first_sent + SAME_INTERRUPTION + 0.2 - time.monotonic()))
    process.send_signal(second)
    sent = time.monotonic()
    _stdout, stderr = process.communicate(timeout=60)
    assert time.monotonic() - sent < 10, "the second signal did not end the command"
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("CommandError: ")
    assert stored_outcomes(migrated) == ["interrupted"]


def test_process_an_interruption_delivered_twice_is_stored_once(migrated, start, tmp_path):
    # GNU timeout signals the process and its group: two SIGINTs arrive together.
    process = slow_check_started(start, tmp_path, "slow")
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert json.loads(stdout)["run"]["outcome"] == "interrupted"
    assert stored_outcomes(migrated) == ["interrupted"]


def test_process_signal_after_the_run_was_recorded_exits_130(migrated, start, tmp_path):
    finishing = tmp_path / "finishing"
    process = start(
        "deploycheck",
        "--check",
        "tests.plain_checks.not_applicable",
        env={"CLI_PROFILE": "slow-finish", "DEPLOYCHECK_TEST_FINISHING": str(finishing)},
    )
    wait_for(finishing, process)
    process.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    _stdout, stderr = process.communicate(timeout=60)
    assert time.monotonic() - sent < 10
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stored_outcomes(migrated) == ["passed"]


def test_process_output_file_is_replaced_whole(migrated, start, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "report.json"
    target.write_text("the previous report\n")
    marker = tmp_path / "started"
    process = start(
        "deploycheck",
        "--format",
        "json",
        "--output",
        str(target),
        env={"CLI_PROFILE": "slow", "DEPLOYCHECK_TEST_STARTED": str(marker)},
    )
    wait_for(marker, process)
    # While the checks run, the previous report is intact and the new one is written beside it.
    assert target.read_text() == "the previous report\n"
    assert [path.name.startswith(".report.json.") for path in reports.iterdir() if path != target] == [True]
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert json.loads(target.read_text())["run"]["outcome"] == "interrupted"
    assert list(reports.iterdir()) == [target]
    assert len(stdout.strip().splitlines()) == 1, "only the summary line goes to the standard output"
    assert "Traceback" not in stderr
