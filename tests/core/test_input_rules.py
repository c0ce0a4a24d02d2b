"""Input checked at the door: app names, tokens and numbers are refused before they reach a request.

The fake Heroku API records every path it is asked for: the tests prove that no request leaves
for a path other than the app's own (and /stacks), whatever --app, HEROKU_APPS or
HEROKU_APP_NAME say, and that no token or number can turn into a traceback.
"""

from __future__ import annotations

import json
import math
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from deploycheck import conf, runner
from deploycheck.core import input_rules as values
from deploycheck.core.choices import Status
from deploycheck.core.results import Report
from deploycheck.families.heroku import checks as heroku_checks
from deploycheck.families.heroku.client import api_path
from tests.heroku_fake import TOKEN

pytestmark = pytest.mark.django_db

BAD_APPS = ["../stacks?x=", "", "../account", "WeAreOne Staging", "weareone/../../account", "weareone\n", "wé"]
MALFORMED = "malformed (it contains a space, a control character or a non-ASCII character)"


def app_paths_only(fake: Any, app: str = "weareone") -> bool:
    """Whether every request went to the app's own resources or to /stacks."""
    return all(path in ("/stacks", f"/apps/{app}") or path.startswith(f"/apps/{app}/") for path, _ in fake.requests)


def refused_before_any_request(heroku: Any) -> set[str]:
    """The messages of a Heroku run that must not send a request: one error per Heroku check."""
    report = runner.execute(tags=["heroku"], save=False)
    assert heroku.requests == []
    assert len(report.results) == len(heroku_checks.FAMILY.checks)
    assert statuses(report) == {Status.ERROR}
    return {str(result.message) for result in report.results}


def statuses(report: Report) -> set[str]:
    return {result.status for result in report.results}


# --app, on the command line and through call_command().


@pytest.mark.parametrize("app", BAD_APPS)
def test_a_bad_app_option_is_a_usage_error_and_nothing_is_requested(heroku, app):
    with pytest.raises(CommandError, match="--app takes Heroku app names or ids, not") as caught:
        call_command("deploycheck", "--app", app, "--no-save")
    # Under call_command() argparse's usage error is a CommandError; the process test checks exit 2.
    assert repr(app) in str(caught.value)
    assert heroku.requests == []


def test_a_good_app_next_to_a_bad_one_does_not_let_it_through(heroku):
    with pytest.raises(CommandError, match=r"not '\.\./account' \("):
        call_command("deploycheck", "--app", "weareone", "--app", "../account", "--no-save")
    assert heroku.requests == []


@pytest.mark.parametrize("app", ["weareone", "01234567-89ab-cdef-0123-456789abcdef"])
def test_app_names_and_ids_are_accepted(heroku, app):
    heroku.add_app(app)
    call_command("deploycheck", "--tag", "heroku", "--app", app, "--no-save", stdout=StringIO())
    assert app_paths_only(heroku, app)
    assert f"/apps/{app}" in heroku.count()


@pytest.mark.slow
@pytest.mark.parametrize("app", ["../account", "", "WeAreOne Staging"])
def test_a_bad_app_option_exits_2_with_argparse_usage(manage, app):
    process = manage("deploycheck", "--app", app, "--no-save")
    assert process.returncode == 2, process.stderr
    assert process.stderr.startswith("usage: ")
    assert f"error: --app takes Heroku app names or ids, not {app!r}" in process.stderr
    assert "Traceback" not in process.stderr + process.stdout


# The Python API refuses what the command refuses.


@pytest.mark.parametrize("app", BAD_APPS)
def test_the_python_api_refuses_a_bad_app(heroku, app):
    with pytest.raises(ValueError, match="apps takes Heroku app names or ids"):
        runner.execute(tags=["heroku"], apps=[app], save=False)
    assert heroku.requests == []


