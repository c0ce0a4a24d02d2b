from __future__ import annotations

import pytest

from deploycheck import runner
from deploycheck.core import gathering
from deploycheck.core.catalogue import Catalogue
from deploycheck.core.check import Check, passed
from deploycheck.core.choices import Level, Outcome, Status, Trigger
from deploycheck.core.deploy_info import DeployInfo
from deploycheck.core.evaluation import evaluate_one
from deploycheck.core.family import Family
from deploycheck.core.results import EXIT_FAILED, EXIT_NOT_EVALUATED
from deploycheck.families.heroku import checks as heroku_checks
from deploycheck.families.http import checks as http_checks
from deploycheck.management.process import detect_trigger
from deploycheck.models import CheckResult, CheckRun
from deploycheck.signals import run_finished

pytestmark = pytest.mark.django_db


def test_default_run_is_saved_with_one_row_per_result(secure_settings):
    report = runner.execute()
    run = CheckRun.objects.get()
    assert report.run == run
    assert run.outcome == Outcome.PASSED
    assert run.trigger == Trigger.API
    # Heroku is not configured in the tests' settings: its checks are skipped, not failed.
    assert run.results.count() == len(report.results) == run.passed_count + run.skipped_count
    skipped = run.results.filter(status=Status.SKIPPED)
    assert skipped.filter(family="heroku").count() == len(heroku_checks.FAMILY.checks)
    assert skipped.filter(family="http").count() == len(http_checks.FAMILY.checks)  # no URL to probe
    # Not on Heroku, no requirements file, OSV not asked (the suite runs offline): five release
    # checks do not apply either.
    assert set(skipped.filter(family="release").values_list("check_id", flat=True)) == {
        "release.proxy_ssl_header",
        "release.database_settings",
        "release.requirements_pinned",
        "release.requirements_drift",
        "release.security_advisories",
    }
    assert run.skipped_count == skipped.count()
    assert run.error_count == 0
    assert not run.results.filter(status=Status.FAILED, silenced=False).exists()
    assert run.finished_at >= run.started_at
    assert run.duration == run.finished_at - run.started_at


@pytest.mark.parametrize("name", ["Bad_Name", "weareone\n", "../account", "x"])
def test_a_name_heroku_could_not_have_given_names_no_app_in_the_history(secure_settings, monkeypatch, name):
    # A typo in a hand-set HEROKU_APP_NAME: the run is this site's, not an app card of its own.
    monkeypatch.setenv("HEROKU_APP_NAME", name)
    report = runner.execute(tags=["django"])
    assert report.run is not None
    assert report.run.heroku_app == ""


def test_deploy_facts_come_from_heroku_environment(secure_settings, monkeypatch):
    monkeypatch.setenv("HEROKU_APP_NAME", "weareone")
    monkeypatch.setenv("HEROKU_RELEASE_VERSION", "v42")
    monkeypatch.setenv("HEROKU_SLUG_COMMIT", "a1b2c3d")
    monkeypatch.setenv("DYNO", "release.1234")
    report = runner.execute(trigger=detect_trigger())
    run = report.run
    assert run is not None
    assert (run.heroku_app, run.release_version, run.commit, run.hostname) == (
        "weareone",
        "v42",
        "a1b2c3d",
        "release.1234",
    )
    assert run.trigger == Trigger.RELEASE
    assert run.deploycheck_version
    assert run.django_version
    assert run.python_version


@pytest.mark.parametrize(
    ("dyno", "trigger"),
    [
        ("release.1", Trigger.RELEASE),
        ("scheduler.7", Trigger.SCHEDULE),
        ("web.1", Trigger.COMMAND),
        ("", Trigger.COMMAND),
    ],
)
def test_trigger_is_detected_from_the_dyno_name(monkeypatch, dyno, trigger):
    monkeypatch.setenv("DYNO", dyno)
    assert detect_trigger() == trigger


def test_commit_falls_back_on_source_version(monkeypatch):
    monkeypatch.delenv("HEROKU_SLUG_COMMIT", raising=False)
    monkeypatch.setenv("SOURCE_VERSION", "ffee99")
    assert DeployInfo.from_environment().commit == "ffee99"


