"""Reading the stored history: a run's neighbours and what changed, a check over time, the overview.

Every function here issues a fixed number of queries, whatever the number of runs stored, so
the admin pages built on them stay fast as the history grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from deploycheck.core import reporting
from deploycheck.core.catalogue import catalogue
from deploycheck.core.choices import Outcome, Status
from deploycheck.core.results import Report, Result
from deploycheck.core.rules import display_key, is_failing, is_judged, is_not_evaluated, is_problem, worst_status
from deploycheck.models import CheckResult, CheckRun


def results_of(rows: Iterable[CheckResult]) -> list[Result]:
    """Stored rows as result records, in the reader's language."""
    known = catalogue.contents.by_id
    return [Result.from_row(row, known) for row in rows]


def stored_report(run: CheckRun, rows: Sequence[CheckResult] | None = None) -> Report:
    """A stored run as the record it was written from, so it renders as `--format json` did."""
    rows = list(run.results.all()) if rows is None else rows
    return Report.of_run(run, rows, catalogue.contents.by_id)


def reports_of(run: CheckRun, previous: CheckRun | None) -> tuple[Report, Report | None]:
    """A run's stored report and its previous run's, their rows read in one query."""
    rows: dict[int, list[CheckResult]] = {run.pk: []}
    if previous is not None:
        rows[previous.pk] = []
    for row in CheckResult.objects.filter(run_id__in=list(rows)).order_by("run_id", "pk"):
        rows[row.run_id].append(row)
    return stored_report(run, rows[run.pk]), stored_report(previous, rows[previous.pk]) if previous else None


def _runs_like(run: CheckRun) -> QuerySet[CheckRun]:
    # "Previous" means the previous run that looked at the same Heroku app, if any.
    return CheckRun.objects.filter(heroku_app=run.heroku_app)


def previous_run(run: CheckRun) -> CheckRun | None:
    # Bounded by started_at <= the run's, so the index (heroku_app, started_at, id) starts at the run.
    earlier = Q(started_at__lte=run.started_at) & ~Q(started_at=run.started_at, pk__gte=run.pk)
    return _runs_like(run).filter(earlier).order_by("-started_at", "-pk").first()


def next_run(run: CheckRun) -> CheckRun | None:
    later = Q(started_at__gte=run.started_at) & ~Q(started_at=run.started_at, pk__lte=run.pk)
    return _runs_like(run).filter(later).order_by("started_at", "pk").first()


def passed_in(run: CheckRun) -> set[tuple[str, str]]:
    """(check id, app) of every check that passed in ``run``: what a regression is measured against."""
    return set(run.results.filter(status=Status.PASSED).values_list("check_id", "app"))


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
            (comparison.still_failing if result.key in failed_before else comparison.newly_failing).append(result)
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
    return comparison


@dataclass
class HistoryEntry:
    run: CheckRun
    results: list[Result]

    @property
    def status(self) -> str:
        """The worst status of the check in that run."""
        return worst_status(result.status for result in self.results)

    @property
    def problems(self) -> list[Result]:
        """The check's results in that run that a reader must look at (deploycheck.core.rules)."""
        return [result for result in self.results if is_problem(result)]


def check_history(check_id: str, app: str, limit: int = 50) -> list[HistoryEntry]:
    """The last ``limit`` runs of ``app`` ("" for this site) that evaluated ``check_id``, newest first,
    with its results there.

    Two queries whatever the history holds: the app's runs newest first, on the index
    (heroku_app, started_at, id), each kept when the index (check_id, run) has a row of it; then
    the check's rows in those runs.
    """
    evaluated = CheckResult.objects.filter(run_id=OuterRef("pk"), check_id=check_id)
    runs = CheckRun.objects.filter(Exists(evaluated), heroku_app=app).defer("selection").order_by("-started_at", "-pk")
    entries = {run.pk: HistoryEntry(run, []) for run in runs[:limit]}
    if not entries:
        return []
    rows = list(CheckResult.objects.filter(check_id=check_id, run_id__in=list(entries)).order_by("pk"))
    for row, result in zip(rows, results_of(rows), strict=True):
        entries[row.run_id].results.append(result)
    return list(entries.values())


def app_last_evaluating(check_id: str) -> str | None:
    """The app of the last run stored that evaluated ``check_id``, None if none did: one probe of the
    index (check_id, run), where the latest by start time would read every row of the check."""
    found = CheckResult.objects.filter(check_id=check_id).order_by("-run_id")
    return found.values_list("run__heroku_app", flat=True).first()


def stored_report_as_dict(run: CheckRun) -> dict[str, Any]:
    """A stored run as `--format json` prints it, in the reader's language.

    A run's outcome is computed from its results; one written by a newer version is put back
    as it was stored, so that nothing is lost in an export.
    """
    document = reporting.report_as_dict(stored_report(run))
    if run.outcome not in Outcome.values:
        document["run"]["outcome"] = run.outcome
    return document
