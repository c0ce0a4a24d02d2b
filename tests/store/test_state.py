"""An app's state: each check as its latest evaluation left it, read the same by every surface."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deploycheck.core.choices import Level, Outcome, Status, Trigger
from deploycheck.models import CheckResult, CheckRun
from deploycheck.store.state import WINDOW, state_of, states
from tests.web.test_overview import START

pytestmark = pytest.mark.django_db

TOKEN = "status-token-for-tests-0123456789abcdef"
FULL: dict[str, list[str]] = {"tags": [], "checks": []}
SECURITY_ONLY = {"tags": ["security"], "checks": []}


def run_of(app: str, minutes: int, statuses: dict[str, str], selection: dict[str, list[str]], outcome: str) -> CheckRun:
    started = START + timedelta(minutes=minutes)
    run = CheckRun.objects.create(
        started_at=started,
        finished_at=started + timedelta(seconds=2),
        duration=timedelta(seconds=2),
        trigger=Trigger.RELEASE,
        outcome=outcome,
        fail_level=Level.WARNING,
        selection=selection,
        heroku_app=app,
        failed_count=sum(status == Status.FAILED for status in statuses.values()),
        passed_count=sum(status == Status.PASSED for status in statuses.values()),
        django_version="5.2",
        python_version="3.12",
        deploycheck_version="0.1.0",
    )
    CheckResult.objects.bulk_create(
        CheckResult(
            run=run,
            check_id=check_id,
            message_id=check_id,
            family="django",
            title=check_id,
            status=status,
            level=Level.WARNING if status == Status.FAILED else None,
            duration=timedelta(milliseconds=1),
        )
        for check_id, status in statuses.items()
    )
    return run


@pytest.fixture
def full_then_partial() -> tuple[CheckRun, CheckRun]:
    """Production fails security.W018 in a full run; a release phase's --tag security run then passes."""
    full = run_of("production", 0, {"security.W018": Status.FAILED, "security.W004": Status.PASSED}, FULL, "failed")
    partial = run_of("production", 10, {"security.W004": Status.PASSED}, SECURITY_ONLY, Outcome.PASSED)
    return full, partial


def test_a_partial_run_leaves_what_it_did_not_evaluate_as_it_was(full_then_partial):
    full, partial = full_then_partial
    state = state_of("production")
    assert state is not None
    assert (state.latest, state.oldest, state.composed) == (partial, full, True)
    assert {(row.check_id, row.run_id) for row in state.rows} == {
        ("security.W018", full.pk),
        ("security.W004", partial.pk),
    }
    assert (state.outcome, state.passed, state.verdict) == (Outcome.FAILED, False, "failed")
    assert state.counts() == {"total": 2, "passed": 1, "failed": 1, "skipped": 0, "error": 0, "silenced": 0}


def test_a_check_evaluated_again_takes_its_new_state(full_then_partial):
    _full, partial = full_then_partial
    again = run_of(
        "production", 20, {"security.W018": Status.PASSED}, {"tags": [], "checks": ["security.W018"]}, "passed"
    )
    state = state_of("production")
    assert state is not None
    # Nothing rests on the full run any more: security.W004 was evaluated again by the partial run.
    assert (state.passed, state.oldest, state.composed) == (True, partial, True)
    assert {row.run_id for row in state.rows} == {again.pk, partial.pk}


def test_a_full_run_sets_every_check(full_then_partial):
    latest = run_of("production", 30, {"security.W018": Status.PASSED}, FULL, Outcome.PASSED)
    state = state_of("production")
    assert state is not None
    # A check the full run did not report (gone from the catalogue) is no longer part of the state.
    assert (state.composed, state.oldest, [row.check_id for row in state.rows]) == (False, latest, ["security.W018"])


def test_apps_are_apart(full_then_partial):
    run_of("staging", 5, {"security.W018": Status.PASSED}, FULL, Outcome.PASSED)
    assert {state.app: state.passed for state in states()} == {"production": False, "staging": True}


def test_every_surface_says_the_app_fails(full_then_partial, settings):
    full, partial = full_then_partial
    settings.DEPLOYCHECK = {"OSV_API_URL": None, "STATUS_TOKEN": TOKEN}
    reader = Client(headers={"Authorization": f"Bearer {TOKEN}"})
    status = reader.get("/deploycheck/status.json")
    assert status.status_code == 503
    [app] = status.json()["apps"]
    assert (app["passed"], app["outcome"], app["run_id"]) == (False, "failed", partial.pk)
    assert app["latest_run"] == {"id": partial.pk, "outcome": "passed", "partial": True, "selection": SECURITY_ONLY}
    assert app["oldest_evaluation"]["run_id"] == full.pk
    metrics = reader.get("/deploycheck/metrics").content.decode()
    assert 'deploycheck_passed{app="production"} 0' in metrics
    assert 'deploycheck_latest_run_passed{app="production"} 1' in metrics
    assert 'deploycheck_results{app="production",status="failed"} 1' in metrics
    badge = reader.get("/deploycheck/badge.svg", {"app": "production"}).content.decode()
    assert "deploycheck for production: failed" in badge
    admin = Client()
    admin.force_login(User.objects.create_superuser("admin", password="pw"))
    runs_list = admin.get(reverse("admin:deploycheck_checkrun_changelist")).content.decode()
    assert "Partial run (tags: security)" in runs_list
    card = runs_list[runs_list.index('id="deploycheck-app-states"') :]
    assert 'class="deploycheck-badge deploycheck-failed"' in card.split("</section>")[0]
    assert f"run {full.pk}," in card
    run_page = admin.get(reverse("admin:deploycheck_checkrun_change", args=[partial.pk])).content.decode()
    assert 'id="deploycheck-selection"' in run_page
    not_checked = run_page[run_page.index('id="deploycheck-not-checked"') :].split("</tr>")[0]
    assert "security.W018" in not_checked
    assert "Fixed</th><td>none" in run_page.replace("\n", "")


def test_the_state_takes_a_few_queries_whatever_the_partial_runs(full_then_partial):
    with CaptureQueriesContext(connection) as one:
        states()
    for minutes in range(11, 11 + WINDOW + 5):
        run_of("production", minutes, {"security.W004": Status.PASSED}, SECURITY_ONLY, Outcome.PASSED)
    with CaptureQueriesContext(connection) as many:
        found = states()
    # Two queries when the latest run is full or follows a full one; two more to look further back.
    assert (len(one), len(many)) == (2, 4)
    # Beyond WINDOW runs back, the full run is out of reach: the state rests on what is within it.
    assert not any(row.check_id == "security.W018" for row in found[0].rows)
