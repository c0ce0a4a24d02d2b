"""The overview: each app's state first, then per app a chart and a grid of its last runs.

Runs of different Heroku apps (and of this site, for runs with no app) are never mixed: each
app has its own card, chart and grid, and "new" means new since that app's previous run.

A fixed number of queries whatever the number of runs and apps (deploycheck.store.latest reads them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from deploycheck.core import rules
from deploycheck.core.catalogue import catalogue, family_rank
from deploycheck.core.choices import Status, level_name
from deploycheck.core.results import status_label, title_of
from deploycheck.core.rules import kind_of, shown_status, worst_status
from deploycheck.models import CheckResult, CheckRun
from deploycheck.store.latest import Row, last_runs
from deploycheck.store.state import State, states
from deploycheck.web import display, history_page
from deploycheck.web.chart import Chart, Tally, chart
from deploycheck.web.run_labels import RunLabel, run_labels

GRID_RUNS = 30
CELL = '<td class="deploycheck-cell deploycheck-{}" title="{}">{}</td>'
# A cell's mark; a status written by a newer version shows "?".
CELL_SYMBOLS: dict[str, str] = {Status.FAILED: "✗", Status.ERROR: "!", Status.PASSED: "✓", Status.SKIPPED: "–"}
Key = tuple[str, str, str, str]


def key_of(row: Row) -> Key:
    return (row.check_id, row.message_id, row.obj, row.app)


@dataclass
class AppState:
    """An app's card: its state (each check as last evaluated), its latest run, and what that run
    found new since the app's previous run."""

    app: str  # the Heroku app, "" for this site
    run: CheckRun
    previous: CheckRun | None
    current: State
    failed: int = 0
    not_evaluated: int = 0
    new_failed: int = 0
    new_not_evaluated: int = 0

    @property
    def label(self) -> str:
        return self.app or gettext("This site")

    @property
    def verdict(self) -> str:
        """The state's verdict, in the words of the run page and the runs list: "passed at ERROR, 6 warnings"."""
        return self.current.verdict

    @property
    def partial(self) -> bool:
        return rules.is_partial(self.current.latest.selection)

    @property
    def selection(self) -> str:
        return rules.selection_text(self.current.latest.selection)

    @property
    def just_now(self) -> bool:
        # timesince says "0 minutes ago" for the first minute.
        return timezone.now() - self.run.started_at < timedelta(minutes=1)

    @property
    def outcome_class(self) -> str:
        return display.OUTCOME_CLASSES.get(self.current.outcome, "none")

    @property
    def fail_level_name(self) -> str:
        return level_name(self.run.fail_level) or str(self.run.fail_level)


@dataclass
class GridRow:
    check_id: str
    family: str
    title: str
    latest: str
    # (status, its translated label) per run, newest first; ("", "") where the run did not evaluate it.
    cells: list[tuple[str, str]]

    @property
    def problem_rank(self) -> int:
        return rules.grid_rank(self.latest, (status for status, _label in self.cells))

    @property
    def always_passed(self) -> bool:
        return {status for status, _label in self.cells} <= {Status.PASSED, ""}

    @property
    def cells_html(self) -> SafeString:
        """The row's cells, made here: thousands of them through the template engine were too slow.

        A row has a handful of distinct cells: each is escaped once.
        """
        made: dict[tuple[str, str], str] = {}
        for cell in self.cells:
            if cell not in made:
                status, label = cell
                symbol = CELL_SYMBOLS.get(status, "?" if status else "")
                made[cell] = format_html(CELL, status or "none", label or "–", symbol)
        return mark_safe("".join(made[cell] for cell in self.cells))


@dataclass
class AppSection:
    """An app's chart and grid. Both run newest first, left to right: the run a reader comes for
    stands next to the check names and the "latest" column, in view on a phone without scrolling
    the grid, and the chart's first bar is the grid's first column."""

    state: AppState
    runs: list[CheckRun]  # newest first
    labels: list[RunLabel]  # the runs', in the same order
    rows: list[GridRow]
    chart: Chart
    hidden: int = 0  # rows of checks that always passed, when those are hidden

    @property
    def anchor(self) -> str:
        return history_page.app_anchor(self.state.app)

    @property
    def history_query(self) -> str:
        """The query of the links to a check's history: this app, and the way back here."""
        return history_page.history_query(self.state.app, history_page.Origin(history_page.OVERVIEW))


