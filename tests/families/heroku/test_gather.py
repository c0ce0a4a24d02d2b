"""The heroku family end to end: gathered from a fake Heroku over HTTP, evaluated, recorded."""

from __future__ import annotations

import json
import logging
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from deploycheck import runner
from deploycheck.core import reporting
from deploycheck.core.choices import Status
from deploycheck.core.results import Report, Result
from deploycheck.families.heroku import checks as heroku_checks
from deploycheck.models import CheckResult, CheckRun
from tests.heroku_fake import SHAPES, TOKEN, Fault, healthy_app, refused_url, wrong_shapes

pytestmark = pytest.mark.django_db

SECRETS = [TOKEN, "secret-db-password", "super-secret-django-key", "secret-license", "secret-otel-key"]


def heroku_run(**options: Any) -> Report:
    return runner.execute(tags=["heroku"], **options)


def by_check(report: Report) -> dict[str, list[Result]]:
    found: dict[str, list[Result]] = {}
    for result in report.results:
        found.setdefault(result.check_id, []).append(result)
    return found


def needing(resource: str) -> set[str]:
    return {check.id for check in heroku_checks.FAMILY.checks if f"heroku.{resource}" in check.requires}


def assert_no_secret_anywhere(report: Report, caplog: Any = None) -> None:
    stored = json.dumps(list(CheckResult.objects.values()), default=str)
    stored += json.dumps(list(CheckRun.objects.values()), default=str)
    texts = [stored, reporting.render_json(report), reporting.TextRenderer().render(report), repr(report)]
    if caplog is not None:
        texts.append(caplog.text)
    for secret in SECRETS:
        assert all(secret not in text for text in texts), secret


def test_a_healthy_app_passes_every_heroku_check(heroku, caplog):
    caplog.set_level(logging.DEBUG)
    report = heroku_run()
    assert {result.status for result in report.results} == {Status.PASSED}
    assert len(report.results) == 13
    assert {result.app for result in report.results} == {"weareone"}
    assert report.run is not None
    assert_no_secret_anywhere(report, caplog)


def test_one_request_per_resource_per_app(heroku):
    heroku_run()
    counts = heroku.count()
    assert set(counts.values()) == {1}
    assert len(counts) == 10  # nine per-app resources and /stacks


def test_only_the_resources_the_selected_checks_need_are_fetched(heroku):
    runner.execute(check_ids=["heroku.web_redundancy"])
    assert set(heroku.count()) == {"/apps/weareone/formation"}


def test_several_apps_in_one_run(heroku, settings):
    heroku.add_app("weareone-staging", formation=[{"id": "f", "type": "web", "quantity": 1, "size": "Basic"}])
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_APPS": ["weareone-staging", "weareone"]}
    report = heroku_run()
    redundancy = {result.app: result.status for result in by_check(report)["heroku.web_redundancy"]}
    assert redundancy == {"weareone-staging": Status.FAILED, "weareone": Status.PASSED}
    stored = set(CheckResult.objects.filter(check_id="heroku.dyno_tier").values_list("app", "status"))
    assert stored == {("weareone-staging", Status.FAILED), ("weareone", Status.PASSED)}
    failing = next(
        result
        for result in report.results
        if result.check_id == "heroku.dyno_tier" and result.blocks_at(report.fail_level)
    )
    assert (
        str(failing.hint)
        == "Move to Standard or Performance dynos: `heroku ps:type web=standard-1x -a weareone-staging`."
    )


def test_app_option_overrides_the_setting(heroku):
    heroku.add_app("weareone-staging")
    report = heroku_run(apps=["weareone-staging"])
    assert {result.app for result in report.results} == {"weareone-staging"}
    assert report.run is not None
    assert report.run.selection["apps"] == ["weareone-staging"]


def test_heroku_app_name_environment_variable(heroku, settings, monkeypatch):
    settings.DEPLOYCHECK = {key: value for key, value in settings.DEPLOYCHECK.items() if key != "HEROKU_APPS"}
    monkeypatch.setenv("HEROKU_APP_NAME", "weareone")
    assert {result.app for result in heroku_run().results} == {"weareone"}