def test_failures_at_fail_level_fail_the_run(settings):
    settings.DEBUG = True
    warned = runner.execute(check_ids=["security.W018"])
    assert (warned.outcome, warned.exit_status) == (Outcome.PASSED, runner.EXIT_OK)
    failing = runner.execute(check_ids=["security.W018"], fail_level="warning")
    assert (failing.outcome, failing.exit_status) == (Outcome.FAILED, EXIT_FAILED)
    assert failing.run is not None
    assert failing.run.fail_level == Level.WARNING


def test_silenced_failures_do_not_fail_the_run(settings):
    settings.DEBUG = True
    settings.SILENCED_SYSTEM_CHECKS = ["security.W018"]
    report = runner.execute(check_ids=["security.W018"], fail_level="WARNING")
    assert report.outcome == Outcome.PASSED
    [result] = report.results
    assert (result.status, result.silenced) == (Status.FAILED, True)
    assert report.run is not None
    assert report.run.silenced_count == 1


def test_silencing_follows_django_an_id_silences_only_the_messages_with_that_id(settings):
    from django.core.checks import run_checks

    settings.SESSION_COOKIE_SECURE = False
    settings.SILENCED_SYSTEM_CHECKS = ["security.W010"]
    [result] = runner.execute(check_ids=["security.W012"], save=False).results
    assert (result.message_id, result.silenced) == ("security.W012", False)
    # Django's `check --deploy` still reports W012 under the same setting.
    assert "security.W012" in {message.id for message in run_checks(include_deployment_checks=True)}
    settings.SILENCED_SYSTEM_CHECKS = ["security.W012"]
    [result] = runner.execute(check_ids=["security.W012"], save=False).results
    assert (result.message_id, result.silenced) == ("security.W012", True)


def test_fail_level_defaults_to_the_setting(settings):
    settings.DEBUG = True
    settings.DEPLOYCHECK = {"FAIL_LEVEL": "WARNING"}
    assert runner.execute(check_ids=["security.W018"], save=False).exit_status == EXIT_FAILED


def test_unknown_fail_level():
    with pytest.raises(ValueError, match="Unknown fail level LOUD"):
        runner.execute(fail_level="LOUD", save=False)


def test_custom_checks_from_setting(settings):
    settings.DEPLOYCHECK = {
        "CHECKS": ["tests.plain_checks.raises", "tests.plain_checks.not_applicable", "tests.plain_checks.cannot_tell"]
    }
    report = runner.execute(tags=["project"])
    by_id = {result.check_id: result for result in report.results}
    raised = by_id["tests.plain_checks.raises"]
    assert raised.status == Status.ERROR
    assert str(raised.message) == "The check raised RuntimeError: boom with a second line"
    assert str(raised.title) == "A check that raises"
    assert by_id["tests.plain_checks.not_applicable"].status == Status.SKIPPED
    assert by_id["tests.plain_checks.not_applicable"].message == "nothing to check here"
    assert by_id["tests.plain_checks.cannot_tell"].status == Status.ERROR
    assert (report.outcome, report.exit_status) == (Outcome.ERROR, EXIT_NOT_EVALUATED)
    assert report.run is not None
    assert (report.run.error_count, report.run.skipped_count) == (2, 1)


def test_a_raising_check_does_not_stop_the_others(settings):
    settings.DEPLOYCHECK = {"CHECKS": ["tests.plain_checks.raises"]}
    report = runner.execute()
    assert report.count(Status.ERROR) == 1
    assert report.count(Status.PASSED) > 30


def test_registered_checks_and_gathered_facts(registered_checks):
    report = runner.execute(tags=["project"], checks=registered_checks)
    by_id = {result.message_id + result.obj: result for result in report.results}
    assert by_id["tests.answer_is_42"].status == Status.PASSED
    unreachable = by_id["tests.needs_unreachable"]
    assert unreachable.status == Status.ERROR
    assert str(unreachable.message) == "Could not gather what this check needs: connection refused by tests.example"
    first, second = by_id["tests.severalfirst"], by_id["tests.severalsecond"]
    assert (first.level, second.level) == (Level.ERROR, Level.WARNING)
    assert report.outcome == Outcome.FAILED
    assert CheckResult.objects.filter(check_id="tests.several").count() == 2