@dataclass
class _App:
    runs: list[CheckRun] = field(default_factory=list)  # newest first
    tallies: dict[int, Tally] = field(default_factory=dict)
    cells: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    newest: dict[str, Row] = field(default_factory=dict)


def _gather(limit: int, grid: bool, names: list[str]) -> dict[str, _App]:
    runs, results = last_runs(limit, grid, names)
    apps: dict[str, _App] = {}
    for run in runs:
        app = apps.setdefault(run.heroku_app, _App())
        app.runs.append(run)
        app.tallies[run.pk] = Tally(run)
    app_of = {run.pk: apps[run.heroku_app] for run in runs}
    for row in results:
        app = app_of[row.run_id]
        kind = kind_of(row)
        if kind:
            tally = app.tallies[row.run_id]
            setattr(tally, kind, tally.part(kind) + 1)
        if grid:
            shown = shown_status(row)
            app.cells.setdefault(row.check_id, {}).setdefault(row.run_id, []).append(shown)
            if row.check_id not in app.newest or row.run_id > app.newest[row.check_id].run_id:
                app.newest[row.check_id] = row
    return apps


def _problems(rows: Iterable[Row]) -> dict[Key, str]:
    return {key_of(row): kind for row in rows if (kind := kind_of(row)) in {"failed", "not_evaluated"}}


def _card(current: State) -> AppState:
    run, previous = current.latest, current.previous
    card = AppState(current.app, run, previous, current)
    before = _problems(current.previous_rows)
    for key, kind in _problems(row for row in current.rows if row.run_id == run.pk).items():
        new = previous is not None and before.get(key) != kind
        if kind == "failed":
            card.new_failed += new
        else:
            card.new_not_evaluated += new
    for row in current.rows:
        card.failed += rules.is_failing(row)
        card.not_evaluated += rules.is_not_evaluated(row)
    return card


def _ordered(states: Iterable[AppState]) -> list[AppState]:
    # The Heroku apps by name, then this site.
    return sorted(states, key=lambda state: (state.app == "", state.app))


def app_states() -> list[AppState]:
    """Each app's card: its state, its latest run and what that run found new. Three queries."""
    return _ordered(_card(current) for current in states())


def _worst(statuses: list[str] | None) -> str:
    # Most checks give one result per run: worst_status of one status is that status.
    if not statuses:
        return ""
    return statuses[0] if len(statuses) == 1 else worst_status(statuses)


def _rows(app: _App) -> list[GridRow]:
    known = catalogue.contents.by_id
    labels: dict[str, str] = {}  # each status's label read once, not once per cell
    rows = []
    for check_id, per_run in app.cells.items():
        statuses = [_worst(per_run.get(run.pk)) for run in app.runs]
        latest = next((status for status in statuses if status), "")
        newest = app.newest[check_id]
        stored = CheckResult.from_db(
            DEFAULT_DB_ALIAS, ["check_id", "title", "wording"], [check_id, newest.title, json.loads(newest.wording)]
        )
        title = str(title_of(stored, known))
        cells = [(status, labels.get(status) or labels.setdefault(status, status_label(status))) for status in statuses]
        rows.append(GridRow(check_id, newest.family, title, latest, cells))
    rows.sort(key=lambda row: (row.problem_rank, family_rank(row.family), row.check_id))
    return rows


def sections(limit: int = GRID_RUNS, hide_passing: bool = False) -> list[AppSection]:
    """Per app: its card, a chart of its last ``limit`` runs and every check over them, problems first."""
    cards = app_states()
    apps = _gather(limit, grid=True, names=[card.app for card in cards])
    found = []
    for state in cards:
        app = apps[state.app]
        rows = _rows(app)
        shown = [row for row in rows if not row.always_passed] if hide_passing else rows
        labels = run_labels(app.runs)
        tallies = [app.tallies[run.pk] for run in app.runs]
        for tally, label in zip(tallies, labels, strict=True):
            tally.label = label
        found.append(AppSection(state, app.runs, labels, shown, chart(tallies), len(rows) - len(shown)))
    return found
