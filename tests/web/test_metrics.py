"""metrics: OpenMetrics for Prometheus, the text format 0.0.4 for anyone else, behind the token."""

from __future__ import annotations

import re

import pytest

from deploycheck.core.choices import Outcome, Status
from deploycheck.models import CheckRun
from deploycheck.web.metrics import label_value, wants_openmetrics
from tests.web.test_overview import stored_run
from tests.web.test_status import TOKEN, reader

pytestmark = pytest.mark.django_db

METRICS = "/deploycheck/metrics"
# What Prometheus 2.x and 3.x send.
PROMETHEUS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
)
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL_VALUE = r'"(?:[^"\\\n]|\\[\\"n])*"'
LABELS = rf"\{{(?:[a-zA-Z_][a-zA-Z0-9_]*={LABEL_VALUE}(?:,[a-zA-Z_][a-zA-Z0-9_]*={LABEL_VALUE})*)?\}}"
NUMBER = r"-?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|NaN|[+-]?Inf)"
SAMPLE = re.compile(rf"({NAME})({LABELS})? ({NUMBER})")
DESCRIPTOR = re.compile(rf"# (TYPE|UNIT|HELP) ({NAME}) (.+)")


@pytest.fixture
def token(settings) -> str:
    settings.DEPLOYCHECK = {"OSV_API_URL": None, "STATUS_TOKEN": TOKEN}
    return TOKEN


def strictly_parsed(text: str, openmetrics: bool) -> dict[str, dict[str, float]]:
    """Every line well formed, each sample in its declared family, once; # EOF last in OpenMetrics."""
    assert text.endswith("\n")
    lines = text[:-1].split("\n")
    if openmetrics:
        assert lines.pop() == "# EOF"
    else:
        assert "# EOF" not in lines
    families: dict[str, str] = {}
    samples: dict[str, dict[str, float]] = {}
    current = ""
    for line in lines:
        descriptor = DESCRIPTOR.fullmatch(line)
        if descriptor:
            kind, name, rest = descriptor.groups()
            assert name.startswith("deploycheck_")
            if kind == "TYPE":
                assert name not in families, line
                allowed = {"gauge", "info"} if openmetrics else {"gauge"}
                assert rest in allowed, line
                families[name], current = rest, name
            else:
                assert name == current, line
            if kind == "UNIT":
                assert openmetrics, line
                assert name.endswith(f"_{rest}"), line
            continue
        sample = SAMPLE.fullmatch(line)
        assert sample, line
        name, labels, value = sample.groups()
        assert name == (f"{current}_info" if families[current] == "info" else current), line
        assert (labels or "") not in samples.setdefault(name, {}), line
        samples[name][labels or ""] = float(value)
    return samples


def test_closed_and_refused_as_status_json(settings):
    assert reader().get(METRICS).status_code == 404
    settings.DEPLOYCHECK = {"OSV_API_URL": None, "STATUS_TOKEN": TOKEN}
    assert reader(None).get(METRICS).status_code == 401
    assert reader("Bearer nope").get(METRICS).status_code == 403