def test_gathering_respects_the_time_budget():
    import threading

    release = threading.Event()
    providers = {"slow": lambda request: {"slow.value": release.wait(5)}}
    try:
        check = Check("tests.slow", "project", "slow", lambda facts: passed(), Level.WARNING, requires=("slow.value",))
        facts = gathering.gather(check.requires, budget=0.05, providers=providers)
        [result] = evaluate_one(check, facts, frozenset())
        assert result.status == Status.ERROR
        assert "not gathered within the 0.05 s time budget" in str(result.message)
    finally:
        release.set()


def test_run_finished_signal_is_sent_after_saving(secure_settings):
    received = []

    def receiver(sender, run, report, **kwargs):
        received.append((sender, run.pk, CheckResult.objects.filter(run=run).count(), report))

    run_finished.connect(receiver)
    try:
        report = runner.execute()
        runner.execute(save=False)
    finally:
        run_finished.disconnect(receiver)
    assert report.run is not None
    assert received == [(CheckRun, report.run.pk, len(report.results), report)]


def test_python_api_returns_the_saved_run(secure_settings):
    import deploycheck

    run = deploycheck.run(tags=["security"])
    assert isinstance(run, CheckRun)
    assert run.pk
    assert run.trigger == Trigger.API
    assert run.selection == {"tags": ["security"], "checks": []}


def test_interrupted_run_is_recorded_as_interrupted(settings):
    def interrupt(facts):
        raise KeyboardInterrupt

    settings.DEPLOYCHECK = {"CHECKS": ["tests.plain_checks.not_applicable"]}
    family = Family("project")
    family.check("tests.interrupt", title="interrupt")(interrupt)
    report = runner.execute(tags=["project"], checks=Catalogue([family]))
    run = CheckRun.objects.get()
    assert (report.interrupted, report.outcome, report.exit_status) == (True, Outcome.INTERRUPTED, 130)
    assert run.outcome == Outcome.INTERRUPTED
    assert report.run == run
    statuses = dict(run.results.values_list("check_id", "status"))
    assert statuses == {"tests.interrupt": Status.ERROR, "tests.plain_checks.not_applicable": Status.ERROR}


def test_the_python_api_stores_an_interrupted_run_then_lets_the_interruption_through(settings):
    import deploycheck

    def interrupt(facts):
        raise KeyboardInterrupt

    family = Family("project")
    family.check("tests.interrupt", title="interrupt")(interrupt)
    with pytest.raises(KeyboardInterrupt):
        deploycheck.run(checks=Catalogue([family]))
    assert CheckRun.objects.get().outcome == Outcome.INTERRUPTED


def test_an_interruption_while_gathering_keeps_what_was_gathered(secure_settings):
    import os
    import signal
    import threading

    release = threading.Event()

    def interrupted_while_waiting(request):
        release.wait(0.3)  # Django's checks, run on the calling thread, are done by then
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, while the run waits for this provider
        release.wait(5)
        return {"slow.value": 1}

    family = Family("project", providers={"slow": interrupted_while_waiting})
    family.check("tests.waits", title="Waits", requires=["slow.value"])(lambda facts: passed())
    catalogue_with_django = Catalogue()
    catalogue_with_django.load(["deploycheck.families.django.checks"])
    catalogue_with_django.add(family)
    try:
        report = runner.execute(checks=catalogue_with_django, save=False)
    finally:
        release.set()
    assert report.interrupted
    assert report.outcome == Outcome.INTERRUPTED
    waited = next(result for result in report.results if result.check_id == "tests.waits")
    assert waited.status == Status.ERROR
    assert "the run was interrupted" in str(waited.message)
    # Django's checks, run before the wait, were evaluated.
    django = [result for result in report.results if result.family == "django"]
    assert django
    assert {result.status for result in django} <= {Status.PASSED, Status.FAILED}
