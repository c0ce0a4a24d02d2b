"""Fir and Cedar apps side by side, gathered from the fake Heroku over HTTP: the space's drains read once."""

from __future__ import annotations

from typing import Any

import pytest

from deploycheck import runner
from deploycheck.core.choices import Status
from deploycheck.core.results import Report
from tests.families.heroku.test_gather import assert_no_secret_anywhere, by_check
from tests.heroku_fake import Fault, wrong_shapes

pytestmark = pytest.mark.django_db

SPACE_DRAINS = "/spaces/weareone-eu/telemetry-drains"


def run_apps(settings: Any, *apps: str, check_ids: tuple[str, ...] = ()) -> Report:
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_APPS": list(apps)}
    return runner.execute(check_ids=check_ids) if check_ids else runner.execute(tags=["heroku"])


def statuses_of(report: Report, check_id: str) -> dict[str | None, str]:
    return {result.app: result.status for result in by_check(report)[check_id]}


def test_a_fir_app_in_a_space_with_only_a_space_drain_and_a_cedar_app(heroku, settings):
    heroku.add_fir_app("weareone-fir", space="weareone-eu")
    report = run_apps(settings, "weareone", "weareone-fir")
    assert statuses_of(report, "heroku.log_monitoring") == {"weareone": Status.PASSED, "weareone-fir": Status.PASSED}
    fir_logs = next(result for result in by_check(report)["heroku.log_monitoring"] if result.app == "weareone-fir")
    assert str(fir_logs.message) == "otel.example.net, through the telemetry drains of the space weareone-eu"
    assert statuses_of(report, "heroku.stack") == {"weareone": Status.PASSED, "weareone-fir": Status.PASSED}
    assert statuses_of(report, "heroku.error_pages") == {"weareone": Status.PASSED, "weareone-fir": Status.SKIPPED}
    counts = heroku.count()
    assert counts[SPACE_DRAINS] == 1
    assert set(counts.values()) == {1}
    # Fir has no log drains: Heroku's 404 there errs nothing, since Fir's logs are read elsewhere.
    assert {result.status for result in report.results} <= {Status.PASSED, Status.SKIPPED}
    assert_no_secret_anywhere(report)  # the exporter's API key among them


def test_two_fir_apps_of_one_space_read_it_once(heroku, settings):
    heroku.add_fir_app("weareone-fir", space="weareone-eu")
    heroku.add_fir_app("weareone-fir-jobs", space="weareone-eu")
    report = run_apps(settings, "weareone-fir", "weareone-fir-jobs")
    assert set(statuses_of(report, "heroku.log_monitoring").values()) == {Status.PASSED}
    assert heroku.count()[SPACE_DRAINS] == 1


def test_a_cedar_app_alone_reads_no_space(heroku, settings):
    report = run_apps(settings, "weareone")
    assert statuses_of(report, "heroku.log_monitoring") == {"weareone": Status.PASSED}
    assert not any(path.startswith("/spaces/") for path in heroku.count())


def test_an_unreadable_space_errs_only_the_fir_apps_that_needed_it(heroku, settings):
    heroku.add_fir_app("weareone-fir", space="weareone-eu")
    heroku.fail(SPACE_DRAINS, Fault(403, {"id": "forbidden", "message": "You do not have access to this space."}))
    report = run_apps(settings, "weareone", "weareone-fir")
    assert statuses_of(report, "heroku.log_monitoring") == {"weareone": Status.PASSED, "weareone-fir": Status.ERROR}
    errored = [result for result in report.results if result.status == Status.ERROR]
    assert [result.check_id for result in errored] == ["heroku.log_monitoring"]
    message = str(errored[0].message)
    assert message.startswith(
        "cannot read the telemetry drains of the space weareone-eu: the token does not have access to it "
    )
    assert f"GET {SPACE_DRAINS}: HTTP 403 (forbidden)" in message


def test_a_space_heroku_does_not_know(heroku, settings):
    heroku.add_fir_app("weareone-fir", space="weareone-eu")
    del heroku.resources[SPACE_DRAINS]
    report = run_apps(settings, "weareone-fir", check_ids=("heroku.log_monitoring",))
    [result] = report.results
    assert result.status == Status.ERROR
    assert "Heroku does not know this space, or the token cannot see it" in str(result.message)


@pytest.mark.parametrize(
    "shape", ["an object for a list", "a key missing", "a key of another type", "a string", "null"]
)
def test_a_space_answer_of_another_shape_errs_the_fir_apps_that_needed_it_and_fails_none(heroku, settings, shape):
    heroku.add_fir_app("weareone-fir", space="weareone-eu")
    heroku.answer(SPACE_DRAINS, wrong_shapes("telemetry-drains")[shape])
    report = run_apps(settings, "weareone", "weareone-fir")
    assert statuses_of(report, "heroku.log_monitoring") == {"weareone": Status.PASSED, "weareone-fir": Status.ERROR}
    assert Status.FAILED not in {result.status for result in report.results}
    [errored] = [result for result in report.results if result.status == Status.ERROR]
    assert str(errored.message).startswith(
        f"cannot read the telemetry drains of the space weareone-eu: Heroku answered GET {SPACE_DRAINS} with "
    )


def test_a_fir_generation_or_space_of_another_shape_is_not_read_as_cedar(heroku, settings):
    heroku.add_fir_app("weareone-fir", space="weareone-eu")
    details = heroku.resources["/apps/weareone-fir"]
    heroku.answer("/apps/weareone-fir", {**details, "generation": ["fir"], "space": 42})
    report = run_apps(settings, "weareone-fir")
    # Read as Cedar, error pages would fail for want of ERROR_PAGE_URL.
    assert statuses_of(report, "heroku.error_pages") == {"weareone-fir": Status.ERROR}
    assert "with a list where an object, a string or null was expected, at `generation`" in str(
        by_check(report)["heroku.error_pages"][0].message
    )
