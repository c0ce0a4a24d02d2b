"""Database faults on every path: unreachable, not migrated, read-only; and stored values from a newer version.

The command is run as a shell would run it, in a new process, against real faults: a PostgreSQL
address where nothing listens, a fresh SQLite file, and a SQLite file opened with ``mode=ro``
(which holds even for root, unlike file permissions).
"""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from deploycheck import runner
from deploycheck.core import rules
from deploycheck.core.choices import Outcome
from deploycheck.models import CheckResult, CheckRun
from deploycheck.store import history
from deploycheck.web import display
from tests.conftest import ROOT, cli_environment

Manage = Callable[..., subprocess.CompletedProcess[str]]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unreachable_url() -> str:
    return f"postgres://postgres:postgres@127.0.0.1:{closed_port()}/deploycheck_dbfaults"


def fresh_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.sqlite3'}"


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding two runs from 2000, made once and copied by each test."""
    database = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    environment = cli_environment(database)
    for args in (
        ["migrate", "-v0"],
        ["deploycheck", "--check", "security.W001"],
        ["deploycheck", "--check", "security.W001"],
    ):
        subprocess.run(
            [sys.executable, "-m", "django", *args], env=environment, cwd=ROOT, check=True, capture_output=True
        )
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE deploycheck_checkrun SET started_at = '2000-01-01 00:00:00'")
    connection.close()
    return database


@pytest.fixture
def read_only_url(migrated_database: Path, tmp_path: Path) -> str:
    database = tmp_path / "read-only.sqlite3"
    shutil.copyfile(migrated_database, database)
    return f"sqlite:///{database}?mode=ro"


FAULTS = {
    "unreachable": "the database cannot be reached",
    "not migrated": "deploycheck's tables do not exist yet: run `manage.py migrate`.",
    "read-only": "the database is read-only",
}


@pytest.fixture(params=list(FAULTS))
def fault(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(DATABASE_URL, what the message must say) for each fault."""
    if request.param == "unreachable":
        return unreachable_url(), FAULTS["unreachable"]
    if request.param == "not migrated":
        return fresh_sqlite_url(tmp_path), FAULTS["not migrated"]
    return request.getfixturevalue("read_only_url"), FAULTS["read-only"]


def assert_one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_prune_says_what_went_wrong_and_exits_2(manage: Manage, fault: tuple[str, str]):
    url, reason = fault
    result = manage("deploycheck", "--prune", env={"DATABASE_URL": url, "CLI_PROFILE": "retention"})
    line = assert_one_line(result.stderr)
    assert line.startswith("CommandError: The old runs could not be deleted: ")
    assert reason in line
    assert result.returncode == 2
    assert result.stdout == ""


@pytest.mark.parametrize("option", ["--list", "--list-tags"])
def test_listing_needs_no_database(manage: Manage, fault: tuple[str, str], option: str):
    url, _ = fault
    result = manage("deploycheck", option, env={"DATABASE_URL": url})
    assert result.returncode == 0
    assert result.stderr == ""
    assert "security" in result.stdout


def test_a_run_reports_warns_and_keeps_the_checks_exit_status(manage: Manage, fault: tuple[str, str]):
    url, reason = fault
    result = manage("deploycheck", "--check", "security.W001", env={"DATABASE_URL": url})
    line = assert_one_line(result.stderr)
    assert line.startswith("Warning: the results were not saved: ")
    assert reason in line
    assert "security.W001" in result.stdout
    assert "not saved." in result.stdout
    assert result.returncode == 0


def test_a_failing_run_still_exits_1(manage: Manage, fault: tuple[str, str]):
    url, reason = fault
    # The insecure profile fails security.W004 (no HSTS) at WARNING.
    result = manage("deploycheck", "--check", "security.W004", "--fail-level", "WARNING", env={"DATABASE_URL": url})
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert reason in lines[0]
    assert lines[1:] == ["CommandError: deploycheck found problems at or above the fail level."]
    assert result.returncode == 1


def test_a_run_without_saving_does_not_touch_the_database(manage: Manage, fault: tuple[str, str]):
    url, _ = fault
    result = manage("deploycheck", "--check", "security.W001", "--no-save", env={"DATABASE_URL": url})
    assert result.stderr == ""
    assert "security.W001" in result.stdout
    assert result.returncode == 0


