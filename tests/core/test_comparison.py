"""The comparison with the previous run: what changed, told truthfully; a check's history, one app at a time."""

from __future__ import annotations

from dataclasses import replace

from deploycheck.core.choices import Level, Status
from deploycheck.core.comparison import Comparison, compare
from deploycheck.core.results import Result


def result(check_id: str, status: str = Status.FAILED, **fields: object) -> Result:
    fields.setdefault("level", Level.ERROR if status == Status.FAILED else None)
    return Result(check_id=check_id, family="heroku", title=check_id, status=status, **fields)  # type: ignore[arg-type]


def ids(results: list[Result]) -> list[str]:
    return [f"{result.message_id or result.check_id} [{result.app or ''}] {result.obj}".strip() for result in results]


def test_failing_fixed_and_still_failing():
    before = [result("a"), result("b"), result("c", Status.PASSED)]
    now = [result("a"), result("b", Status.PASSED), result("c")]
    comparison = compare(now, before)
    assert ids(comparison.still_failing) == ["a []"]
    assert ids(comparison.fixed) == ["b []"]
    assert ids(comparison.newly_failing) == ["c []"]
    assert comparison.newly_not_evaluated == comparison.evaluated_again == []


def test_a_check_that_could_not_be_evaluated_is_never_failing_or_fixed():
    before = [result("heroku.error_pages"), result("http.hsts", Status.PASSED)]
    now = [result("heroku.error_pages", Status.ERROR), result("http.hsts", Status.ERROR)]
    comparison = compare(now, before)
    assert comparison.newly_failing == comparison.fixed == comparison.still_failing == []
    assert ids(comparison.newly_not_evaluated) == ["heroku.error_pages []", "http.hsts []"]
    # The other way round: evaluated again, once per check, whatever it found.
    back = compare(before, now)
    assert back.newly_failing == back.fixed == back.still_failing == back.newly_not_evaluated == []
    assert ids(back.evaluated_again) == ["heroku.error_pages []", "http.hsts []"]
    assert [found.status for found in back.evaluated_again] == [Status.FAILED, Status.PASSED]


def test_not_evaluated_in_both_runs_is_not_news():
    assert not compare([result("a", Status.ERROR)], [result("a", Status.ERROR)])
    # A status written by a newer version is not evaluated as far as this version can tell.
    assert ids(compare([result("a", "deferred")], [result("a", Status.PASSED)]).newly_not_evaluated) == ["a []"]


def test_a_failure_no_longer_judged_is_not_fixed():
    before = [result("a"), result("b")]
    # a is skipped now, b silenced: neither passed, so neither is fixed.
    now = [result("a", Status.SKIPPED), result("b", silenced=True)]
    assert not compare(now, before)
    # Not evaluated at all now (a partial run): not fixed, but said to be not checked.
    nothing = compare([], before)
    assert [result.check_id for result in nothing.not_checked] == ["a", "b"]
    assert not replace(nothing, not_checked=[])


def test_a_changed_value_is_still_failing_with_the_change():
    before = [result("heroku.postgres_ha", message="essential-0 has no standby.")]
    now = [result("heroku.postgres_ha", message="standard-0 has no standby.")]
    comparison = compare(now, before)
    assert (comparison.newly_failing, comparison.fixed) == ([], [])
    [(still, was)] = comparison.still_failing_with_change
    assert (str(was.message) if was else "", str(still.message)) == (
        "essential-0 has no standby.",
        "standard-0 has no standby.",
    )


def test_silenced_failures_are_not_failing():
    comparison = compare([result("a", silenced=True)], [])
    assert comparison == Comparison()


def test_repeated_ids_are_told_apart_by_app_and_object():
    def finding(app: str, obj: str, status: str = Status.FAILED) -> Result:
        return result("heroku.dyno_size", status, message_id="heroku.dyno_size", app=app, obj=obj)

    before = [finding("prod", "web"), finding("prod", "worker"), finding("staging", "web", Status.PASSED)]
    now = [finding("prod", "web"), finding("prod", "worker", Status.PASSED), finding("staging", "web")]
    comparison = compare(now, before)
    assert ids(comparison.still_failing) == ["heroku.dyno_size [prod] web"]
    assert ids(comparison.fixed) == ["heroku.dyno_size [prod] worker"]
    assert ids(comparison.newly_failing) == ["heroku.dyno_size [staging] web"]


def test_most_severe_first():
    now = [result("a", level=Level.WARNING), result("b", level=Level.CRITICAL), result("c")]
    assert ids(compare(now, []).newly_failing) == ["b []", "c []", "a []"]