def test_no_token_skips_with_the_reason(heroku, monkeypatch):
    monkeypatch.delenv("HEROKU_API_KEY")
    report = heroku_run()
    assert {result.status for result in report.results} == {Status.SKIPPED}
    assert str(report.results[0].message) == (
        "Heroku is not configured: no Heroku API token (set the HEROKU_API_KEY environment variable)."
    )
    assert heroku.requests == []
    assert report.exit_status == runner.EXIT_OK


def test_no_app_skips_with_the_reason(heroku, settings):
    settings.DEPLOYCHECK = {"HEROKU_API_URL": heroku.url}
    report = heroku_run()
    assert {result.status for result in report.results} == {Status.SKIPPED}
    assert "no Heroku app is configured" in str(report.results[0].message)


def test_token_from_the_setting(heroku, settings, monkeypatch):
    monkeypatch.delenv("HEROKU_API_KEY")
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_API_KEY": TOKEN}
    assert {result.status for result in heroku_run().results} == {Status.PASSED}


def test_a_token_without_read_protected_scope(heroku):
    heroku.fail(
        "/apps/weareone/config-vars",
        Fault(403, {"id": "forbidden", "message": "This token does not have the read-protected scope."}),
    )
    report = heroku_run()
    errors = {result.check_id for result in report.results if result.status == Status.ERROR}
    assert errors == needing("config_vars") == {"heroku.app_monitoring", "heroku.error_pages", "heroku.static_files"}
    message = str(by_check(report)["heroku.error_pages"][0].message)
    assert "token lacks the read-protected scope" in message
    assert "HTTP 403 (forbidden)" in message
    assert {result.status for result in report.results if result.check_id not in errors} == {Status.PASSED}
    assert report.exit_status == runner.EXIT_NOT_EVALUATED


LABELS = {
    "formation": "the formation",
    "addons": "the add-ons",
    "domains": "the domains",
    "features": "the features",
    "app": "the details",
    "sni_endpoints": "the SNI endpoints",
}

JSON_500 = Fault(500, {"id": "internal_server_error", "message": "Internal server error."}, times=None)

FAULTS = {
    "500 on formation": ("/apps/weareone/formation", JSON_500, "formation", "HTTP 500 (internal_server_error)"),
    "503 on addons": (
        "/apps/weareone/addons",
        Fault(503, {"id": "unavailable", "message": "Service unavailable."}, times=None),
        "addons",
        "HTTP 503 (unavailable)",
    ),
    "429 every time on domains": (
        "/apps/weareone/domains",
        Fault(429, {"id": "rate_limit", "message": "Rate limit exceeded."}, times=None),
        "domains",
        "HTTP 429 (rate_limit)",
    ),
    "malformed JSON on features": (
        "/apps/weareone/features",
        Fault(200, "[{not json", times=None),
        "features",
        "the answer is not JSON",
    ),
    "HTML error page on the app": (
        "/apps/weareone",
        Fault(502, "<html><h1>Bad Gateway</h1></html>", times=None),
        "app",
        "HTTP 502 an error page that is not Heroku's JSON (text/html)",
    ),
    "read timeout on sni-endpoints": (
        "/apps/weareone/sni-endpoints",
        Fault(0, delay=2.5, times=None),
        "sni_endpoints",
        "no answer within the read timeout",
    ),
}


@pytest.mark.parametrize(("path", "fault", "resource", "reason"), FAULTS.values(), ids=FAULTS.keys())
def test_a_failing_resource_errors_only_the_checks_that_need_it(
    heroku, settings, caplog, path, fault, resource, reason
):
    caplog.set_level(logging.DEBUG)
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_READ_TIMEOUT": 1.0, "HEROKU_RETRIES": 1}
    heroku.fail(path, fault)
    report = heroku_run()
    errored = {result.check_id: result for result in report.results if result.status == Status.ERROR}
    assert set(errored) == needing(resource)
    assert {result.status for result in report.results if result.check_id not in errored} == {Status.PASSED}
    for result in errored.values():
        message = str(result.message)
        assert message.startswith(f"cannot read {LABELS[resource]} of weareone: ")
        assert f"GET {path}:" in message
        assert reason in message
        if fault.status:
            assert "[Request-Id " in message
    assert report.run is not None
    assert report.run.error_count == len(errored)
    assert_no_secret_anywhere(report, caplog)


