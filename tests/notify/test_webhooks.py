"""What webhooks are sent, and when: Slack messages and JSON summaries posted to a receiver on loopback."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_httpserver import HTTPServer

from deploycheck import runner
from deploycheck.core.results import Result
from deploycheck.models import CheckResult, CheckRun
from deploycheck.notify import webhooks
from tests.notify.test_announcing import selects_of
from tests.webhook_receivers import SECRET, down_receiver

pytestmark = pytest.mark.django_db

HOOK_PATH = f"/hooks/{SECRET}"
SITE_URL = "https://weareone.example"


@pytest.fixture
def hooked(secure_settings, httpserver: HTTPServer):
    """Settings posting webhooks to a receiver on loopback: ``hooked(format, events)``."""
    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_data("ok")

    def configure(format: str = "slack", events: tuple[str, ...] = ("regression", "failed"), **more: Any) -> None:
        hook = {"url": httpserver.url_for(HOOK_PATH), "format": format, "events": list(events)}
        secure_settings.DEPLOYCHECK = {**secure_settings.DEPLOYCHECK, "WEBHOOKS": [hook], **more}

    return configure


def bodies(httpserver: HTTPServer) -> list[dict[str, Any]]:
    return [json.loads(request.get_data()) for request, _ in httpserver.log]


def test_a_regression_is_posted_to_slack_with_the_verdict_what_changed_and_a_link(
    secure_settings, hooked, httpserver, monkeypatch
):
    monkeypatch.setenv("HEROKU_APP_NAME", "weareone")
    monkeypatch.setenv("HEROKU_RELEASE_VERSION", "v42")
    monkeypatch.setenv("HEROKU_SLUG_COMMIT", "a1b2c3d")
    hooked("slack", ("regression",), SITE_URL=SITE_URL)
    secure_settings.SESSION_COOKIE_SECURE = False
    first = runner.execute().run
    assert bodies(httpserver) == []  # the first run of the app: nothing to compare with
    secure_settings.DEBUG = True
    secure_settings.SESSION_COOKIE_SECURE = True
    second = runner.execute().run
    assert first is not None
    assert second is not None
    [body] = bodies(httpserver)
    assert set(body) == {"text"}
    lines = body["text"].split("\n")
    assert lines[0] == f"Run {second.pk} of weareone: passed at ERROR, 1 warning"
    assert lines[1] == "Release v42, commit a1b2c3d."
    assert "Newly failing (1)" in lines
    assert any(line.startswith("• `security.W018` DEBUG is off — ") for line in lines)
    assert "Fixed (1)" in lines
    assert any(line.startswith("• `security.W012` ") for line in lines)
    change = reverse("admin:deploycheck_checkrun_change", args=[second.pk])
    assert lines[-1] == f"<{SITE_URL}{change}|Open run {second.pk} in the admin>"


def test_what_still_fails_is_listed_with_its_message(secure_settings, hooked, httpserver, monkeypatch):
    # Alone, a title ("DEBUG is off") reads as the state; the message says what is wrong.
    monkeypatch.setenv("HEROKU_APP_NAME", "weareone")
    hooked("slack", ("failed",), FAIL_LEVEL="WARNING")
    secure_settings.DEBUG = True
    runner.execute()
    runner.execute()
    lines = bodies(httpserver)[-1]["text"].split("\n")
    assert "Still failing (1)" in lines
    assert any(line.startswith("• `security.W018` DEBUG is off — You should not have DEBUG") for line in lines)


def test_the_json_summary_of_every_run(secure_settings, hooked, httpserver):
    hooked("json", ("run",))
    first = runner.execute().run
    secure_settings.DEBUG = True
    second = runner.execute().run
    assert first is not None
    assert second is not None
    before, after = bodies(httpserver)
    assert before["schema"] == 1
    assert before["events"] == ["run"]  # every event the run is, whichever the webhook asked for
    assert before["previous_run"] is None
    assert before["run"]["id"] == first.pk
    assert before["run"]["outcome"] == "passed"
    assert before["verdict"] == "passed"
    assert after["events"] == ["regression", "run"]
    assert after["previous_run"] == first.pk
    assert after["verdict"] == "passed at ERROR, 1 warning"
    assert after["admin_url"] is None  # no SITE_URL
    assert [result["id"] for result in after["newly_failing"]] == ["security.W018"]
    assert [result["id"] for result in after["failing"]] == ["security.W018"]
    assert after["fixed"] == []
    assert after["newly_failing"][0]["status"] == "failed"
    assert after["newly_failing"][0]["level"] == "WARNING"
    assert set(after["run"]) >= {"outcome", "fail_level", "counts", "heroku_app", "release_version", "commit"}


def test_failed_is_a_run_whose_outcome_is_not_passed(secure_settings, hooked, httpserver):
    hooked("json", ("failed",))
    secure_settings.DEBUG = True
    runner.execute()  # passed at ERROR, with a warning
    assert bodies(httpserver) == []
    report = runner.execute(fail_level="WARNING")
    [body] = bodies(httpserver)
    assert body["events"] == ["failed", "run"]
    assert body["run"]["outcome"] == "failed"
    assert report.run is not None
    assert body["run"]["id"] == report.run.pk


def test_the_slack_message_of_a_first_run_lists_what_fails(secure_settings, hooked, httpserver):
    hooked("slack", ("failed",))
    secure_settings.DEBUG = True
    run = runner.execute(fail_level="WARNING").run
    assert run is not None
    [body] = bodies(httpserver)
    assert body["text"].split("\n")[:4] == [
        f"Run {run.pk} of this site: failed",
        "deploycheck for this site: failed",
        "Failing (1)",
        "• `security.W018` DEBUG is off — You should not have DEBUG set to True in deployment.",
    ]


def test_the_message_is_in_the_sites_language(secure_settings, hooked, httpserver):
    hooked("slack", ("run",))
    secure_settings.LANGUAGE_CODE = "fr"
    runner.execute()
    secure_settings.DEBUG = True
    run = runner.execute().run
    assert run is not None
    text = bodies(httpserver)[1]["text"]
    assert "Nouveaux échecs (1)" in text
    assert "DEBUG est désactivé" in text


def test_the_apps_state_is_not_read_when_no_webhook_may_be_sent(secure_settings, hooked, httpserver):
    hooked("slack", ("failed",))
    runner.execute()
    with CaptureQueriesContext(connection) as queries:
        runner.execute()
    # The earlier evaluations only, once, for the report's comparison.
    assert len(selects_of(queries, "deploycheck_checkrun")) == 1
    assert bodies(httpserver) == []


def test_a_regression_is_found_from_one_read_of_the_earlier_evaluations(secure_settings, hooked, httpserver):
    hooked("slack", ("regression",))
    runner.execute()
    secure_settings.DEBUG = True
    with CaptureQueriesContext(connection) as queries:
        runner.execute()
    # One read of each check's previous evaluation, one of the app's state the message states.
    assert len(selects_of(queries, "deploycheck_checkresult")) == 2
    assert len(bodies(httpserver)) == 1


def test_what_a_check_wrote_is_inert_in_slack():
    hostile = Result.made_safe(
        check_id="project.hostile",
        family="project",
        title="<!channel> & <https://evil.example|click>",
        status="failed",
        message="line one\nline two <@U123>",
        level=40,
    )
    [heading, line] = webhooks._listed("Failing", [hostile])
    assert heading == "Failing (1)"
    assert line == (
        "• `project.hostile` &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"
        " — line one line two &lt;@U123&gt;"
    )


def test_code_in_a_hint_or_a_message_is_slacks_code_and_nothing_else_is():
    hostile = Result.made_safe(
        check_id="heroku.preboot",
        family="heroku",
        title="Preboot is on",
        status="failed",
        message="Set it with `heroku features:enable preboot` <!here> *now* `a` and a lone ` tick",
        hint="Turn preboot on: `heroku features:enable preboot -a <weareone>`.",
        level=30,
        app="weareone",
    )
    [_heading, line, hint] = webhooks._listed("Newly failing", [hostile], with_hint=True)
    assert line == (
        "• `heroku.preboot` [weareone] Preboot is on — Set it with `heroku features:enable preboot`"
        " &lt;!here&gt; *now* `a` and a lone ' tick"
    )
    assert hint == "    HINT: Turn preboot on: `heroku features:enable preboot -a &lt;weareone&gt;`."
    # Cut to what a reader sees, the code span closed before the ellipsis.
    assert webhooks.slack_escaped("Run `heroku ps:scale web=2`.", 12) == "Run `heroku `…"


def test_slack_gives_the_hint_of_what_newly_fails_with_its_command_as_code(secure_settings, hooked, httpserver, heroku):
    hooked("slack", ("regression",))
    runner.execute(tags=["heroku"])
    heroku.resources["/apps/weareone/features"] = []
    runner.execute(tags=["heroku"])
    [body] = bodies(httpserver)
    lines = body["text"].split("\n")
    newly = lines.index("Newly failing (1)")
    assert lines[newly + 1].startswith("• `heroku.preboot` [weareone] Preboot is on for zero-downtime deploys — ")
    assert lines[newly + 2] == "    HINT: Turn preboot on: `heroku features:enable preboot -a weareone`."


def test_no_link_without_the_admin(secure_settings):
    run = runner.execute().run
    assert run is not None
    assert webhooks.admin_url(run) is None
    secure_settings.DEPLOYCHECK = {**secure_settings.DEPLOYCHECK, "SITE_URL": SITE_URL + "/"}
    assert webhooks.admin_url(run) == f"{SITE_URL}/admin/deploycheck/checkrun/{run.pk}/change/"
    installed = [app for app in secure_settings.INSTALLED_APPS if app != "django.contrib.admin"]
    with override_settings(INSTALLED_APPS=installed):
        assert webhooks.admin_url(run) is None


def test_the_webhook_url_is_nowhere_but_in_the_request(secure_settings, hooked, httpserver, caplog):
    with down_receiver() as down:
        hooked("json", ("run",))
        secure_settings.DEPLOYCHECK["WEBHOOKS"].append({"url": down, "events": ["run"]})
        out, err = io.StringIO(), io.StringIO()
        for output_format in ("text", "json"):
            # The command ends with its exit status.
            with contextlib.suppress(SystemExit):
                call_command("deploycheck", "--format", output_format, stdout=out, stderr=err, no_color=True)
    run = CheckRun.objects.latest("pk")
    client = Client()
    client.force_login(User.objects.create_superuser("admin", password="pw"))
    pages = [
        client.get(reverse("admin:deploycheck_checkrun_change", args=[run.pk])).content.decode(),
        client.get(reverse("admin:deploycheck_checkrun_changelist")).content.decode(),
    ]
    stored = [*CheckRun.objects.values(), *CheckResult.objects.values()]
    assert len(httpserver.log) == 2
    assert "could not deliver DEPLOYCHECK['WEBHOOKS'][1]" in caplog.text
    # The receiver's own log (werkzeug's) names the path it was asked for, as a receiver does.
    logged = [record.getMessage() for record in caplog.records if record.name != "werkzeug"]
    for place in (out.getvalue(), err.getvalue(), repr(logged), repr(stored), *pages):
        assert SECRET not in place


def test_a_fault_in_wording_a_message_is_logged_and_the_run_still_ends_well(
    secure_settings, hooked, caplog, monkeypatch
):
    hooked("slack", ("run",))

    def broken(*args: Any) -> str:
        raise ValueError(f"http://127.0.0.1/{SECRET}")

    monkeypatch.setattr(webhooks, "admin_url", broken)
    report = runner.execute()
    assert report.run is not None
    assert report.exit_status == runner.EXIT_OK
    assert "deploycheck could not send webhooks: ValueError" in caplog.text
    assert SECRET not in caplog.text


def test_the_readme_documents_the_webhook_settings_and_every_field_of_the_json_body(hooked, httpserver):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for number in range(30, 36):
        assert f"`deploycheck.E{number:03d}`" in readme
    section = readme[readme.index("\n## Webhooks\n") :]
    section = section[: section.index("\n## ", 1)]
    hooked("json", ("run",))
    runner.execute()
    [body] = bodies(httpserver)
    assert [key for key in body if f"| `{key}` |" not in section] == []
    assert all(f"| `{key}` |" in section for key in ("url", "format", "events"))