@pytest.mark.parametrize("budget", [math.inf, -math.inf, math.nan, 10**400, 3601, 0, -1])
def test_the_python_api_refuses_a_time_budget_out_of_range(heroku, budget):
    with pytest.raises(ValueError, match=r"time_budget is .*; use a number above 0 and at most 3600\."):
        runner.execute(tags=["heroku"], time_budget=budget, save=False)
    assert heroku.requests == []


def test_a_time_budget_in_range_is_used(heroku):
    report = runner.execute(tags=["heroku"], time_budget=3600, save=False)
    assert statuses(report) == {Status.PASSED}


# Quoting, the second line of defence: with the name check switched off, no value leaves the app's path.


def test_each_path_segment_is_quoted():
    assert api_path("/apps/{app}/formation", app="../stacks?x=") == "/apps/..%2Fstacks%3Fx%3D/formation"
    assert api_path("/apps/{app}", app="a b#c\n") == "/apps/a%20b%23c%0A"
    for segment in ("", ".", ".."):
        with pytest.raises(ValueError, match="cannot be a path segment"):
            api_path("/apps/{app}/formation", app=segment)


@pytest.mark.parametrize("app", ["../stacks?x=", "../account", "x/../../account"])
def test_quoting_alone_keeps_every_request_on_the_apps_path(heroku, monkeypatch, app):
    for module in (conf, values):
        monkeypatch.setattr(module, "is_app_identity", lambda value: True)
    report = runner.execute(tags=["heroku"], apps=[app], save=False)
    # The server decodes the quoted segment back: what it received was one segment under /apps/.
    assert all(path == "/stacks" or path.startswith(f"/apps/{app}") for path, _ in heroku.requests)
    assert heroku.count()["/stacks"] <= 1
    assert "/account" not in heroku.count()
    # Heroku answers 404 for such an app: nothing is read from another resource.
    assert statuses(report) == {Status.ERROR}


# HEROKU_APPS, as a system check error naming the entry.


def test_a_bad_heroku_apps_entry_stops_the_run_before_any_request(heroku, settings):
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_APPS": ["../account", "WeAreOne Staging"]}
    with pytest.raises(CommandError, match=r"entry '\.\./account' is not a Heroku app name or id.*deploycheck\.E009"):
        call_command("deploycheck", "--no-save")
    assert heroku.requests == []


# HEROKU_APP_NAME comes from the environment (Heroku's dyno metadata), so a bad one is no usage
# error: the Heroku checks report `error` with the reason and every other check still runs.


@pytest.mark.parametrize("app", ["../account", "../stacks?x=", "WeAreOne Staging"])
def test_a_bad_heroku_app_name_makes_every_heroku_check_an_error(heroku, settings, monkeypatch, app):
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_APPS": []}
    monkeypatch.setenv("HEROKU_APP_NAME", app)
    messages = refused_before_any_request(heroku)
    assert messages == {
        f"Heroku cannot be checked: HEROKU_APP_NAME is {app!r}, which is not a Heroku app name or id "
        f"({conf.app_rule()})."
    }


def test_a_good_heroku_app_name_is_used(heroku, settings, monkeypatch):
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_APPS": []}
    monkeypatch.setenv("HEROKU_APP_NAME", "weareone")
    assert statuses(runner.execute(tags=["heroku"], save=False)) == {Status.PASSED}
    assert app_paths_only(heroku)


# The token.


@pytest.mark.parametrize("token", [TOKEN + "\n", f"  {TOKEN}\r\n", f"\t{TOKEN} "])
def test_whitespace_around_the_token_is_stripped(heroku, monkeypatch, token):
    monkeypatch.setenv("HEROKU_API_KEY", token)
    assert statuses(runner.execute(tags=["heroku"], save=False)) == {Status.PASSED}
    assert app_paths_only(heroku)


def test_whitespace_around_the_token_in_the_setting_is_stripped(heroku, settings, monkeypatch):
    monkeypatch.delenv("HEROKU_API_KEY")
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_API_KEY": f"\n{TOKEN}\n"}
    assert statuses(runner.execute(tags=["heroku"], save=False)) == {Status.PASSED}


