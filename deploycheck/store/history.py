"""Reading the stored history: a run's neighbours and what changed, a check over time, the overview.

Every function here issues a fixed number of queries, whatever the number of runs stored, so
the admin pages built on them stay fast as the history grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from deploycheck.core import reporting
from deploycheck.core.catalogue import catalogue
from deploycheck.core.choices import Outcome
from deploycheck.core.results import Report, Result
from deploycheck.core.rules import display_key, is_failing, is_judged, is_not_evaluated, worst_status
from deploycheck.models import CheckResult, CheckRun
from deploycheck.store.state import earlier_runs, evaluations_before


def results_of(rows: Iterable[CheckResult]) -> list[Result]:
    """Stored rows as result records, in the reader's language."""
    known = catalogue.contents.by_id
    return [Result.from_row(row, known) for row in rows]


def stored_report(run: CheckRun, rows: Sequence[CheckResult] | None = None) -> Report:
    """A stored run as the record it was written from, so it renders as `--format json` did."""
    rows = list(run.results.all()) if rows is None else rows
    return Report.of_run(run, rows, catalogue.contents.by_id)


def _runs_like(run: CheckRun) -> QuerySet[CheckRun]:
    # "Previous" means the previous run that looked at the same Heroku app, if any.
    return CheckRun.objects.filter(heroku_app=run.heroku_app)


def previous_run(run: CheckRun) -> CheckRun | None:
    return earlier_runs(run).first()


def next_run(run: CheckRun) -> CheckRun | None:
    later = Q(started_at__gte=run.started_at) & ~Q(started_at=run.started_at, pk__lte=run.pk)
    return _runs_like(run).filter(later).order_by("started_at", "pk").first()


def _unit(result: Result) -> tuple[str, str]:
    """A check as run against one app: what was or was not evaluated."""
    return (result.check_id, result.app or "")


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
    unevaluated_before = {_unit(result) for result in before if is_not_evaluated(result)}
    unevaluated_now = {_unit(result) for result in now if is_not_evaluated(result)}
    judged_now = {_unit(result) for result in now if is_judged(result)}
    silenced_now = {result.key for result in now if result.silenced}
    again = (unevaluated_before - unevaluated_now) & judged_now
    comparison = Comparison()
    shown_again: set[tuple[str, str]] = set()
    for result in sorted(now, key=display_key):
        unit = _unit(result)
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
            and _unit(result) in judged_now
            and _unit(result) not in unevaluated_now
        ),
        key=display_key,
    )
    evaluated_now = {_unit(result) for result in now}
    comparison.not_checked = sorted(
        (result for key, result in failed_before.items() if _unit(result) not in evaluated_now), key=display_key
    )
    return comparison


def comparison_for(run: CheckRun, results: Iterable[Result]) -> tuple[Comparison, list[CheckRun]]:
    """A run compared with each check's previous evaluation, and the runs those rest on (newest
    first): for a full run after a full run, just the previous run. Two queries."""
    before = evaluations_before(run)
    return compare(results, results_of(before.rows)), before.runs


@dataclass
class HistoryEntry:
    run: CheckRun
    results: list[Result]

    @property
    def status(self) -> str:
        """The worst status of the check in that run."""
        return worst_status(result.status for result in self.results)


def check_history(check_id: str, limit: int = 50) -> list[HistoryEntry]:
    """The last ``limit`` runs that evaluated ``check_id``, newest first, with its results there."""
    run_ids = list(
        CheckResult.objects.filter(check_id=check_id)
        .order_by("-run_id")
        .values_list("run_id", flat=True)
        .distinct()[:limit]
    )
    runs = {run.pk: run for run in CheckRun.objects.filter(pk__in=run_ids)}
    entries: dict[int, HistoryEntry] = {pk: HistoryEntry(runs[pk], []) for pk in run_ids if pk in runs}
    rows = CheckResult.objects.filter(check_id=check_id, run_id__in=run_ids).order_by("pk")
    for row, result in zip(rows, results_of(rows), strict=True):
        entries[row.run_id].results.append(result)
    return sorted(entries.values(), key=lambda entry: (entry.run.started_at, entry.run.pk), reverse=True)


def stored_report_as_dict(run: CheckRun) -> dict[str, Any]:
    """A stored run as `--format json` prints it, in the reader's language.

    A run's outcome is computed from its results; one written by a newer version is put back
    as it was stored, so that nothing is lost in an export.
    """
    document = reporting.report_as_dict(stored_report(run))
    if run.outcome not in Outcome.values:
        document["run"]["outcome"] = run.outcome
    return document
