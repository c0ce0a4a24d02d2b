"""What changed between a run and each check's previous evaluation: a pure function of results.

The run page, the text report, the e-mail and the webhooks all word this one comparison
(deploycheck.store.history reads the earlier evaluations it is given).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from deploycheck.core.results import Result
from deploycheck.core.rules import display_key, is_failing, is_judged, is_not_evaluated, unit_of


@dataclass
class Comparison:
    """What changed since the previous run of the same app, each result in at most one list.

    A check that could not be evaluated is never counted as failing or fixed: nobody knows.
    """

    newly_failing: list[Result] = field(default_factory=list)
    fixed: list[Result] = field(default_factory=list)
    still_failing: list[Result] = field(default_factory=list)
    newly_not_evaluated: list[Result] = field(default_factory=list)
    # One result per check, its most telling one, for checks evaluated now and not before.
    evaluated_again: list[Result] = field(default_factory=list)
    # In a partial run: what was failing and this run did not evaluate, as it was last seen.
    not_checked: list[Result] = field(default_factory=list)
    # A failure still failing whose words changed ("essential-0 -> standard-0"): its earlier self,
    # by its position in still_failing.
    was: dict[int, Result] = field(default_factory=dict)

    @property
    def still_failing_with_change(self) -> list[tuple[Result, Result | None]]:
        """Each failure still failing, with its earlier self where its message changed."""
        return [(result, self.was.get(index)) for index, result in enumerate(self.still_failing)]

    def __bool__(self) -> bool:
        return any(vars(self).values())


def compare(results: Iterable[Result], previous_results: Iterable[Result]) -> Comparison:
    """What fails now and did not, what failed and passes now, what fails in both, and what could
    not be evaluated now though it was before, or the other way round."""
    now, before = list(results), list(previous_results)
    failed_before = {result.key: result for result in before if is_failing(result)}
    failing_now = {result.key for result in now if is_failing(result)}
    unevaluated_before = {unit_of(result) for result in before if is_not_evaluated(result)}
    unevaluated_now = {unit_of(result) for result in now if is_not_evaluated(result)}
    judged_now = {unit_of(result) for result in now if is_judged(result)}
    silenced_now = {result.key for result in now if result.silenced}
    again = (unevaluated_before - unevaluated_now) & judged_now
    comparison = Comparison()
    shown_again: set[tuple[str, str]] = set()
    for result in sorted(now, key=display_key):
        unit = unit_of(result)
        if is_not_evaluated(result):
            if unit not in unevaluated_before:
                comparison.newly_not_evaluated.append(result)
        elif unit in again:
            if unit not in shown_again:
                shown_again.add(unit)
                comparison.evaluated_again.append(result)
        elif is_failing(result):
            before_result = failed_before.get(result.key)
            if before_result is None:
                comparison.newly_failing.append(result)
                continue
            if str(before_result.message) != str(result.message):
                comparison.was[len(comparison.still_failing)] = before_result
            comparison.still_failing.append(result)
    comparison.fixed = sorted(
        (
            result
            for key, result in failed_before.items()
            if key not in failing_now
            and key not in silenced_now
            and unit_of(result) in judged_now
            and unit_of(result) not in unevaluated_now
        ),
        key=display_key,
    )
    evaluated_now = {unit_of(result) for result in now}
    comparison.not_checked = sorted(
        (result for key, result in failed_before.items() if unit_of(result) not in evaluated_now), key=display_key
    )
    return comparison
