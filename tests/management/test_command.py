"""manage.py deploycheck: options, formats and exit statuses, in-process and as a real process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from deploycheck.models import CheckRun
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def deploycheck(*args: str) -> tuple[str, str, int]:
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command("deploycheck", *args, stdout=stdout, stderr=stderr)
    except CommandError as exc:
        return stdout.getvalue(), stderr.getvalue() + str(exc), exc.returncode
    return stdout.getvalue(), stderr.getvalue(), 0


def test_text_report_is_grouped_by_family_with_a_summary(secure_settings):
    secure_settings.DEBUG = True
    out, _err, status = deploycheck()
    assert status == 0
    lines = out.splitlines()
    django_results = CheckRun.objects.get().results.filter(family="django").count()
    assert lines[0] == f"django: {django_results} results, 1 problem"
    first_result = lines[1].split()
    assert first_result[:4] == ["failed", "WARNING", "security.W018", "DEBUG"]
    assert "      ?: You should not have DEBUG set to True in deployment." in lines
    assert any(line.split()[:3] == ["passed", "security.W001", "SecurityMiddleware"] for line in lines)
    assert lines[-1].startswith("PASSED (fail level ERROR) - ")
    assert lines[-1].endswith(f"saved as run {CheckRun.objects.get().pk}.")


def test_quiet_shows_only_problems(secure_settings):
    secure_settings.DEBUG = True
    out, _err, _status = deploycheck("--quiet")
    lines = out.splitlines()
    assert [line.split()[:3] for line in lines[1:2]] == [["failed", "WARNING", "security.W018"]]
    assert "security.W001" not in out
    assert lines[-1].startswith("PASSED")


def test_fail_level_warning_exits_1(settings):
    settings.DEBUG = True
    out, err, status = deploycheck("--fail-level", "WARNING")
    assert status == 1
    assert out.splitlines()[-1].startswith("FAILED (fail level WARNING)")
    assert "found problems at or above the fail level" in err


def test_passing_run_exits_0(secure_settings):
    _out, _err, status = deploycheck("--fail-level", "DEBUG")
    assert status == 0


def test_not_evaluated_exits_3(secure_settings):
    secure_settings.DEPLOYCHECK = {"CHECKS": ["tests.plain_checks.cannot_tell"]}
    out, err, status = deploycheck()
    assert status == 3
    assert "could not be evaluated" in err
    assert out.splitlines()[-1].startswith("COULD NOT EVALUATE")


def test_failures_win_over_errors(settings):
    settings.DEBUG = True
    settings.DEPLOYCHECK = {"CHECKS": ["tests.plain_checks.cannot_tell"]}
    assert deploycheck("--fail-level", "WARNING")[2] == 1


def test_json_format(settings):
    settings.DEBUG = True
    out, _err, status = deploycheck("--format", "json", "--tag", "security")
    document = json.loads(out)
    assert status == 0
    assert document["schema"] == 1
    run = document["run"]
    assert run["id"] == CheckRun.objects.get().pk
    assert run["outcome"] == "passed"
    assert run["fail_level"] == "ERROR"
    assert run["trigger"] == "command"
    assert run["selection"] == {"tags": ["security"], "checks": []}
    assert set(run["versions"]) == {"django", "python", "deploycheck"}
    debug = next(result for result in document["results"] if result["id"] == "security.W018")
    assert debug == {
        **debug,
        "check": "security.W018",
        "family": "django",
        "title": "DEBUG is off",
        "status": "failed",
        "level": "WARNING",
        "silenced": False,
        "app": None,
        "obj": None,
    }
    passed = next(result for result in document["results"] if result["id"] == "security.W001")
    assert (passed["status"], passed["level"], passed["hint"]) == ("passed", None, None)
    required = {"id", "family", "title", "status", "level", "message", "hint", "obj", "silenced", "app"}
    assert all(required <= set(result) for result in document["results"])


def test_json_when_not_saved(secure_settings):
    out, _err, _status = deploycheck("--format", "json", "--no-save")
    run = json.loads(out)["run"]
    assert (run["id"], run["saved"]) == (None, False)
    assert CheckRun.objects.count() == 0


def test_check_option_selects_by_id(secure_settings):
    out, _err, _status = deploycheck("--check", "security.W018", "--check", "security.W012", "--format", "json")
    assert [result["check"] for result in json.loads(out)["results"]] == ["security.W010", "security.W018"]


def test_list_shows_the_catalogue():
    out, _err, status = deploycheck("--list")
    assert status == 0
    assert any(line.split()[:3] == ["security.W018", "django", "WARNING"] for line in out.splitlines())
    entries = json.loads(deploycheck("--list", "--format", "json")[0])
    session = next(entry for entry in entries if entry["id"] == "security.W010")
    assert session["aliases"] == ["security.W011", "security.W012"]


def test_list_tags():
    out, _err, _status = deploycheck("--list-tags")
    tags = out.split()
    assert {"django", "security", "deploy", "models"} <= set(tags)
    assert tags == sorted(tags)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tag", "nope"], "Unknown tag(s): nope."),
        (["--check", "security.W999"], "Unknown check id(s): security.W999."),
    ],
)
def test_bad_selection_is_a_usage_error(args, message):
    _out, err, status = deploycheck(*args)
    assert status == 2
    assert message in err


def test_malformed_setting_is_a_usage_error(settings):
    settings.DEPLOYCHECK = {"FAIL_LEVEL": "LOUD"}
    _out, err, status = deploycheck()
    assert status == 2
    assert "(deploycheck.E005)" in err


# Whole processes: what a shell, CI or Heroku's release phase sees.

pytest_slow = pytest.mark.slow


@pytest_slow
def test_process_exit_statuses_and_no_tracebacks(manage):
    assert manage("migrate", "-v0").returncode == 0
    insecure = manage("deploycheck", "--fail-level", "WARNING")
    assert insecure.returncode == 1, insecure.stderr
    assert "CommandError: deploycheck found problems" in insecure.stderr
    secure = manage("deploycheck", env={"CLI_PROFILE": "secure"})
    assert secure.returncode == 0, secure.stdout + secure.stderr
    not_evaluated = manage("deploycheck", env={"CLI_PROFILE": "not-evaluated"})
    assert not_evaluated.returncode == 3
    for args, env in [
        (["--fail-level", "LOUD"], {}),
        (["--tag", "nope"], {}),
        (["--check", "nope.W1"], {}),
        (["--format", "yaml"], {}),
        ([], {"CLI_PROFILE": "broken"}),
    ]:
        usage = manage("deploycheck", *args, env=env)
        assert usage.returncode == 2, (args, usage.stderr)
        assert "Traceback" not in usage.stderr
        assert usage.stderr.strip(), args
    assert all("Traceback" not in process.stderr for process in (insecure, secure, not_evaluated))


@pytest_slow
def test_process_before_migrate_still_reports(manage):
    # Not being able to save does not change the exit status: only the checks do.
    process = manage("deploycheck", "--tag", "django", "--format", "json", env={"CLI_PROFILE": "secure"})
    assert process.returncode == 0, process.stderr
    everything = manage("deploycheck", "--format", "json", env={"CLI_PROFILE": "secure"})
    assert everything.returncode == 1
    unapplied = next(
        result for result in json.loads(everything.stdout)["results"] if result["id"] == "release.unapplied_migrations"
    )
    assert unapplied["status"] == "failed"
    document = json.loads(process.stdout)
    assert document["run"]["saved"] is False
    assert "run `manage.py migrate`" in document["run"]["not_saved_reason"]
    assert "Warning: the results were not saved: deploycheck's tables do not exist yet" in process.stderr
    assert "Traceback" not in process.stderr


@pytest_slow
@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_process_interrupted_mid_run_is_recorded(manage, tmp_path, signal_number):
    assert manage("migrate", "-v0").returncode == 0
    marker = tmp_path / "started"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.cli_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": str(ROOT),
        "CLI_PROFILE": "slow",
        "DEPLOYCHECK_TEST_STARTED": str(marker),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "deploycheck", "--format", "json"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    document = json.loads(stdout)
    assert document["run"]["outcome"] == "interrupted"
    assert document["run"]["saved"] is True
    slow = next(result for result in document["results"] if result["check"] == "tests.plain_checks.slow")
    assert slow["status"] == "error"


def test_junit_format(settings):
    from xml.etree import ElementTree

    settings.DEBUG = True
    settings.DEPLOYCHECK = {"CHECKS": ["tests.plain_checks.cannot_tell", "tests.plain_checks.not_applicable"]}
    out, _err, status = deploycheck("--format", "junit", "--fail-level", "WARNING")
    assert status == 1
    root = ElementTree.fromstring(out)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {
        "deploycheck.django",
        "deploycheck.heroku",
        "deploycheck.release",
        "deploycheck.http",
        "deploycheck.project",
    }
    django_suite = suites["deploycheck.django"]
    debug = next(case for case in django_suite.iter("testcase") if case.get("name") == "security.W018")
    failure = debug.find("failure")
    assert failure is not None
    assert failure.get("type") == "WARNING"
    assert int(django_suite.get("tests", 0)) == len(list(django_suite.iter("testcase")))
    project = {case.get("name"): case for case in suites["deploycheck.project"].iter("testcase")}
    assert project["tests.plain_checks.cannot_tell"].find("error") is not None
    assert project["tests.plain_checks.not_applicable"].find("skipped") is not None
    assert suites["deploycheck.heroku"].get("skipped") == "11"


def test_junit_below_the_fail_level_passes_with_the_message_kept(settings):
    from xml.etree import ElementTree

    settings.DEBUG = True
    out, _err, status = deploycheck("--format", "junit", "--check", "security.W018")
    assert status == 0
    case = next(ElementTree.fromstring(out).iter("testcase"))
    assert case.find("failure") is None
    system_out = case.find("system-out")
    assert system_out is not None
    assert "You should not have DEBUG set to True" in (system_out.text or "")


def test_output_file(tmp_path, secure_settings):
    secure_settings.DEBUG = True
    target = tmp_path / "report.json"
    out, _err, _status = deploycheck("--format", "json", "--output", str(target))
    assert json.loads(target.read_text())["schema"] == 1
    assert out.startswith("PASSED (fail level ERROR)")
    text_target = tmp_path / "report.txt"
    deploycheck("--output", str(text_target), "--force-color")
    assert "\x1b[" not in text_target.read_text()


def test_output_file_that_cannot_be_written(tmp_path):
    _out, err, status = deploycheck("--output", str(tmp_path / "missing" / "report.txt"))
    assert status == 2
    assert "Cannot write" in err
