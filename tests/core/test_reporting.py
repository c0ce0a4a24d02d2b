from __future__ import annotations

import json
from datetime import datetime, timezone

from django.core.management.color import color_style
from django.utils import translation

from deploycheck.core import reporting
from deploycheck.core.check import Check, passed
from deploycheck.core.choices import Level, Status, Trigger
from deploycheck.core.deploy_info import DeployInfo
from deploycheck.core.results import Report, Result

STARTED = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)
FINISHED = datetime(2026, 11, 27, 9, 0, 2, tzinfo=timezone.utc)


def make_result(check_id: str, status: Status, level: int | None = None, **extra) -> Result:
    fields = {
        "check_id": check_id,
        "family": extra.pop("family", "django"),
        "title": f"Title of {check_id}",
        "status": status,
        "level": level,
        "message": extra.pop("message", ""),
        "hint": extra.pop("hint", ""),
        "obj": "",
        "message_id": check_id,
        "silenced": False,
        "seconds": 0.001,
        **extra,
    }
    return Result(**fields)


def make_report(results: list[Result]) -> Report:
    deploy = DeployInfo("weareone", "v12", "abc123", "5.2.19", "3.11.7", "0.1.0", "app.settings", "web.1")
    return Report(tuple(results), STARTED, FINISHED, Level.ERROR, Trigger.COMMAND, deploy, {"tags": [], "checks": []})


REPORT = make_report(
    [
        make_result("security.W001", Status.PASSED),
        make_result("security.W018", Status.FAILED, Level.WARNING, message="DEBUG on", hint="Turn it off."),
        make_result("mail.E001", Status.FAILED, Level.ERROR, message="console backend"),
        make_result("security.W004", Status.FAILED, Level.WARNING, message="no HSTS", silenced=True),
        make_result("project.oracle", Status.ERROR, message="the oracle is down", family="project"),
        make_result("project.maybe", Status.SKIPPED, message="not configured", family="project"),
    ]
)


def result_ids(lines: list[str]) -> list[str]:
    # Result lines are indented by two spaces, their details by six; failures show a level column.
    rows = [line.split() for line in lines if line.startswith("  ") and not line.startswith("      ")]
    return [row[2] if row[0] == "failed" else row[1] for row in rows]


def test_text_puts_failures_first_then_errors_silenced_skipped_and_passes():
    lines = reporting.TextRenderer().render(REPORT).splitlines()
    headings = [line for line in lines if line and not line.startswith(" ")]
    # Failures and what could not be evaluated are counted apart; a silenced failure is neither.
    assert headings[:2] == [
        "django: 4 results, 2 failed, 0 not evaluated",
        "project: 2 results, 0 failed, 1 not evaluated",
    ]
    assert result_ids(lines) == [
        "mail.E001",
        "security.W018",
        "security.W004",
        "security.W001",
        "project.oracle",
        "project.maybe",
    ]
    assert "      ?: DEBUG on" in lines
    assert "      HINT: Turn it off." in lines
    assert lines[-1] == (
        "FAILED (fail level ERROR) - 6 results: 1 passed, 3 failed, 1 skipped, 1 not evaluated, 1 silenced; not saved."
    )


def test_quiet_keeps_only_what_needs_attention():
    lines = reporting.TextRenderer(quiet=True).render(REPORT).splitlines()
    assert result_ids(lines) == ["mail.E001", "security.W018", "project.oracle"]


def test_text_is_coloured_like_django(monkeypatch):
    monkeypatch.setenv("DJANGO_COLORS", "")
    rendered = reporting.TextRenderer(color_style(force_color=True)).render(REPORT)
    assert "\x1b[" in rendered


def test_text_in_french():
    with translation.override("fr"):
        lines = reporting.TextRenderer().render(REPORT).splitlines()
    assert lines[0] == "django : 4 résultats, 2 échoués, 0 non évalué"
    assert lines[-1].startswith(
        "ÉCHOUÉE (niveau d'échec ERROR) - 6 résultats : 1 réussi, 3 échoués, 1 ignoré, 1 non évalué, 1 en sourdine"
    )
    # The verdict and what became of the run agree with "une exécution".
    assert lines[-1].endswith("; non enregistrée.")
    # Columns stay aligned though "non évalué" is longer than any English status.
    rows = [line for line in lines if line.startswith("  ") and not line.startswith("      ")]
    ids = [result.message_id for result in REPORT.results]
    assert len({next(row.index(f" {id_} ") for id_ in ids if f" {id_} " in row) for row in rows}) == 1


def test_junit_hints_in_the_readers_language():
    with translation.override("fr"):
        rendered = reporting.render_junit(REPORT)
    assert "CONSEIL : Turn it off." in rendered
    assert "HINT:" not in rendered


def test_json_document():
    document = json.loads(reporting.render_json(REPORT))
    assert document["schema"] == 1
    run = document["run"]
    assert run["id"] is None
    assert (run["outcome"], run["exit_status"], run["trigger"]) == ("failed", 1, "command")
    assert run["counts"] == {"total": 6, "passed": 1, "failed": 3, "skipped": 1, "error": 1, "silenced": 1}
    assert run["duration_seconds"] == 2.0
    assert (run["heroku_app"], run["release_version"], run["commit"]) == ("weareone", "v12", "abc123")
    assert run["versions"] == {"django": "5.2.19", "python": "3.11.7", "deploycheck": "0.1.0"}
    first = document["results"][1]
    assert first == {
        "id": "security.W018",
        "check": "security.W018",
        "family": "django",
        "title": "Title of security.W018",
        "status": "failed",
        "level": "WARNING",
        "message": "DEBUG on",
        "hint": "Turn it off.",
        "obj": None,
        "silenced": False,
        "app": None,
        "doc_url": None,
        "duration_seconds": 0.001,
        "details": {},
    }


def test_json_gives_the_words_of_code_without_its_backticks():
    result = make_result(
        "heroku.preboot",
        Status.FAILED,
        Level.WARNING,
        family="heroku",
        message="Not on: see `heroku features -a weareone`.",
        hint="Turn preboot on: `heroku features:enable preboot -a weareone`.",
    )
    [entry] = json.loads(reporting.render_json(make_report([result])))["results"]
    assert entry["message"] == "Not on: see heroku features -a weareone."
    assert entry["hint"] == "Turn preboot on: heroku features:enable preboot -a weareone."
    check = Check("heroku.x", "heroku", "X", lambda facts: passed(), Level.WARNING, hint="Run `heroku x`.")
    assert reporting.catalogue_as_dicts([check])[0]["hint"] == "Run heroku x."
    # The text report for people in a terminal keeps the backticks, as compilers' messages do.
    assert "HINT: Turn preboot on: `heroku features:enable preboot -a weareone`." in reporting.TextRenderer().render(
        make_report([result])
    )


def make_check(check_id: str, family: str = "django") -> Check:
    return Check(check_id, family, f"Title of {check_id}", lambda facts: passed(), Level.WARNING, hint="Fix it.")


def test_catalogue_table_and_json():
    checks = [make_check("security.W001"), make_check("project.long_identifier", "project")]
    assert reporting.render_catalogue(checks).splitlines() == [
        "security.W001            django   WARNING  Title of security.W001",
        "project.long_identifier  project  WARNING  Title of project.long_identifier",
    ]
    [entry, _other] = reporting.catalogue_as_dicts(checks)
    assert entry["tags"] == ["django"]
    assert entry["hint"] == "Fix it."