def test_429_then_success_passes(heroku):
    heroku.fail(
        "/apps/weareone/formation", Fault(429, {"id": "rate_limit", "message": "Slow down."}, {"Retry-After": "0"})
    )
    report = heroku_run()
    assert {result.status for result in report.results} == {Status.PASSED}
    assert heroku.count()["/apps/weareone/formation"] == 2


def test_401_errors_every_check(heroku, monkeypatch):
    monkeypatch.setenv("HEROKU_API_KEY", "HRKU-revoked")
    report = heroku_run()
    assert {result.status for result in report.results} == {Status.ERROR}
    assert all("HTTP 401 (unauthorized)" in str(result.message) for result in report.results)
    # What a 401 means is said in words, before Heroku's own: an expired token is the usual cause.
    assert all("Heroku refused the token (expired or revoked?)" in str(result.message) for result in report.results)
    assert report.run is not None
    assert_no_secret_anywhere(report)


def test_404_for_the_app(heroku):
    report = heroku_run(apps=["no-such-app"])
    assert {result.status for result in report.results} == {Status.ERROR}
    stack = by_check(report)["heroku.stack"][0]
    assert str(stack.message).startswith(
        "cannot read the details of no-such-app: Heroku does not know this app, or the token cannot see it "
        "(GET /apps/no-such-app: HTTP 404 (not_found)"
    )
    assert all(
        "of no-such-app" in str(result.message) and "HTTP 404 (not_found)" in str(result.message)
        for result in report.results
    )


def test_connection_refused_errors_every_check(heroku, settings):
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_API_URL": refused_url(), "HEROKU_RETRIES": 1}
    report = heroku_run()
    assert {result.status for result in report.results} == {Status.ERROR}
    assert "cannot connect to http://127.0.0.1:" in str(report.results[0].message)
    assert report.run is not None
    assert_no_secret_anywhere(report)


def test_a_list_paginated_over_three_pages(heroku):
    domains = healthy_app("weareone")["/apps/weareone/domains"]
    heroku.resources["/apps/weareone/domains"] = domains + [
        {**domains[1], "id": f"extra{index}", "hostname": f"w{index}.example.com"} for index in range(5)
    ]
    heroku.page_size = 3
    report = heroku_run()
    assert str(by_check(report)["heroku.dns"][0].message) == "6 custom domains"
    assert heroku.count()["/apps/weareone/domains"] == 3


def test_the_time_budget_turns_slow_resources_into_errors(heroku, settings):
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_READ_TIMEOUT": 5.0}
    heroku.fail("/apps/weareone/features", Fault(0, delay=6.0, times=None))
    report = heroku_run(time_budget=2.5)
    errored = {result.check_id for result in report.results if result.status == Status.ERROR}
    assert errored == needing("features")
    assert "time budget" in str(by_check(report)["heroku.preboot"][0].message)


def test_the_command_keeps_apps_apart_in_text_and_json(heroku, settings):
    heroku.add_app("weareone-staging")
    out = StringIO()
    call_command("deploycheck", "--tag", "heroku", "--app", "weareone", "--app", "weareone-staging", stdout=out)
    assert "heroku.web_redundancy  At least two web dynos serve the app [weareone-staging]" in out.getvalue()
    out = StringIO()
    call_command("deploycheck", "--tag", "heroku", "--format", "json", "--app", "weareone-staging", stdout=out)
    assert {result["app"] for result in json.loads(out.getvalue())["results"]} == {"weareone-staging"}


def test_the_command_exits_3_when_heroku_cannot_be_read(heroku):
    heroku.fail("/apps/weareone/formation", JSON_500)
    with pytest.raises(CommandError) as caught:
        call_command("deploycheck", "--tag", "heroku", stdout=StringIO(), stderr=StringIO())
    assert caught.value.returncode == runner.EXIT_NOT_EVALUATED


# Answers of other shapes than Heroku documents: the checks they feed are not evaluated, never failed.

