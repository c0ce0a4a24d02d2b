"""The run page and the runs list: problems first, a truthful comparison, a verdict, one duration format."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from deploycheck.core import rules
from deploycheck.core.choices import Level, Status, Trigger
from deploycheck.core.deploy_info import DeployInfo
from deploycheck.core.results import Report, Result
from deploycheck.models import CheckRun
from deploycheck.store import saving as storage
from deploycheck.web import display

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:deploycheck_checkrun_changelist")


def result(check_id: str, status: str = Status.FAILED, **fields: object) -> Result:
    fields.setdefault("level", Level.ERROR if status == Status.FAILED else None)
    fields.setdefault("family", "heroku")
    return Result.made_safe(check_id=check_id, title=f"Title of {check_id}", status=status, **fields)


def stored(*results: Result, app: str = "prod", seconds: float = 0.117272, minutes_ago: int = 0) -> CheckRun:
    finished = timezone.now() - timedelta(minutes=minutes_ago)
    deploy = replace(DeployInfo.from_environment(), heroku_app=app)
    report = Report(results, finished - timedelta(seconds=seconds), finished, Level.ERROR, Trigger.API, deploy, {})
    run = storage.store(report).run
    assert run is not None
    return run


def viewer() -> Client:
    user = User.objects.filter(username="viewer").first() or User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_checkrun"))
    client = Client()
    client.force_login(user)
    return client


def page_of(run: CheckRun, language: str = "en") -> str:
    url = reverse("admin:deploycheck_checkrun_change", args=[run.pk])
    return viewer().get(url, headers={"accept-language": language}).content.decode()


def test_durations_read_one_way_in_each_language():
    assert display.duration_text(timedelta(microseconds=117272)) == "0.12 s"
    assert display.duration_text(65.4) == "1 min 5 s"
    assert display.duration_text(59.999) == "1 min 0 s"
    assert display.duration_text(3723) == "1 h 2 min"
    with translation.override("fr"):
        assert display.duration_text(0.117272) == "0,12 s"


def test_backticks_in_hints_are_code_and_everything_else_is_escaped():
    hint = "Set `DEBUG = False` <script>alert(1)</script> or `<b>`"
    assert display.code_spans(hint) == (
        "Set <code>DEBUG = False</code> &lt;script&gt;alert(1)&lt;/script&gt; or <code>&lt;b&gt;</code>"
    )
    assert display.code_spans("a ` lone backtick") == "a ` lone backtick"
    # Cut to what a reader sees: the code span is closed, the ellipsis after it.
    assert display.code_spans("Run `heroku ps:scale web=2`.", 12) == "Run <code>heroku </code>…"


# A check that could not be evaluated says how to fix it, its command as code, as a 403 on the config vars does.
NO_SCOPE = (
    "Could not gather what this check needs: cannot read the config vars of weareone-production-eu-west: the token "
    "lacks the "
    "read-protected scope (create one with `heroku authorizations:create -s read-protected`); <b>HTTP 403</b>"
)


def test_code_in_messages_and_hints_is_code_on_the_run_page_and_in_a_checks_history():
    run = stored(
        result("heroku.error_pages", Status.ERROR, message=NO_SCOPE),
        result(
            "heroku.preboot", level=Level.WARNING, hint="Turn preboot on: `heroku features:enable preboot -a prod`."
        ),
    )
    page = page_of(run)
    problems = page.split('id="deploycheck-problems"')[1].split("</table>")[0]
    assert "(create one with <code>heroku authorizations:create -s read-protected</code>)" in problems
    assert "&lt;b&gt;HTTP 403&lt;/b&gt;" in problems
    assert "Turn preboot on: <code>heroku features:enable preboot -a prod</code>." in problems
    assert "`" not in problems
    history = viewer().get(reverse("admin:deploycheck_history", args=["heroku.error_pages"])).content.decode()
    timeline = history.split('id="deploycheck-timeline"')[1]
    # The history shows 200 characters of a message: the cut falls inside the command, which stays code.
    assert "(create one with <code>heroku authorizations:create -s read-prot</code>…</div>" in timeline


def test_a_verdict_says_what_failed_below_the_fail_level():
    run = stored(
        *(result(f"w{index}", level=Level.WARNING) for index in range(6)),
        result("i", level=Level.INFO),
        result("s", level=Level.WARNING, silenced=True),
    )
    assert (
        rules.verdict_of(run.outcome, run.fail_level, stored_results(run))
        == "passed at ERROR, 6 warnings, 1 info message"
    )
    one = stored(result("w", level=Level.WARNING))
    assert rules.verdict_of(one.outcome, one.fail_level, stored_results(one)) == "passed at ERROR, 1 warning"
    failed = stored(result("e"), result("w", level=Level.WARNING))
    assert rules.verdict_of(failed.outcome, failed.fail_level, stored_results(failed)) == "failed"


def stored_results(run: CheckRun) -> list[Result]:
    from deploycheck.store.history import stored_report

    return list(stored_report(run).results)


def test_the_run_page_opens_with_its_problems_and_folds_the_rest():
    run = stored(
        result("a.passes", Status.PASSED),
        result("b.warns", level=Level.WARNING, hint="Use `heroku ps:scale web=2`."),
        result("c.unreachable", Status.ERROR, family="http"),
        result("d.critical", level=Level.CRITICAL, family="django"),
        result("e.skipped", Status.SKIPPED),
        result("f.silenced", silenced=True),
    )
    page = page_of(run)
    problems = page.split('id="deploycheck-problems"')[1].split("</table>")[0]
    assert problems.index("d.critical") < problems.index("b.warns") < problems.index("c.unreachable")
    for folded in ("a.passes", "e.skipped", "f.silenced"):
        assert folded not in problems
    assert page.index('id="deploycheck-problems"') < page.index('id="deploycheck-passed"')
    assert '<details class="module deploycheck-folded" id="deploycheck-passed">' in page
    assert "<summary>1 passed</summary>" in page
    assert "<summary>1 skipped</summary>" in page
    assert "<summary>1 silenced</summary>" in page
    assert "Use <code>heroku ps:scale web=2</code>." in page
    assert "0.12 s" in page
    assert "<script" not in page.split('id="content-main"')[1]


def test_the_verdict_and_the_fail_level_in_the_list_and_on_the_page():
    run = stored(*(result(f"w{index}", level=Level.WARNING) for index in range(6)))
    assert "passed at ERROR, 6 warnings" in page_of(run)
    listing = viewer().get(CHANGELIST).content.decode()
    assert "passed at ERROR, 6 warnings" in listing
    assert '<td class="field-fail_level_name">ERROR</td>' in listing
    assert "0.12 s" in listing


def test_the_comparison_is_against_the_same_app_and_never_counts_not_evaluated_as_failing():
    stored(
        result("heroku.error_pages"),
        result("http.hsts", Status.PASSED),
        result("heroku.dyno_size", obj="web", app="prod"),
        result("heroku.dyno_size", obj="worker", app="prod"),
        minutes_ago=10,
    )
    stored(result("heroku.preboot"), app="staging", minutes_ago=5)  # another app: not the previous run
    run = stored(
        result("heroku.error_pages", Status.ERROR),
        result("http.hsts", Status.ERROR),
        result("heroku.dyno_size", obj="web", app="prod"),
        result("heroku.dyno_size", Status.PASSED, obj="worker", app="prod"),
    )
    page = page_of(run)

    def row(name: str) -> str:
        return page.split(f'id="deploycheck-{name}"')[1].split("</tr>")[0]

    assert "heroku.error_pages" in row("newly-not-evaluated")
    assert "http.hsts" in row("newly-not-evaluated")
    assert "heroku.error_pages" not in row("newly-failing") + row("fixed")
    assert "heroku.preboot" not in page.split('id="deploycheck-comparison"')[1]
    assert "heroku.dyno_size</a> <small>[prod]</small> <small>web</small>" in row("still-failing")
    assert "heroku.dyno_size</a> <small>[prod]</small> <small>worker</small>" in row("fixed")


def test_the_run_page_in_french():
    run = stored(result("e"), result("a", Status.PASSED), result("b", Status.PASSED))
    page = page_of(run, "fr")
    assert "<summary>2 réussis</summary>" in page
    assert f"<title>Exécution {run.pk} (échouée)" in page
    assert "0,12 s" in page
    with translation.override("fr"):
        assert str(run) == f"Exécution {run.pk} (échouée)"
