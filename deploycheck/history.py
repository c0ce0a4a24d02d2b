"""Reading the stored history: a run's neighbours and what changed, a check over time, the overview.

Every function here issues a fixed number of queries, whatever the number of runs stored, so
the admin pages built on them stay fast as the history grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet

from deploycheck import reporting
from deploycheck.checks.base import Check, passed
from deploycheck.checks.registry import family_rank
from deploycheck.choices import DISPLAY_ORDER, SILENCED_RANK, Level, Outcome, Status, Trigger
from deploycheck.models import CheckResult, CheckRun
from deploycheck.runner import DeployInfo, Report, Result
from deploycheck.safety import safe_value

PROBLEM_STATUSES = (Status.FAILED, Status.ERROR)

# A result is identified across runs by its check, the id it carried, its object and its app.
ResultKey = tuple[str, str, str, str]


def status_label(status: str) -> str:
    """A status in the reader's language; one written by a newer version as it was stored."""
    return str(Status(status).label) if status in Status.values else status


def result_key(result: CheckResult) -> ResultKey:
    return (result.check_id, result.message_id, result.obj, result.app)


def is_problem(result: CheckResult) -> bool:
    return result.status in PROBLEM_STATUSES and not result.silenced


def _runs_like(run: CheckRun) -> QuerySet[CheckRun]:
    # "Previous" means the previous run that looked at the same Heroku app, if any.
    return CheckRun.objects.filter(heroku_app=run.heroku_app)


def previous_run(run: CheckRun) -> CheckRun | None:
    earlier = Q(started_at__lt=run.started_at) | Q(started_at=run.started_at, pk__lt=run.pk)
    return _runs_like(run).filter(earlier).order_by("-started_at", "-pk").first()


def next_run(run: CheckRun) -> CheckRun | None:
    later = Q(started_at__gt=run.started_at) | Q(started_at=run.started_at, pk__gt=run.pk)
    return _runs_like(run).filter(later).order_by("started_at", "pk").first()


def regressions(run: CheckRun) -> tuple[CheckRun | None, list[CheckResult]]:
    """The previous run of the same app, and the results failing now whose check passed there."""
    previous = previous_run(run)
    if previous is None:
        return None, []
    passed_before = {
        (check_id, app)
        for check_id, app in previous.results.filter(status=Status.PASSED).values_list("check_id", "app")
    }
    failing = run.results.filter(status=Status.FAILED, silenced=False).order_by("pk")
    return previous, [result for result in failing if (result.check_id, result.app) in passed_before]


@dataclass
class Comparison:
    newly_failing: list[CheckResult] = field(default_factory=list)
    fixed: list[CheckResult] = field(default_factory=list)
    still_failing: list[CheckResult] = field(default_factory=list)


def compare(results: Iterable[CheckResult], previous_results: Iterable[CheckResult]) -> Comparison:
    """What fails now and did not, what failed and does not, and what fails in both."""
    before = {result_key(result): result for result in previous_results if is_problem(result)}
    comparison = Comparison()
    seen = set()
    for result in results:
        if not is_problem(result):
            continue
        key = result_key(result)
        seen.add(key)
        (comparison.still_failing if key in before else comparison.newly_failing).append(result)
    comparison.fixed = [result for key, result in before.items() if key not in seen]
    return comparison


def ordered_for_display(results: Iterable[CheckResult]) -> list[tuple[str, list[CheckResult]]]:
    """Results grouped by family (in the catalogue's order), failures first, most severe on top."""

    def rank(result: CheckResult) -> tuple[int, int, str]:
        # A status from a newer version is shown with the errors: this version cannot tell it is fine.
        order = SILENCED_RANK if result.silenced else DISPLAY_ORDER.get(result.status, DISPLAY_ORDER[Status.ERROR])
        return (order, -(result.level or 0), result.message_id)

    families: dict[str, list[CheckResult]] = {}
    for result in results:
        families.setdefault(result.family, []).append(result)
    return [
        (family, sorted(family_results, key=rank))
        for family, family_results in sorted(families.items(), key=lambda item: family_rank(item[0]))
    ]


def _worst(statuses: Iterable[str]) -> str:
    present = set(statuses)
    for status in (Status.FAILED, Status.ERROR):
        if status in present:
            return status
    # A status written by a newer version ranks after the errors, as text: this version cannot
    # tell what it means.
    unknown = sorted(present - set(Status) - {""})
    if unknown:
        return unknown[0]
    for status in (Status.SKIPPED, Status.PASSED):
        if status in present:
            return status
    return ""


