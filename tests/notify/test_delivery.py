"""Delivering webhooks to real receivers on loopback: down, hanging, failing then answering."""

from __future__ import annotations

import logging
import shutil
import threading
import time

import pytest
from pytest_httpserver import HTTPServer

from deploycheck import runner
from deploycheck.notify import delivery
from deploycheck.notify.delivery import Delivery, deliver
from tests.webhook_receivers import SECRET, down_receiver, hanging_receiver

pytestmark = pytest.mark.django_db

HOOK_PATH = f"/services/T0/B2/{SECRET}"


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "deploycheck"]


def test_a_receiver_that_fails_then_answers_gets_the_message_on_a_retry(httpserver: HTTPServer, caplog):
    httpserver.expect_oneshot_request(HOOK_PATH, method="POST").respond_with_data("busy", status=500)
    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_data("ok")
    sent = Delivery("DEPLOYCHECK['WEBHOOKS'][0]", httpserver.url_for(HOOK_PATH), b'{"text": "hello"}')
    deliver([sent])
    assert sent.delivered
    assert [request.get_data() for request, _ in httpserver.log] == [b'{"text": "hello"}'] * 2
    assert [response.status_code for _, response in httpserver.log] == [500, 200]
    assert httpserver.log[0][0].headers["Content-Type"] == "application/json; charset=utf-8"
    assert warnings_of(caplog) == []


def test_a_receiver_that_keeps_failing_is_tried_three_times_and_logged_once(httpserver: HTTPServer, caplog):
    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_data("down", status=503)
    deliver([Delivery("DEPLOYCHECK['WEBHOOKS'][0]", httpserver.url_for(HOOK_PATH), b"{}")])
    assert len(httpserver.log) == delivery.ATTEMPTS
    assert warnings_of(caplog) == ["deploycheck could not deliver DEPLOYCHECK['WEBHOOKS'][0]: answered HTTP 503"]


def test_a_refusal_of_the_message_is_not_retried(httpserver: HTTPServer, caplog):
    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_data("no_such_channel", status=404)
    deliver([Delivery("DEPLOYCHECK['WEBHOOKS'][3]", httpserver.url_for(HOOK_PATH), b"{}")])
    assert len(httpserver.log) == 1
    assert warnings_of(caplog) == ["deploycheck could not deliver DEPLOYCHECK['WEBHOOKS'][3]: answered HTTP 404"]


def test_a_receiver_that_is_down_is_logged_on_one_line_without_its_url(caplog):
    with down_receiver() as url:
        deliver([Delivery("DEPLOYCHECK['WEBHOOKS'][0]", url, b"{}")])
    [line] = warnings_of(caplog)
    assert line == "deploycheck could not deliver DEPLOYCHECK['WEBHOOKS'][0]: the connection was refused"
    assert SECRET not in caplog.text


def test_a_hanging_receiver_is_given_up_at_the_bound_and_leaves_nothing_behind(httpserver: HTTPServer, caplog):
    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_data("ok")
    answered = Delivery("DEPLOYCHECK['WEBHOOKS'][1]", httpserver.url_for(HOOK_PATH), b"{}")
    with hanging_receiver() as url:
        started = time.monotonic()
        deliver([Delivery("DEPLOYCHECK['WEBHOOKS'][0]", url, b"{}"), answered], budget=1.0)
        elapsed = time.monotonic() - started
        time.sleep(0.2)
        assert not [thread for thread in threading.enumerate() if thread.name == "deploycheck-webhook"]
    assert 1.0 <= elapsed < 1.8
    assert answered.delivered
    assert warnings_of(caplog) == [
        "deploycheck could not deliver DEPLOYCHECK['WEBHOOKS'][0]: no answer within the 1 s given to webhooks"
    ]


def test_a_run_ends_within_the_bound_whatever_its_webhooks_do(secure_settings, httpserver: HTTPServer, caplog):
    """The whole run, timed: a hanging receiver delays it by the bound at most, a dead one not at all."""
    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_data("ok")
    runner.execute()
    started = time.monotonic()
    runner.execute()
    without_webhooks = time.monotonic() - started
    with hanging_receiver() as hanging, down_receiver() as down:
        secure_settings.DEPLOYCHECK = {
            **secure_settings.DEPLOYCHECK,
            "WEBHOOKS": [
                {"url": hanging, "events": ["run"]},
                {"url": down, "events": ["run"]},
                {"url": httpserver.url_for(HOOK_PATH), "events": ["run"]},
            ],
        }
        caplog.set_level(logging.WARNING, logger="deploycheck")
        started = time.monotonic()
        report = runner.execute()
        elapsed = time.monotonic() - started
    print(f"run without webhooks {without_webhooks:.2f} s, with a hanging one {elapsed:.2f} s")
    assert elapsed < without_webhooks + delivery.DELIVERY_BUDGET + 1.0
    assert report.run is not None
    assert report.exit_status == runner.EXIT_OK
    assert len(httpserver.log) == 1
    assert warnings_of(caplog) == [
        "deploycheck could not deliver DEPLOYCHECK['WEBHOOKS'][0]: no answer within the 5 s given to webhooks",
        "deploycheck could not deliver DEPLOYCHECK['WEBHOOKS'][1]: the connection was refused",
    ]
    assert SECRET not in caplog.text


@pytest.mark.slow
def test_the_command_exits_within_the_bound_when_its_webhook_hangs(manage, tmp_path, migrated_template):
    shutil.copyfile(migrated_template, tmp_path / "db.sqlite3")
    started = time.monotonic()
    plain = manage("deploycheck", "--tag", "security")
    without_webhooks = time.monotonic() - started
    with hanging_receiver() as url:
        started = time.monotonic()
        hooked = manage("deploycheck", "--tag", "security", env={"CLI_PROFILE": "webhooks", "CLI_WEBHOOK_URL": url})
        elapsed = time.monotonic() - started
    print(f"command without webhooks {without_webhooks:.2f} s, with a hanging one {elapsed:.2f} s")
    assert hooked.returncode == plain.returncode
    assert elapsed < without_webhooks + delivery.DELIVERY_BUDGET + 2.0
    warning = "deploycheck could not deliver DEPLOYCHECK['WEBHOOKS'][0]: no answer within the 5 s given to webhooks"
    assert hooked.stderr.splitlines().count(warning) == 1
    assert SECRET not in hooked.stdout + hooked.stderr
