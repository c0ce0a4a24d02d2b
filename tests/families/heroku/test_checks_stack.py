"""heroku.stack: Heroku's list of stacks and the dated table, the worse verdict winning."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from deploycheck.core.choices import Level, Status
from deploycheck.core.deferred_text import Message
from deploycheck.families.heroku import checks
from tests.families.findings import PASS, SKIP, WARN, as_list, statuses
from tests.families.heroku.facts import TODAY, app_facts, raw
from tests.heroku_fake import healthy_app

FAIL = [(Status.FAILED, None)]  # at the check's own level, ERROR
UNREADABLE = "cannot read the list of stacks of Heroku: HTTP 500"


def stack_app(name: str | None, stacks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    answers = raw(app={**healthy_app("weareone")["/apps/weareone"], "stack": {"name": name} if name else None})
    if stacks is not None:
        answers["/stacks"] = stacks
    return answers


def listed(*states: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"id": name, "name": name, "state": state, "default": False} for name, state in states]


def check(
    stack: str | None,
    *,
    today: date = TODAY,
    listing: list[dict[str, Any]] | None = None,
    unreadable: bool = False,
) -> Any:
    """heroku.stack for an app on ``stack``, with Heroku's ``listing`` of stacks, or none readable."""
    answers = stack_app(stack, listing)
    facts = app_facts(answers, today=today, stacks=UNREADABLE) if unreadable else app_facts(answers, today=today)
    return checks.check_stack(facts)


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        ("heroku-26", PASS),
        ("Heroku-24", PASS),
        ("heroku-22", WARN),  # its first build in any 30 days fails since 2026-11-01
        ("heroku-20", FAIL),
        ("cedar-14", FAIL),
        ("cnb", PASS),  # Fir: Heroku maintains the images
        ("container", SKIP),
    ],
)
def test_stack_with_the_live_list_and_without(stack, expected):
    assert statuses(check(stack)) == expected
    assert statuses(check(stack, unreadable=True)) == expected


def test_heroku_22_follows_herokus_schedule_of_failing_builds():
    before = check("heroku-22", today=date(2026, 10, 31))
    assert statuses(before) == WARN
    assert str(before.message) == "The heroku-22 stack is deprecated; its end of life is 2027-04-30."
    assert statuses(check("heroku-22", today=date(2026, 10, 31), unreadable=True)) == WARN
    monthly = check("heroku-22", today=date(2026, 11, 1))
    assert statuses(monthly) == WARN
    assert str(monthly.message) == (
        "The heroku-22 stack is deprecated: since 2026-11-01 Heroku fails the first build in any 30 days "
        "on purpose, ahead of its end of life on 2027-04-30."
    )
    weekly = check("heroku-22", today=date(2027, 2, 1))
    assert statuses(weekly) == FAIL
    assert "since 2027-02-01 Heroku fails the first build in any 7 days" in str(weekly.message)
    assert statuses(check("heroku-22", today=date(2027, 3, 31), unreadable=True)) == FAIL
    daily = check("heroku-22", today=date(2027, 4, 1))
    assert statuses(daily) == FAIL
    assert "since 2027-04-01 Heroku fails the first build of each day on purpose" in str(daily.message)
    assert (
        str(check("heroku-22", today=date(2027, 4, 30)).message) == "The heroku-22 stack has reached its end of life."
    )
    with translation.override("fr"):
        assert "7 jours" in str(weekly.message)


def test_heroku_26_has_its_end_of_life():
    assert statuses(check("heroku-26", today=date(2031, 4, 29))) == PASS
    assert statuses(check("heroku-26", today=date(2031, 4, 30))) == FAIL  # whatever Heroku's list still says


def test_fir_stack_is_heroku_maintained():
    finding = check("cnb")
    assert str(finding.message) == "cnb (Fir: Heroku maintains its Cloud Native Buildpacks images)"
    assert statuses(check("container")) == SKIP


@pytest.mark.parametrize("state", ["retired", "deprecated-soon", "unavailable"])
def test_a_listed_stack_in_any_other_state_fails(state):
    finding = check("heroku-30", listing=listed(("heroku-30", state)))
    assert statuses(finding) == FAIL
    assert str(finding.message) == f"Heroku lists the heroku-30 stack as {state}."
    # Even one the table calls supported: Heroku's answer is the newer.
    assert statuses(check("heroku-24", listing=listed(("heroku-24", state)))) == FAIL


@pytest.mark.parametrize("state", ["public", "beta", "Public"])
def test_a_listed_stack_in_a_usable_state_passes(state):
    finding = check("heroku-30", listing=listed(("heroku-30", state)))
    assert statuses(finding) == PASS
    assert str(finding.message) == f"heroku-30 ({state.lower()})"


def test_a_deprecated_stack_warns_and_the_worse_verdict_wins():
    assert statuses(check("heroku-30", listing=listed(("heroku-30", "deprecated")))) == WARN
    # Heroku calls it public, the table knows it has reached its end of life.
    assert statuses(check("heroku-20", listing=listed(("heroku-20", "public")))) == FAIL


def test_an_unknown_stack():
    gone = check("heroku-30", listing=listed(("heroku-24", "public")))
    assert statuses(gone) == FAIL
    assert str(gone.message) == "Heroku does not list the heroku-30 stack any more."
    [unknown] = as_list(check("heroku-30", unreadable=True))
    assert unknown.status == Status.ERROR
    assert str(unknown.message).startswith("The heroku-30 stack is not in deploycheck's table, and cannot read")
    nameless = check(None)
    assert nameless.status == Status.ERROR


def test_the_hint_recommends_heroku_26():
    [declared] = [check for check in checks.FAMILY.checks if check.id == "heroku.stack"]
    assert isinstance(declared.hint, Message)
    assert str(declared.hint) == "Move to the current stack: `heroku stack:set heroku-26 -a <app>`, then deploy."
    assert declared.level == Level.ERROR
