"""manage.py deploycheck in-process (call_command): options, formats and exit statuses.

tests/management/test_process.py runs it as a real process, in English and in French.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from deploycheck import runner
from deploycheck.families.heroku import checks as heroku_checks
from deploycheck.models import CheckRun
from deploycheck.store.saving import store

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
    assert lines[0] == f"django: {django_results} results, 1 failed, 0 not evaluated"
    first_result = lines[1].split()
    assert first_result[:4] == ["failed", "WARNING", "security.W018", "DEBUG"]
    assert "      ?: You should not have DEBUG set to True in deployment." in lines
    assert any(line.split()[:3] == ["passed", "security.W001", "SecurityMiddleware"] for line in lines)
    assert lines[-1].startswith("PASSED (fail level ERROR) - ")
    assert lines[-1].endswith(f"saved as run {CheckRun.objects.get().pk}.")


def test_the_text_report_says_what_changed_since_each_checks_previous_evaluation(secure_settings):
    deploycheck()
    first = CheckRun.objects.get()
    secure_settings.DEBUG = True
    out, _err, _status = deploycheck("--quiet")
    lines = out.splitlines()
    start = lines.index(f"Since each check's previous evaluation (run {first.pk}):")
    assert lines[start + 1 : start + 3] == ["  Newly failing: security.W018", ""]
    # A partial run lists the failures it did not look at.
    out, _err, _status = deploycheck("--tag", "release")
    assert "  Failing, not checked in this run: security.W018" in out.splitlines()
    out, _err, _status = deploycheck("--no-save")
    assert "Since each check's previous evaluation" not in out


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
        (["--tag", "nope"], "Error: Unknown tag(s): nope."),
        (["--check", "security.W999"], "Error: Unknown check id(s): security.W999."),
        (
            ["--url", "http://example.com"],
            "Error: --url takes https:// addresses with a host name, not http://example.com.",
        ),
        (["--url", "https://[::1"], "Error: --url takes https:// addresses with a host name, not https://[::1."),
        (["--url", "https://"], "Error: --url takes https:// addresses with a host name, not https://."),
        (["--output", ""], "Error: --output takes the name of a file."),
        (["--list", "--prune"], "Error: --prune cannot be used with --list."),
        (["--list-tags", "--list"], "Error: --list-tags cannot be used with --list."),
        (["--list", "--format", "junit"], "Error: --format junit cannot be used with --list."),
        (["--list-tags", "--format", "json"], "Error: --format json cannot be used with --list-tags."),
        (["--prune", "--format", "json"], "Error: --format json cannot be used with --prune."),
        (["--prune", "--tag", "django"], "Error: --tag cannot be used with --prune."),
        (["--list", "--check", "security.W018"], "Error: --check cannot be used with --list."),
        (["--list", "--app", "weareone"], "Error: --app cannot be used with --list."),
        (["--list", "--url", "https://example.com"], "Error: --url cannot be used with --list."),
        (["--list", "--fail-level", "ERROR"], "Error: --fail-level cannot be used with --list."),
        (["--list", "--output", "catalogue.txt"], "Error: --output cannot be used with --list."),
        (["--list", "--no-save"], "Error: --no-save cannot be used with --list."),
        (["--list-tags", "--quiet"], "Error: --quiet cannot be used with --list-tags."),
        (["--format", "yaml"], "Error: argument --format: invalid choice: 'yaml'"),
    ],
)
def test_bad_usage_is_a_command_error_before_anything_runs(args, message):
    # Under call_command(), Django's parser raises CommandError where a shell gets the usage and exit 2.
    with pytest.raises(CommandError) as caught:
        call_command("deploycheck", *args, stdout=StringIO(), stderr=StringIO())
    assert str(caught.value).startswith(message)
    assert CheckRun.objects.count() == 0


def test_conflicting_options_passed_as_keywords_are_refused_too():
    with pytest.raises(CommandError, match=r"^Error: --prune cannot be used with --list\.$"):
        call_command("deploycheck", list=True, prune=True, stdout=StringIO())
    with pytest.raises(CommandError, match=r"^Error: --url takes https:// addresses with a host name, not http://x\.$"):
        call_command("deploycheck", urls=["http://x"], stdout=StringIO())


def test_list_accepts_text_and_json():
    text, _err, status = deploycheck("--list", "--format", "text")
    assert status == 0
    assert text == deploycheck("--list")[0]
    assert {entry["id"] for entry in json.loads(deploycheck("--list", "--format", "json")[0])} >= {"security.W018"}


def test_malformed_setting_is_a_usage_error(settings):
    settings.DEPLOYCHECK = {"FAIL_LEVEL": "LOUD"}
    _out, err, status = deploycheck()
    assert status == 2
    assert "(deploycheck.E005)" in err


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
    assert suites["deploycheck.heroku"].get("skipped") == str(len(heroku_checks.FAMILY.checks))


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


def unwritable(tmp_path: Path, case: str) -> Path:
    if case == "missing directory":
        return tmp_path / "missing" / "report.txt"
    if case == "a directory":
        return tmp_path
    if case == "under a file":
        return tmp_path / "report.txt" / "report.txt"
    if os.geteuid() == 0:
        # Permissions do not stop root; sysfs refuses to create files, root included.
        return Path("/sys/deploycheck-report.txt")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return locked / "report.txt"


@pytest.mark.parametrize("case", ["missing directory", "a directory", "under a file", "no permission"])
def test_output_file_that_cannot_be_written_fails_before_any_check_runs(tmp_path, settings, monkeypatch, case):
    settings.DEPLOYCHECK = {"CHECKS": ["tests.plain_checks.leaves_a_mark"]}
    ran = tmp_path / "ran"
    monkeypatch.setenv("DEPLOYCHECK_TEST_RAN", str(ran))
    (tmp_path / "report.txt").write_text("the previous report\n")
    target = unwritable(tmp_path, case)
    with pytest.raises(CommandError, match=r"^Error: Cannot write ") as caught:
        call_command("deploycheck", "--output", str(target), stdout=StringIO(), stderr=StringIO())
    assert str(target) in str(caught.value)
    reason = str(caught.value).partition(f"{target}: ")[2]
    assert reason in {
        "the directory does not exist",
        "it is a directory",
        "part of the path is a file, not a directory",
        "permission denied",
        "the file system is read-only",
    }
    assert not ran.exists()
    assert CheckRun.objects.count() == 0
    assert list(tmp_path.rglob("*.tmp")) == []
    assert (tmp_path / "report.txt").read_text() == "the previous report\n"


def test_output_file_is_replaced_only_by_a_complete_report(tmp_path, secure_settings):
    target = tmp_path / "reports" / "report.json"
    target.parent.mkdir()
    target.write_text("the previous report\n")
    with pytest.raises(CommandError):
        call_command("deploycheck", "--output", str(target), "--tag", "nope", stdout=StringIO())
    assert target.read_text() == "the previous report\n"
    assert list(target.parent.iterdir()) == [target]
    _out, _err, status = deploycheck("--output", str(target), "--format", "json", "--tag", "django")
    assert status == 0
    assert json.loads(target.read_text())["run"]["outcome"] == "passed"
    assert list(target.parent.iterdir()) == [target]


def test_output_file_through_a_symbolic_link_is_written_where_it_points(tmp_path, secure_settings):
    real = tmp_path / "real.txt"
    real.write_text("the previous report\n")
    link = tmp_path / "report.txt"
    link.symlink_to(real)
    deploycheck("--output", str(link), "--tag", "django")
    assert link.is_symlink()
    assert real.read_text().splitlines()[-1].startswith("PASSED")


def aged_run(days: int) -> None:
    report = runner.execute(check_ids=["security.W001"], save=False)
    when = timezone.now() - timedelta(days=days)
    assert store(replace(report, started_at=when, finished_at=when)).run is not None


@pytest.mark.parametrize(
    ("language", "ages", "retention_days", "message"),
    [
        ("en", [5, 0], 1, "Deleted 1 run older than 1 day."),
        ("en", [5, 4, 0], 1, "Deleted 2 runs older than 1 day."),
        ("en", [0], 2, "Deleted 0 runs older than 2 days."),
        ("en", [40, 0], 30, "Deleted 1 run older than 30 days."),
        # French counts zero and one alike.
        ("fr", [0], 1, "0 exécution de plus de 1 jour supprimée."),
        ("fr", [5, 4, 0], 2, "2 exécutions de plus de 2 jours supprimées."),
    ],
)
def test_prune_counts_runs_and_days_in_words(settings, language, ages, retention_days, message):
    for days in ages:
        aged_run(days)
    settings.DEPLOYCHECK = {"RETENTION_DAYS": retention_days}
    with translation.override(language):
        out, _err, status = deploycheck("--prune")
    assert status == 0
    assert out.strip() == message