def test_openmetrics_for_prometheus(token):
    stored_run("shop", {"a": Status.PASSED}, 0)
    run = stored_run("shop", {"a": Status.FAILED}, 10, Outcome.FAILED)
    CheckRun.objects.filter(pk=run.pk).update(passed_count=5, failed_count=1, silenced_count=2)
    stored_run("", {"a": Status.PASSED}, 20, Outcome.INTERRUPTED)
    response = reader().get(METRICS, headers={"Accept": PROMETHEUS_ACCEPT})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert {"Accept", "Authorization"} <= {part.strip() for part in response["Vary"].split(",")}
    samples = strictly_parsed(response.content.decode(), openmetrics=True)
    results = samples["deploycheck_latest_run_results"]
    assert results['{app="shop",status="passed"}'] == 5
    assert results['{app="shop",status="failed"}'] == 1
    assert results['{app="shop",status="silenced"}'] == 2
    assert results['{app="",status="error"}'] == 0
    assert len(results) == 10
    assert samples["deploycheck_latest_run_passed"] == {'{app="shop"}': 0, '{app=""}': 0}
    age = samples["deploycheck_latest_run_age_seconds"]['{app="shop"}']
    assert 10 * 86400 - 3600 < age < 10 * 86400
    finished = samples["deploycheck_latest_run_timestamp_seconds"]['{app="shop"}']
    assert finished == round(run.finished_at.timestamp(), 3)
    assert samples["deploycheck_latest_run_info"] == {
        '{app="shop",outcome="failed",fail_level="ERROR",release="v10"}': 1,
        '{app="",outcome="interrupted",fail_level="ERROR",release="v20"}': 1,
    }
    text = response.content.decode()
    assert "# UNIT deploycheck_latest_run_age_seconds seconds\n" in text
    assert "# TYPE deploycheck_latest_run info\n" in text


def test_the_text_format_for_anyone_else(token):
    stored_run("shop", {"a": Status.PASSED}, 0)
    for accept in (None, "*/*", "text/plain", "application/openmetrics-text;q=0"):
        headers = {"Accept": accept} if accept else {}
        response = reader().get(METRICS, headers=headers)
        assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        samples = strictly_parsed(response.content.decode(), openmetrics=False)
        assert samples["deploycheck_latest_run_passed"] == {'{app="shop"}': 1}
        assert "# UNIT" not in response.content.decode()
        assert "# TYPE deploycheck_latest_run_info gauge\n" in response.content.decode()


def test_no_run_gives_the_families_and_no_sample(token):
    response = reader().get(METRICS, headers={"Accept": PROMETHEUS_ACCEPT})
    assert strictly_parsed(response.content.decode(), openmetrics=True) == {}


def test_a_hostile_app_name_is_escaped(token):
    hostile = 'evil"} 1\n# EOF\\'
    stored_run(hostile, {"a": Status.PASSED}, 0)
    response = reader().get(METRICS, headers={"Accept": PROMETHEUS_ACCEPT})
    samples = strictly_parsed(response.content.decode(), openmetrics=True)
    assert samples["deploycheck_latest_run_passed"] == {'{app="evil\\"} 1\\n# EOF\\\\"}': 1}
    assert label_value(hostile) == 'evil\\"} 1\\n# EOF\\\\'


def test_prometheus_client_reads_both_formats(token):
    parser = pytest.importorskip("prometheus_client.openmetrics.parser")
    text_parser = pytest.importorskip("prometheus_client.parser")
    stored_run("shop", {"a": Status.PASSED}, 0)
    stored_run('odd"app\\', {"a": Status.PASSED}, 5, Outcome.ERROR)
    openmetrics = reader().get(METRICS, headers={"Accept": PROMETHEUS_ACCEPT}).content.decode()
    families = {family.name: family for family in parser.text_string_to_metric_families(openmetrics)}
    assert families["deploycheck_latest_run"].type == "info"
    assert families["deploycheck_latest_run_age_seconds"].unit == "seconds"
    passed = {sample.labels["app"]: sample.value for sample in families["deploycheck_latest_run_passed"].samples}
    assert passed == {"shop": 1, 'odd"app\\': 0}
    plain = reader().get(METRICS).content.decode()
    names = {family.name for family in text_parser.text_string_to_metric_families(plain)}
    assert "deploycheck_latest_run_results" in names


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (PROMETHEUS_ACCEPT, True),
        ("application/openmetrics-text", True),
        ("Application/OpenMetrics-Text; version=1.0.0; q=0.9", True),
        ("application/openmetrics-text; q=0", False),
        ("application/openmetrics-text; q=nonsense", False),
        ("text/plain;version=0.0.4", False),
        ("", False),
    ],
)
def test_what_asks_for_openmetrics(accept, expected):
    assert wants_openmetrics(accept) is expected