def test_a_blank_token_is_no_token(heroku, monkeypatch):
    monkeypatch.setenv("HEROKU_API_KEY", " \n")
    report = runner.execute(tags=["heroku"], save=False)
    assert statuses(report) == {Status.SKIPPED}
    assert heroku.requests == []


@pytest.mark.parametrize(
    "token",
    [
        TOKEN[:10] + " " + TOKEN[10:],
        TOKEN[:10] + "\n" + TOKEN[10:],
        TOKEN[:10] + "\x01" + TOKEN[10:],
        TOKEN[:10] + "\x7f" + TOKEN[10:],
        TOKEN[:10] + "é" + TOKEN[10:],
        TOKEN[:10] + "\u200b" + TOKEN[10:],
    ],
)
def test_a_malformed_token_is_reported_once_in_one_sentence(heroku, monkeypatch, token):
    monkeypatch.setenv("HEROKU_API_KEY", token)
    messages = refused_before_any_request(heroku)
    assert len(messages) == 1
    (message,) = messages
    assert message.startswith(f"Heroku cannot be checked: the Heroku API token is {MALFORMED}")
    assert "InvalidHeader" not in message
    # Neither the token nor a piece of it is shown.
    dumped = json.dumps(sorted(messages))
    assert TOKEN[:10] not in dumped
    assert TOKEN[11:] not in dumped


@pytest.mark.parametrize("token", ["HRKU-two words", "HRKU-\x00", "HRKU-\u00a0x"])
def test_a_malformed_token_in_the_setting_is_reported_the_same_way(heroku, settings, monkeypatch, token):
    monkeypatch.delenv("HEROKU_API_KEY")
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_API_KEY": token}
    report = runner.execute(tags=["heroku"], save=False)
    assert heroku.requests == []
    assert statuses(report) == {Status.ERROR}
    assert all(MALFORMED in str(result.message) for result in report.results)


# Numbers: refused by the system checks and the command, never an OverflowError.


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TIME_BUDGET", math.inf),
        ("TIME_BUDGET", 10**400),
        ("TIME_BUDGET", math.nan),
        ("HEROKU_READ_TIMEOUT", math.nan),
        ("HEROKU_READ_TIMEOUT", math.inf),
        ("HTTP_TIMEOUT", math.nan),
        ("HTTP_TIMEOUT", 10**400),
        ("HEROKU_BACKOFF", math.inf),
        ("HEROKU_RETRIES", 10**400),
    ],
)
def test_a_number_out_of_range_is_a_usage_error_not_a_traceback(heroku, settings, key, value):
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, key: value}
    with pytest.raises(CommandError, match=rf"DEPLOYCHECK\['{key}'\] is .*; use a .*deploycheck\.E006") as caught:
        call_command("deploycheck", "--no-save")
    assert caught.value.returncode == runner.EXIT_USAGE
    assert heroku.requests == []


def test_a_retention_out_of_range_is_refused_by_prune(settings):
    settings.DEPLOYCHECK = {"RETENTION_DAYS": 10**400}
    with pytest.raises(CommandError, match=r"is 10\*\*400; use a number of days from 1 to 36500"):
        call_command("deploycheck", "--prune")


@pytest.mark.parametrize("budget", [math.inf, 10**400, math.nan])
def test_run_now_in_the_admin_says_why_a_budget_cannot_be_used(heroku, settings, budget):
    from django.contrib.auth.models import Permission, User
    from django.contrib.messages import get_messages
    from django.test import Client
    from django.urls import reverse

    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "TIME_BUDGET": budget}
    user = User.objects.create_user("runner", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_checkrun", "run_checks"]))
    client = Client()
    client.force_login(user)
    response = client.post(reverse("admin:deploycheck_run_now"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:deploycheck_checkrun_changelist")
    (message,) = (str(message) for message in get_messages(response.wsgi_request))
    assert "The checks could not run: DEPLOYCHECK['TIME_BUDGET'] is" in message
    assert "deploycheck.E006" in message
    assert heroku.requests == []