def test_prune_on_a_read_only_database_deletes_nothing(manage: Manage, read_only_url: str):
    manage("deploycheck", "--prune", env={"DATABASE_URL": read_only_url, "CLI_PROFILE": "retention"})
    database = read_only_url.removeprefix("sqlite:///").removesuffix("?mode=ro")
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM deploycheck_checkrun").fetchone() == (2,)
    connection.close()


# The admin, with Django's test client.

ADMIN_PAGES = ("changelist", "run", "overview", "history", "json", "csv")


def admin_page(page: str, run_id: int) -> str:
    names: dict[str, tuple[str, list[object]]] = {
        "changelist": ("admin:deploycheck_checkrun_changelist", []),
        "run": ("admin:deploycheck_checkrun_change", [run_id]),
        "overview": ("admin:deploycheck_overview", []),
        "history": ("admin:deploycheck_history", ["security.W001"]),
        "json": ("admin:deploycheck_export_json", [run_id]),
        "csv": ("admin:deploycheck_export_csv", [run_id]),
    }
    name, args = names[page]
    return reverse(name, args=args)


@pytest.fixture
def admin_client_and_run(db: None) -> tuple[Client, CheckRun]:
    run = runner.execute(check_ids=["security.W001", "security.W004"]).run
    assert run is not None
    client = Client()
    client.force_login(User.objects.create_superuser("admin", password="pw"))
    return client, run


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_without_deploycheck_tables_answer_503(admin_client_and_run, page: str):
    client, run = admin_client_and_run
    url = admin_page(page, run.pk)
    # Dropped inside the test's transaction, so the tables come back when it is rolled back.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL drops no table with foreign key checks still deferred to the commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DROP TABLE {CheckResult._meta.db_table}")
        cursor.execute(f"DROP TABLE {CheckRun._meta.db_table}")
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page_text = response.content.decode()
    assert "The run history cannot be shown: deploycheck&#x27;s tables do not exist yet" in page_text
    assert "Traceback" not in page_text


NEWER = {"outcome": "quarantined", "status": "deferred", "level": 35, "trigger": "webhook"}


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_values_from_a_newer_version_are_shown_as_text(admin_client_and_run, page: str):
    client, run = admin_client_and_run
    CheckRun.objects.filter(pk=run.pk).update(outcome=NEWER["outcome"], trigger=NEWER["trigger"])
    run.results.filter(check_id="security.W004").update(status=NEWER["status"], level=NEWER["level"])
    response = client.get(admin_page(page, run.pk))
    assert response.status_code == 200
    text = response.content.decode()
    if page in {"changelist", "run", "overview"}:
        assert NEWER["outcome"] in text
    if page in {"run", "json", "csv"}:
        assert NEWER["status"] in text
    if page == "json":
        document = json.loads(text)
        assert document["run"]["outcome"] == NEWER["outcome"]
        assert document["run"]["trigger"] == NEWER["trigger"]
        assert {row["check"]: row["status"] for row in document["results"]}["security.W004"] == NEWER["status"]


def test_overview_and_history_show_a_newer_status(admin_client_and_run):
    client, run = admin_client_and_run
    run.results.filter(check_id="security.W004").update(status=NEWER["status"])
    assert NEWER["status"] in client.get(admin_page("overview", run.pk)).content.decode()
    assert NEWER["status"] in client.get(reverse("admin:deploycheck_history", args=["security.W004"])).content.decode()


def test_stored_report_reads_values_from_a_newer_version(admin_client_and_run):
    _, run = admin_client_and_run
    CheckRun.objects.filter(pk=run.pk).update(outcome=NEWER["outcome"], trigger=NEWER["trigger"])
    run.results.update(status=NEWER["status"], level=NEWER["level"])
    run.refresh_from_db()
    report = history.stored_report(run)
    # Kept as stored, and ranked with what could not be evaluated: this version cannot tell it is fine.
    assert {result.status for result in report.results} == {NEWER["status"]}
    assert report.trigger == NEWER["trigger"]
    assert all(rules.display_rank(result)[0] == 1 for result in report.results)
    assert report.outcome != Outcome.PASSED
    assert display.sections(report.results).problems == sorted(report.results, key=rules.display_key)
    document = history.stored_report_as_dict(run)
    assert {row["status"] for row in document["results"]} == {NEWER["status"]}
    assert {row["level"] for row in document["results"]} == {"WARNING"}