@dataclass
class HistoryEntry:
    run: CheckRun
    results: list[CheckResult]

    @property
    def status(self) -> str:
        """The worst status of the check in that run."""
        return _worst(result.status for result in self.results)


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
    for result in CheckResult.objects.filter(check_id=check_id, run_id__in=run_ids).order_by("pk"):
        entries[result.run_id].results.append(result)
    return sorted(entries.values(), key=lambda entry: (entry.run.started_at, entry.run.pk), reverse=True)


@dataclass
class OverviewRow:
    check_id: str
    family: str
    title: str
    latest: str
    # (status, its translated label) per run, oldest first; ("", "") where the run did not evaluate it.
    cells: list[tuple[str, str]]


@dataclass
class Overview:
    runs: list[CheckRun]  # oldest first, as the grid reads left to right
    rows: list[OverviewRow]
    failures_per_run: list[int]


def overview(limit: int = 30) -> Overview:
    """Every check seen in the last ``limit`` runs: its latest status and one cell per run."""
    runs = list(CheckRun.objects.order_by("-started_at", "-pk")[:limit])[::-1]
    cells: dict[str, dict[int, list[str]]] = {}
    titles: dict[str, tuple[str, str]] = {}
    rows = CheckResult.objects.filter(run__in=[run.pk for run in runs]).values_list(
        "run_id", "check_id", "family", "title", "status", "silenced"
    )
    for run_id, check_id, family, title, status, silenced in rows:
        shown = Status.PASSED if silenced and status == Status.FAILED else status
        cells.setdefault(check_id, {}).setdefault(run_id, []).append(shown)
        titles[check_id] = (family, title)
    grid = []
    for check_id, per_run in cells.items():
        statuses = [_worst(per_run.get(run.pk, ())) for run in runs]
        latest = next((status for status in reversed(statuses) if status), "")
        family, title = titles[check_id]
        cells_with_labels = [(status, status_label(status)) for status in statuses]
        grid.append(OverviewRow(check_id, family, title, latest, cells_with_labels))
    grid.sort(key=lambda row: (family_rank(row.family), row.check_id))
    return Overview(runs, grid, [run.failed_count + run.error_count for run in runs])


def trend_points(values: Sequence[int], width: int = 300, height: int = 40) -> str:
    """SVG polyline points for a small failures-per-run chart, highest value at the top."""
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(len(values) - 1, 1)
    return " ".join(f"{index * step:.1f},{height - value / top * height:.1f}" for index, value in enumerate(values))


def stored_report(run: CheckRun, results: Sequence[CheckResult]) -> Report:
    """A stored run as the runner's Report, so it renders exactly as `--format json` did."""
    return Report(
        results=[_stored_result(result) for result in results],
        started_at=run.started_at,
        finished_at=run.finished_at,
        fail_level=run.fail_level,
        trigger=Trigger(run.trigger) if run.trigger in Trigger.values else Trigger.API,
        # The run stores DeployInfo's fields under the same names (runner.record).
        deploy=DeployInfo(**{info.name: getattr(run, info.name) for info in fields(DeployInfo)}),
        # Runs stored before deploycheck redacted URLs are exported safely as well.
        selection=safe_value(run.selection),
        interrupted=run.outcome == Outcome.INTERRUPTED,
        run=run,
    )


def stored_report_as_dict(run: CheckRun, results: Sequence[CheckResult]) -> dict[str, Any]:
    """A stored run as `--format json` prints it, with the values it was stored with.

    stored_report() must fit the runner's vocabularies, so it reads a status, outcome or trigger
    written by a newer version as the nearest it knows (error, the outcome of the results, api);
    the document puts the stored text back so that nothing is lost in an export.
    """
    document = reporting.report_as_dict(stored_report(run, results))
    if run.outcome not in Outcome.values:
        document["run"]["outcome"] = run.outcome
    if run.trigger not in Trigger.values:
        document["run"]["trigger"] = run.trigger
    for row, result in zip(document["results"], results, strict=True):
        row["status"] = result.status
    return document


def _stored_result(result: CheckResult) -> Result:
    check = Check(
        id=result.check_id,
        family=result.family,
        title=result.title,
        function=lambda facts: passed(),
        level=result.level or Level.DEBUG,
        doc_url=result.doc_url,
    )
    return Result(
        check=check,
        status=Status(result.status) if result.status in Status.values else Status.ERROR,
        level=result.level,
        message=result.message,
        hint=result.hint,
        obj=result.obj,
        message_id=result.message_id,
        silenced=result.silenced,
        seconds=result.duration.total_seconds() if isinstance(result.duration, timedelta) else 0.0,
        app=result.app or None,
        details=result.details,
    )
