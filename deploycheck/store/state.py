"""An app's state: the latest evaluation of each of its checks, whichever run made it.

A partial run (``--tag``, ``--check``, ``--app``, ``--url``) evaluates some checks only; the
others keep the state their latest evaluation gave them. So an app's state is put together from
its newest runs, back to its newest full run: for each check (and Heroku app it was run
against), the results of the newest of those runs that evaluated it. The status endpoint, the
metrics, the badge, the overview's cards, the e-mail and the webhooks all read it here.

A fixed number of queries whatever the history holds (see states()), each a bounded read of
the index (heroku_app, started_at, id): never more than ``WINDOW`` runs of an app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar

from django.db.models import Q, QuerySet

from deploycheck.core import rules
from deploycheck.core.choices import Outcome
from deploycheck.models import CheckResult, CheckRun
from deploycheck.store.latest import RESULT_FIELDS, Row, last_runs, picked_runs

# How many runs of an app are read back, at most, to find its newest full run: a state rests on
# no more than these (a release phase running two partial runs a day covers three weeks).
WINDOW = 50
Unit = tuple[str, str]


class Stored(Protocol):
    """A stored result: a model row or the light tuple the overview reads."""

    @property
    def run_id(self) -> int: ...
    @property
    def check_id(self) -> str: ...
    @property
    def app(self) -> str: ...


AnyRow = TypeVar("AnyRow", bound=Stored)


@dataclass
class State:
    """An app's checks as their latest evaluations left them."""

    app: str  # the Heroku app the runs were made for, "" for this site
    latest: CheckRun  # the app's newest run, whose fail level judges the state
    # The rows of each check's latest evaluation, and the run each comes from.
    rows: list[Row] = field(default_factory=list)
    runs: dict[int, CheckRun] = field(default_factory=dict)
    # The app's run before its latest, and its rows: what the overview's cards call new.
    previous: CheckRun | None = None
    previous_rows: list[Row] = field(default_factory=list)

    @property
    def fail_level(self) -> int:
        return self.latest.fail_level

    @property
    def outcome(self) -> str:
        """The latest run's outcome when the state rests on it alone, or when it was interrupted or
        written by a newer version (nothing then says the state passed); else the outcome of the
        latest evaluations at the latest run's fail level."""
        stored = self.latest.outcome
        if not self.composed or stored not in {Outcome.PASSED, Outcome.FAILED, Outcome.ERROR}:
            return stored
        return rules.outcome_of(self.rows, self.fail_level)

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED

    @property
    def verdict(self) -> str:
        """The state in the words every surface uses: "passed at ERROR, 7 warnings"."""
        return rules.verdict_of(self.outcome, self.fail_level, self.rows)

    @property
    def oldest(self) -> CheckRun:
        """The oldest run the state rests on: the latest run when it alone evaluated everything."""
        return min(self.runs.values(), key=lambda run: (run.started_at, run.pk), default=self.latest)

    @property
    def composed(self) -> bool:
        """Put together from several runs: the latest run was partial and left some checks as they were."""
        return any(pk != self.latest.pk for pk in self.runs)

    def age_seconds(self, now: datetime) -> float:
        """How old the oldest evaluation the state rests on is, from when its run finished."""
        return max((now - self.oldest.finished_at).total_seconds(), 0.0)

    def run_counts(self) -> dict[str, int]:
        """The latest run's own counts, as it stored them."""
        run = self.latest
        kept = {
            "passed": run.passed_count,
            "failed": run.failed_count,
            "skipped": run.skipped_count,
            "error": run.error_count,
        }
        return {"total": sum(kept.values()), **kept, "silenced": run.silenced_count}

    def counts(self) -> dict[str, int]:
        """Results per status, silenced ones apart, as the runs' counts are kept: the latest run's
        own when the state rests on it alone."""
        if not self.composed:
            return self.run_counts()
        counts = dict.fromkeys(("passed", "failed", "skipped", "error"), 0)
        silenced = 0
        for row in self.rows:
            status = row.status if row.status in counts else "error"
            counts[status] += 1
            silenced += row.silenced
        return {"total": len(self.rows), **counts, "silenced": silenced}


def chain(runs: Sequence[CheckRun]) -> list[CheckRun]:
    """Of an app's runs, newest first, those a state rests on: back to the newest full one."""
    found = []
    for run in runs:
        found.append(run)
        if not rules.is_partial(run.selection):
            break
    return found


