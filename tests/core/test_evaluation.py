"""Evaluating is pure: the whole catalogue is evaluated from gathered facts alone."""

from __future__ import annotations

import socket

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from deploycheck.conf import run_targets
from deploycheck.core import gathering
from deploycheck.core.catalogue import catalogue
from deploycheck.core.check import Check, Facts, failed, passed
from deploycheck.core.choices import Level, Status
from deploycheck.core.evaluation import evaluate, evaluate_one
from deploycheck.core.gathering import gather
from deploycheck.core.results import Result

pytestmark = pytest.mark.django_db

STAGING = "weareone-staging"


def no_network(*args, **kwargs):
    raise AssertionError("a check opened a connection while evaluating")


def verdicts(results) -> list[tuple[str, str | None, str, str, str]]:
    return sorted((r.message_id, r.app, r.obj, r.status, str(r.message)) for r in results)


def test_the_whole_catalogue_is_evaluated_with_the_network_the_database_and_the_settings_taken_away(
    heroku, site, secure_settings, monkeypatch, django_db_blocker
):
    heroku.add_app(STAGING, formation=[{"id": "f9", "type": "web", "quantity": 1, "dyno_size": {"name": "Eco"}}])
    secure_settings.DEPLOYCHECK = {**secure_settings.DEPLOYCHECK, "HEROKU_APPS": ["weareone", STAGING]}
    urls = (site("insecure", "127.0.0.35"),)
    # Every check, the database ones that run only on request included.
    checks = list(catalogue.contents.checks)
    facts = gather(
        {name for check in checks for name in check.requires}, 20, run_targets(urls=urls), catalogue.contents.providers
    )
    silenced = frozenset(django_settings.SILENCED_SYSTEM_CHECKS)
    expected = verdicts(evaluate(checks, facts, silenced))
    assert {status for *_, status, _message in expected} >= {Status.PASSED, Status.FAILED, Status.SKIPPED}
    assert {check.family for check in checks} == {"django", "heroku", "release", "http"}

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    # Settings that would change many verdicts, were a check to read them rather than the facts.
    changed = override_settings(
        DEBUG=True,
        SECRET_KEY="short",
        ALLOWED_HOSTS=[],
        SECURE_PROXY_SSL_HEADER=None,
        SESSION_COOKIE_NAME="other",
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_NAME="other-csrf",
        DEPLOYCHECK={"HEROKU_APPS": ["someone-else"], "URLS": ["https://elsewhere.example/"]},
    )
    with django_db_blocker.block(), changed:
        assert verdicts(evaluate(checks, facts, silenced)) == expected


def test_a_check_that_reaches_for_the_network_while_evaluating_is_an_error(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", no_network)

    def impure(facts: Facts):
        socket.create_connection(("127.0.0.1", 9))
        return failed("unreachable")

    [result] = evaluate_one(Check("tests.impure", "project", "impure", impure, Level.WARNING), Facts(), frozenset())
    assert (result.status, str(result.message)) == (
        Status.ERROR,
        "The check raised AssertionError: a check opened a connection while evaluating",
    )


def test_a_fact_nobody_gathers_is_an_error():
    check = Check("tests.orphan", "project", "orphan", lambda facts: passed(), Level.WARNING, requires=("nobody",))
    [result] = evaluate_one(check, gathering.gather(check.requires, budget=1), frozenset())
    assert (result.status, str(result.message)) == (
        Status.ERROR,
        "Could not gather what this check needs: nothing gathers the fact nobody",
    )


def test_a_check_returning_garbage_is_an_error():
    check = Check("tests.garbage", "project", "garbage", lambda facts: ["not a finding"], Level.WARNING)  # type: ignore[list-item]
    [result] = evaluate_one(check, Facts(), frozenset())
    assert result.status == Status.ERROR


def test_an_empty_list_of_findings_is_a_pass():
    check = Check("tests.nothing", "project", "nothing", lambda facts: [], Level.WARNING)
    [result] = evaluate_one(check, Facts(), frozenset())
    assert result.status == Status.PASSED


def test_failed_level_defaults_to_the_check_level():
    check = Check("tests.fails", "project", "fails", lambda facts: failed("no"), Level.CRITICAL, hint="do this")
    [result] = evaluate_one(check, Facts(), frozenset())
    assert (result.level, result.hint) == (Level.CRITICAL, "do this")


def test_a_pass_is_the_result_its_named_fields_give():
    # A pass is built field by field in order, without Result's own constructor: the same record.
    check = Check(
        "tests.fine", "project", "fine", lambda facts: passed(), Level.WARNING, doc_url="https://example.org/"
    )
    [result] = evaluate_one(check, Facts(), frozenset())
    expected = Result(
        check_id="tests.fine",
        family="project",
        title="fine",
        status=Status.PASSED,
        message_id="tests.fine",
        doc_url="https://example.org/",
        seconds=result.seconds,
    )
    assert type(result) is Result
    assert result._asdict() == expected._asdict()
