"""Reading the stored history: a run's neighbours and what changed, a check over time, the overview.

Every function here issues a fixed number of queries, whatever the number of runs stored, so
the admin pages built on them stay fast as the history grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from deploycheck.core import reporting
from deploycheck.core.catalogue import catalogue
from deploycheck.core.choices import Outcome
from deploycheck.core.comparison import compare
from deploycheck.core.results import Report, Result
from deploycheck.core.rules import is_problem, worst_status
from deploycheck.models import CheckResult, CheckRun
from deploycheck.store.state import Before, earlier_runs, evaluations_before


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


def compared(report: Report) -> tuple[Report, Before]:
    """A stored run's report with its comparison to each check's previous evaluation (for a full
    run after a full run, just the previous run), and those evaluations. Two queries."""
    assert report.run is not None
    before = evaluations_before(report.run)
    comparison = compare(report.results, results_of(before.rows))
    return replace(report, comparison=comparison, compared_with=tuple(run.pk for run in before.runs)), before


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