def latest_evaluations(
    runs: Sequence[CheckRun], by_run: Mapping[int, list[AnyRow]]
) -> tuple[list[AnyRow], dict[int, CheckRun]]:
    """Of the rows of ``runs`` (newest first, their rows by run), each check's from the newest run
    that evaluated it, and the runs those come from."""
    taken_rows: list[AnyRow] = []
    used: dict[int, CheckRun] = {}
    seen: set[Unit] = set()
    for run in runs:
        taken = [row for row in by_run.get(run.pk, []) if rules.unit_of(row) not in seen]
        if taken:
            taken_rows.extend(taken)
            used[run.pk] = run
            seen.update(rules.unit_of(row) for row in taken)
    return taken_rows, used


def compose(
    app: str, runs: Sequence[CheckRun], by_run: Mapping[int, list[Row]], previous: CheckRun | None = None
) -> State:
    """The state of ``app`` from its runs (newest first, as chain() gives them) and the rows of
    those runs and of the app's ``previous`` run, by run."""
    taken, used = latest_evaluations(runs, by_run)
    previous_rows = by_run.get(previous.pk, []) if previous is not None else []
    return State(app, runs[0], taken, used, previous, previous_rows)


def states(apps: Iterable[str] | None = None) -> list[State]:
    """The state of every app with a run (or of ``apps``), with each app's previous run.

    Two queries when each app's latest run is full or follows a full one: the apps, then their
    last two runs joined to their results. Two more for the apps whose chain of partial runs is
    longer: their last ``WINDOW`` runs, then the results those states rest on.
    """
    runs, rows = last_runs(2, grid=False, apps=apps)
    per_app: dict[str, list[CheckRun]] = {}
    for run in runs:
        per_app.setdefault(run.heroku_app, []).append(run)
    by_run = _by_run(rows)
    deeper = [app for app, latest in per_app.items() if len(latest) > 1 and all(_is_partial(run) for run in latest)]
    if deeper:
        known = {run.pk for run in runs}
        for run in picked_runs(WINDOW, deeper):
            if run.pk not in known:
                per_app[run.heroku_app].append(run)
        wanted = {run.pk for app in deeper for run in chain(per_app[app]) if run.pk not in known}
        found = CheckResult.objects.filter(run_id__in=wanted).order_by("run_id", "pk").values_list(*RESULT_FIELDS)
        for run_id, more in _by_run(Row(*values) for values in found).items():
            by_run[run_id] = more
    found_states = []
    for app, app_runs in per_app.items():
        previous = app_runs[1] if len(app_runs) > 1 else None
        runs_of_state = chain(app_runs)
        found_states.append(compose(app, runs_of_state, by_run, previous))
    return found_states


def _is_partial(run: CheckRun) -> bool:
    return rules.is_partial(run.selection)


def _by_run(rows: Iterable[AnyRow]) -> dict[int, list[AnyRow]]:
    found: dict[int, list[AnyRow]] = {}
    for row in rows:
        found.setdefault(row.run_id, []).append(row)
    return found


def state_of(app: str) -> State | None:
    """One app's state ("" for this site), or None when it has no run."""
    found = states([app])
    return found[0] if found else None


def earlier_runs(run: CheckRun) -> QuerySet[CheckRun]:
    """The runs of the same app before ``run``, newest first."""
    # Bounded by started_at <= the run's, so the index (heroku_app, started_at, id) starts at the run.
    earlier = Q(started_at__lte=run.started_at) & ~Q(started_at=run.started_at, pk__gte=run.pk)
    return CheckRun.objects.filter(heroku_app=run.heroku_app).filter(earlier).order_by("-started_at", "-pk")


@dataclass
class Before:
    """What each check's latest evaluation before a run found: what the run is compared with."""

    rows: list[CheckResult]
    runs: list[CheckRun]  # the runs those rows come from, newest first
    previous: CheckRun | None  # the app's run just before


def evaluations_before(run: CheckRun) -> Before:
    """Each check's latest evaluation before ``run``, partial runs or not: two queries."""
    runs = chain(list(earlier_runs(run)[:WINDOW]))
    rows = CheckResult.objects.filter(run_id__in=[earlier.pk for earlier in runs]).order_by("run_id", "pk")
    taken, used = latest_evaluations(runs, _by_run(rows))
    return Before(taken, [earlier for earlier in runs if earlier.pk in used], runs[0] if runs else None)
