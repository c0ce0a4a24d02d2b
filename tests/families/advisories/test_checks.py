"""release.security_advisories end to end: installed distributions asked of a fake OSV API over HTTP."""

from __future__ import annotations

import json
import time
from importlib import metadata
from typing import Any

import pytest

from deploycheck import runner
from deploycheck.core import reporting
from deploycheck.core.choices import Level, Status
from deploycheck.core.results import Report, Result
from tests.heroku_fake import TOKEN, Fault, refused_url
from tests.osv_fake import record

pytestmark = pytest.mark.django_db

CHECK = "release.security_advisories"
REQUESTS = metadata.version("requests")
DJANGO = metadata.version("django")


def advisory_results(**options: Any) -> list[Result]:
    report = runner.execute(check_ids=[CHECK], save=False, **options)
    return [result for result in report.results if result.check_id == CHECK]


def only(results: list[Result]) -> Result:
    assert len(results) == 1, [(result.status, str(result.message)) for result in results]
    return results[0]


def test_no_advisory_passes_and_names_how_many_distributions_were_checked(osv):
    result = only(advisory_results())
    assert result.status == Status.PASSED
    installed = len({distribution.name.lower() for distribution in metadata.distributions()})
    assert str(result.message).startswith(f"{installed} installed distributions checked")


def test_a_fixed_advisory_of_an_ordinary_package_fails_at_warning(osv):
    osv.add(record("GHSA-aaaa-bbbb-cccc", "requests", fixed="999.1", aliases=("CVE-2099-0001",), severity="MODERATE"))
    result = only(advisory_results())
    assert (result.status, result.level, result.obj) == (Status.FAILED, Level.WARNING, "requests")
    message = str(result.message)
    for expected in ("requests", REQUESTS, "999.1", "GHSA-aaaa-bbbb-cccc", "CVE-2099-0001"):
        assert expected in message
    assert "https://osv.dev/vulnerability/GHSA-aaaa-bbbb-cccc" in message
    assert result.details["advisories"][0]["severity"] == "MODERATE"