SHAPE_PATHS = {"": "/apps/weareone", "stacks": "/stacks"}
# Where the app has other evidence, a resource read only if there (drains beside a logging add-on,
# /stacks beside deploycheck's table of stacks) leaves every check evaluated.
EVIDENCE_ELSEWHERE = {"log-drains", "telemetry-drains", "stacks"}
SHAPE_CASES = {
    f"{resource or 'app'}: {shape}": (resource, body)
    for resource in SHAPES
    for shape, body in wrong_shapes(resource).items()
}


def fact_of(resource: str) -> str:
    return resource.replace("-", "_") or "app"


@pytest.mark.parametrize(("resource", "body"), SHAPE_CASES.values(), ids=SHAPE_CASES.keys())
def test_an_answer_of_another_shape_is_not_evaluated_and_never_failed(heroku, resource, body):
    path = SHAPE_PATHS.get(resource, f"/apps/weareone/{resource}")
    heroku.answer(path, body)
    report = heroku_run()
    errored = {result.check_id: result for result in report.results if result.status == Status.ERROR}
    assert set(errored) == (set() if resource in EVIDENCE_ELSEWHERE else needing(fact_of(resource)))
    assert {result.status for result in report.results if result.check_id not in errored} == {Status.PASSED}
    for result in errored.values():
        assert f": Heroku answered GET {path} with " in str(result.message)
    assert report.exit_status == (runner.EXIT_OK if resource in EVIDENCE_ELSEWHERE else runner.EXIT_NOT_EVALUATED)
    assert_no_secret_anywhere(report)


def test_config_vars_of_another_shape_no_longer_fail_the_error_pages(heroku):
    heroku.answer("/apps/weareone/config-vars", [{"name": "ERROR_PAGE_URL", "value": "https://e.example"}])
    report = heroku_run()
    [result] = by_check(report)["heroku.error_pages"]
    assert result.status == Status.ERROR
    assert str(result.message) == (
        "cannot read the config vars of weareone: "
        "Heroku answered GET /apps/weareone/config-vars with a list where an object was expected"
    )
    with translation.override("fr"):
        assert str(result.message) == (
            "impossible de lire les config vars de weareone : "
            "Heroku a répondu à GET /apps/weareone/config-vars par une liste alors qu'il fallait un objet"
        )


def test_what_was_unexpected_says_where_never_what_was_sent(heroku):
    heroku.answer(
        "/apps/weareone/config-vars",
        {"SECRET_KEY": "super-secret-django-key", "\x1b[2J`EVIL": {"value": "secret-license"}},
    )
    heroku.answer("/apps/weareone/formation", [{"id": "f1", "type": "web", "quantity": 2}, {"type": "web"}])
    report = heroku_run()
    config = str(by_check(report)["heroku.error_pages"][0].message)
    assert config.endswith("with an object where a string or null was expected, at `\\x1b[2J'EVIL`")
    formation = str(by_check(report)["heroku.web_redundancy"][0].message)
    assert formation.endswith("/formation with an object without `quantity`, at `[1]`")
    with translation.override("fr"):
        assert str(by_check(report)["heroku.web_redundancy"][0].message).endswith(
            "/formation par un objet sans `quantity`, à `[1]`"
        )
    assert_no_secret_anywhere(report)


def test_drains_of_another_shape_are_not_read_as_no_drain(heroku):
    # Without a logging add-on the drains decide: a list of them that cannot be read is no answer.
    heroku.answer(
        "/apps/weareone/addons",
        [addon for addon in healthy_app("weareone")["/apps/weareone/addons"] if addon["id"] != "a2"],
    )
    heroku.answer("/apps/weareone/log-drains", {"id": "d1", "url": "syslog+tls://logs.example.net:123"})
    [result] = by_check(heroku_run())["heroku.log_monitoring"]
    assert result.status == Status.ERROR
    assert "Heroku answered GET /apps/weareone/log-drains with an object where a list was expected" in str(
        result.message
    )


def test_stacks_of_another_shape_are_not_read_as_an_unlisted_stack(heroku):
    heroku.answer("/apps/weareone", {**healthy_app("weareone")["/apps/weareone"], "stack": {"name": "heroku-99"}})
    heroku.answer("/stacks", {"heroku-99": "public"})
    [result] = by_check(heroku_run())["heroku.stack"]
    assert result.status == Status.ERROR
    assert "Heroku answered GET /stacks with an object where a list was expected" in str(result.message)
