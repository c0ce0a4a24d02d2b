"""Fir seen whole: the generation read as Heroku's CLI reads it, and logs that leave by the space's drain."""

from __future__ import annotations

from typing import Any

import pytest

from deploycheck.core.choices import Status
from deploycheck.families.heroku import checks
from deploycheck.families.heroku.resources import RESOURCES
from tests.families.findings import PASS, SKIP, statuses
from tests.families.heroku.facts import addons, app_facts, fir, raw
from tests.heroku_fake import fir_app, healthy_app

FAIL = [(Status.FAILED, None)]


def details(**fields: Any) -> Any:
    return RESOURCES["heroku.app"].reduce({**healthy_app("weareone")["/apps/weareone"], **fields})


@pytest.mark.parametrize(
    ("generation", "expected"),
    [
        ({"id": "g", "name": "fir"}, "fir"),  # the schema's object
        ({"name": "Fir"}, "fir"),
        ("fir", "fir"),  # a bare name, as some answers give it
        ({"name": "cedar"}, "cedar"),
        ("cedar", "cedar"),
        (None, "cedar"),  # apps made before generations were reported
        ({}, "cedar"),
        (42, "cedar"),
    ],
)
def test_generation_is_read_as_herokus_cli_reads_it(generation, expected):
    assert details(generation=generation)["generation"] == expected


@pytest.mark.parametrize(
    ("space", "expected"),
    [
        ({"id": "0b2e", "name": "weareone-eu", "shield": False}, "weareone-eu"),
        ({"id": "0b2e"}, "0b2e"),
        ("weareone-eu", "weareone-eu"),
        (None, None),
        ({}, None),
    ],
)
def test_the_space_is_kept_by_name_or_id(space, expected):
    assert details(space=space)["space"] == expected


def test_a_fir_app_with_only_its_spaces_drain_is_monitored():
    facts = app_facts(fir())
    assert facts.is_fir
    assert facts["telemetry_drains"] == ()
    finding = checks.check_log_monitoring(facts)
    assert statuses(finding) == PASS
    assert str(finding.message) == "otel.example.net, through the telemetry drains of the space weareone-eu"


def test_a_fir_app_with_its_own_drain_is_monitored_whatever_its_space_says():
    own = [{"id": "t", "signals": ["traces", "LOGS"], "exporter": {"endpoint": "https://logs.example.org/v1"}}]
    answers = fir(telemetry_drains=own)
    del answers["/spaces/weareone-eu/telemetry-drains"]
    facts = app_facts(answers, space_telemetry_drains="cannot read the telemetry drains of the space weareone-eu")
    assert checks.check_log_monitoring(facts).message == "logs.example.org"


def test_a_fir_app_whose_drains_carry_no_logs_fails():
    traces = [{"id": "t", "signals": ["traces", "metrics"], "exporter": {"endpoint": "https://otel.example.net"}}]
    answers = fir(telemetry_drains=traces)
    answers["/spaces/weareone-eu/telemetry-drains"] = traces
    assert statuses(checks.check_log_monitoring(app_facts(answers))) == FAIL
    answers["/spaces/weareone-eu/telemetry-drains"] = []
    assert statuses(checks.check_log_monitoring(app_facts(answers))) == FAIL


def test_a_fir_app_errs_only_when_the_unreadable_drains_could_have_made_it_pass():
    unreadable = "cannot read the telemetry drains of the space weareone-eu: HTTP 403"
    finding = checks.check_log_monitoring(app_facts(fir(), space_telemetry_drains=unreadable))
    assert finding.status == Status.ERROR
    assert str(finding.message) == unreadable
    # Log drains are Cedar's: that they cannot be read on Fir changes nothing.
    assert statuses(checks.check_log_monitoring(app_facts(fir(), log_drains="HTTP 404"))) == PASS


def test_a_fir_app_outside_a_space_reads_no_space():
    app = {**fir_app("weareone", space="weareone-eu")["/apps/weareone"], "space": None}
    facts = app_facts(fir(app=app))
    assert facts["space_telemetry_drains"] == ()
    assert statuses(checks.check_log_monitoring(facts)) == FAIL


def test_a_cedar_app_keeps_its_log_drains():
    no_logging = addons("heroku-postgresql:premium-0")
    assert checks.check_log_monitoring(app_facts(raw(addons=no_logging))).message == "papertrail-a1"
    assert statuses(checks.check_log_monitoring(app_facts(raw(addons=no_logging, log_drains=[])))) == FAIL


def test_the_rest_of_a_healthy_fir_app():
    facts = app_facts(fir())
    assert statuses(checks.check_stack(facts)) == PASS  # cnb
    assert statuses(checks.check_error_pages(facts)) == SKIP
    assert statuses(checks.check_preboot(facts)) == SKIP
    assert statuses(checks.check_dyno_tier(facts)) == PASS