@pytest.mark.parametrize(
    ("severity", "cvss"), [("HIGH", None), ("CRITICAL", None), (None, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")]
)
def test_a_high_or_critical_advisory_fails_at_error(osv, severity, cvss):
    osv.add(record("PYSEC-2099-1", "requests", severity=severity, cvss=cvss))
    result = only(advisory_results())
    assert (result.status, result.level) == (Status.FAILED, Level.ERROR)


def test_any_advisory_of_django_itself_fails_at_error(osv):
    osv.add(record("GHSA-dddd-jjjj-gggg", "Django", fixed="999.0.1", severity="LOW"))
    result = only(advisory_results())
    assert (result.status, result.level, result.obj) == (Status.FAILED, Level.ERROR, "Django")
    assert f"Django {DJANGO} has 1 known vulnerability, fixed in 999.0.1" in str(result.message)


def test_aliases_of_one_vulnerability_are_one_advisory_with_the_worst_rating(osv):
    osv.add(
        record("GHSA-aaaa-bbbb-cccc", "requests", aliases=("CVE-2099-0001", "PYSEC-2099-7"), severity="LOW"),
        record(
            "PYSEC-2099-7",
            "requests",
            aliases=("CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"),
            cvss="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        ),
    )
    result = only(advisory_results())
    assert result.level == Level.ERROR
    assert "has 1 known vulnerability" in str(result.message)
    assert "GHSA-aaaa-bbbb-cccc (CVE-2099-0001, PYSEC-2099-7)" in str(result.message)


def test_an_advisory_no_release_fixes_yet_is_named_but_does_not_fail(osv):
    osv.add(record("GHSA-nofx-nofx-nofx", "requests", fixed=None))
    statuses = {(result.status, result.obj) for result in advisory_results()}
    assert statuses == {(Status.PASSED, ""), (Status.PASSED, "requests")}


def test_an_accepted_advisory_is_shown_as_accepted_with_its_reason(osv, settings):
    osv.add(record("GHSA-aaaa-bbbb-cccc", "requests", aliases=("CVE-2099-0001",), severity="CRITICAL"))
    settings.DEPLOYCHECK = {
        **settings.DEPLOYCHECK,
        "ACCEPTED_ADVISORIES": {"CVE-2099-0001": "We never follow redirects."},
    }
    results = advisory_results()
    accepted = [result for result in results if result.obj == "requests"]
    assert [result.status for result in accepted] == [Status.PASSED]
    assert "is accepted: We never follow redirects." in str(accepted[0].message)
    assert Status.FAILED not in {result.status for result in results}


def test_off_is_skipped_and_asks_nothing(osv, settings):
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "OSV_API_URL": None}
    result = only(advisory_results())
    assert result.status == Status.SKIPPED
    assert "OSV_API_URL" in str(result.message)
    assert osv.requests == []


def test_results_of_several_pages_are_all_read(osv):
    osv.page_size = 2
    osv.add(*(record(f"PYSEC-2099-{number}", "requests") for number in range(5)))
    result = only(advisory_results())
    assert "has 5 known vulnerabilities" in str(result.message)
    # One batch for every package, then one per further page, each with the page token.
    batches = osv.batches()
    assert len(batches) == 3
    assert [query["page_token"] for batch in batches[1:] for query in batch["queries"]] == ["requests:2", "requests:4"]


def test_round_trips_are_few_and_records_are_fetched_concurrently(osv):
    osv.latency = 0.3
    osv.add(*(record(f"PYSEC-2099-{number}", "requests") for number in range(8)))
    started = time.monotonic()
    result = only(advisory_results())
    assert result.status == Status.FAILED
    assert len(osv.batches()) == 1
    assert len([path for method, path, body in osv.requests if path.startswith("/v1/vulns/")]) == 8
    # One batch, then eight records on eight threads: about two latencies, not nine.
    assert time.monotonic() - started < 0.3 * 5


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault(status=500, times=None), "POST /v1/querybatch: HTTP 500"),
        (Fault(status=400, body={"code": 3, "message": "Too many queries."}), "HTTP 400 Too many queries."),
        (Fault(status=200, body="<html>maintenance</html>"), "the answer is not JSON (text/html)"),
        (Fault(status=200, body={"results": []}), "not in OSV's format (at results)"),
        (
            Fault(status=200, body={"results": "\x1b[31m" + "x" * 100_000}),
            "not in OSV's format: a string where a list was expected, at `results`",
        ),
        (Fault(status=200, body=[{"results": []}]), "not in OSV's format: a list where an object was expected"),
        (Fault(status=200, body={"vulns": []}), "not in OSV's format: an object without `results`"),
        (
            Fault(status=200, body={"results": [{"vulns": {"id": "GHSA-aaaa-bbbb-cccc"}}]}),
            "not in OSV's format: an object where a list or null was expected, at `results[0].vulns`",
        ),
        (
            Fault(status=200, body={"results": [{"vulns": [{"id": 7}]}]}),
            "not in OSV's format: an integer where a string was expected, at `results[0].vulns[0].id`",
        ),
    ],
)
def test_an_api_that_fails_or_answers_badly_is_an_error_with_the_reason(osv, fault, expected):
    osv.fail("/v1/querybatch", fault)
    result = only(advisory_results())
    assert result.status == Status.ERROR
    assert expected in str(result.message)
    assert "\x1b" not in str(result.message)


def test_a_record_that_fails_is_an_error_not_a_pass(osv):
    osv.add(record("PYSEC-2099-1", "requests"))
    osv.fail("/v1/vulns/PYSEC-2099-1", Fault(status=404, body={"code": 5, "message": "Bug not found."}))
    result = only(advisory_results())
    assert result.status == Status.ERROR
    assert "GET /v1/vulns/PYSEC-2099-1: HTTP 404 Bug not found." in str(result.message)


@pytest.mark.parametrize(
    ("body", "expected"),
    [(None, "null where an object was expected"), ("results", "a string where an object was expected")],
)
def test_a_batch_answer_that_is_no_object_is_an_error(osv, body, expected):
    osv.answer("/v1/querybatch", body)
    result = only(advisory_results())
    assert result.status == Status.ERROR
    assert f"POST /v1/querybatch: an answer that is not in OSV's format: {expected}" in str(result.message)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"affected": {"package": {"name": "requests"}}}, "an object where a list was expected, at `affected`"),
        ({"aliases": "CVE-2099-1"}, "a string where a list or null was expected, at `aliases`"),
        ({"withdrawn": True}, "a boolean where a string or null was expected, at `withdrawn`"),
        (
            {"affected": [{"ranges": [{"type": "ECOSYSTEM", "events": [{"fixed": 3}]}]}]},
            "an integer where a string was expected, at `affected[0].ranges[0].events[0].fixed`",
        ),
    ],
)
def test_a_record_of_another_shape_is_an_error_not_a_pass(osv, change, expected):
    # A withdrawn flag that is not a date, or ranges that cannot be read, would drop the advisory.
    osv.add(record("PYSEC-2099-1", "requests"))
    osv.answer("/v1/vulns/PYSEC-2099-1", {**record("PYSEC-2099-1", "requests"), **change})
    result = only(advisory_results())
    assert result.status == Status.ERROR
    assert f"GET /v1/vulns/PYSEC-2099-1: an answer that is not in OSV's format: {expected}" in str(result.message)


def test_hostile_ids_are_refused_not_shown(osv):
    osv.fail(
        "/v1/querybatch", Fault(status=200, body={"results": [{"vulns": [{"id": "\x1b]8;;evil\x07GHSA"}]}] * 5000})
    )
    result = only(advisory_results())
    assert result.status == Status.ERROR
    assert "evil" not in str(result.message)


def test_an_unreachable_api_is_an_error(osv, settings):
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "OSV_API_URL": refused_url()}
    result = only(advisory_results())
    assert result.status == Status.ERROR
    assert "the connection was refused" in str(result.message)


def test_a_slow_api_is_an_error_within_the_time_budget(osv):
    osv.fail("/v1/querybatch", Fault(status=200, delay=5.0))
    started = time.monotonic()
    result = only(advisory_results(time_budget=1.0))
    assert time.monotonic() - started < 2.5
    assert result.status == Status.ERROR
    assert "time budget" in str(result.message)


def test_the_check_is_in_the_json_report(osv):
    osv.add(record("GHSA-aaaa-bbbb-cccc", "requests", severity="HIGH"))
    report: Report = runner.execute(check_ids=[CHECK], save=False)
    document = json.loads(reporting.render_json(report))
    [entry] = [result for result in document["results"] if result["check"] == CHECK]
    assert (entry["status"], entry["level"], entry["obj"]) == ("failed", "ERROR", "requests")
    assert entry["details"]["advisories"][0]["url"] == "https://osv.dev/vulnerability/GHSA-aaaa-bbbb-cccc"


@pytest.mark.slow
def test_no_secret_in_any_output_of_the_command(osv, manage, migrated_template, tmp_path):
    import shutil

    osv.add(record("GHSA-aaaa-bbbb-cccc", "requests", severity="HIGH"))
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_template, database)
    secret_key = "planted-secret-key-0123456789-never-shown"
    environment = {"CLI_OSV_API_URL": osv.url, "HEROKU_API_KEY": TOKEN, "SECRET_KEY": secret_key}
    outputs = []
    for output_format in ("text", "json", "junit"):
        completed = manage("deploycheck", "--format", output_format, env=environment)
        assert CHECK in completed.stdout or output_format == "text"
        outputs.append(completed.stdout + completed.stderr)
    assert "GHSA-aaaa-bbbb-cccc" in outputs[1]
    for output in outputs:
        assert TOKEN not in output
        assert secret_key not in output
