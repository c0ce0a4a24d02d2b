"""Each app's last runs and their results, read without reading the whole history.

The overview, the cards of the runs list and the status endpoint read them here: a fixed number
of queries whatever the number of runs and apps, each a few probes of the index on
(heroku_app, started_at, id).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from deploycheck.models import CheckResult, CheckRun


class Row(NamedTuple):
    """A stored result as the overview reads it: a tuple, as a model instance per row costs too much."""

    id: int
    run_id: int
    check_id: str
    message_id: str
    obj: str
    app: str
    status: str
    silenced: bool
    level: int | None
    family: str = ""
    title: str = ""
    wording: str = "{}"  # as stored, JSON: decoded for the few rows whose title is shown


RESULT_FIELDS = ("id", "run_id", "check_id", "message_id", "obj", "app", "status", "silenced", "level")
GRID_FIELDS = ("family", "title")


# Each app found by one probe of the index (heroku_app, started_at, id), after the one before:
# a few probes, where a DISTINCT reads every run. PostgreSQL and SQLite both run it.
APPS_BY_PROBES = """
WITH RECURSIVE apps(name) AS (
    SELECT MIN({app}) FROM {runs}
    UNION ALL
    SELECT (SELECT MIN({app}) FROM {runs} WHERE {app} > apps.name) FROM apps WHERE apps.name IS NOT NULL
)
SELECT name FROM apps WHERE name IS NOT NULL
"""


def app_names() -> list[str]:
    """Every app with a run, by name, without reading the whole history where the database allows."""
    alias = router.db_for_read(CheckRun) or DEFAULT_DB_ALIAS
    connection = connections[alias]
    if connection.vendor not in {"postgresql", "sqlite"}:
        return list(CheckRun.objects.order_by("heroku_app").values_list("heroku_app", flat=True).distinct())
    quote = connection.ops.quote_name
    sql = APPS_BY_PROBES.format(app=quote("heroku_app"), runs=quote(CheckRun._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [name for (name,) in cursor.fetchall()]


def _picked(limit: int, apps: Iterable[str] | None = None) -> QuerySet[CheckRun] | None:
    """The last ``limit`` runs of every app (or of ``apps``), unordered; None when there is none."""
    newest = ("-started_at", "-pk")
    # Each app's last runs in a UNION ALL, each part a bounded index scan: the planner sees a
    # few dozen runs (an OR of the parts made it expect the whole table and scan it).
    parts = [
        CheckRun.objects.filter(pk__in=CheckRun.objects.filter(heroku_app=app).order_by(*newest)[:limit].values("pk"))
        .order_by()
        .values("pk")
        for app in (app_names() if apps is None else apps)
    ]
    if not parts:
        return None
    return CheckRun.objects.filter(pk__in=parts[0].union(*parts[1:], all=True)).order_by()


def picked_runs(limit: int, apps: Iterable[str] | None = None) -> list[CheckRun]:
    """The last ``limit`` runs of every app (or of ``apps``), newest first: two queries at most."""
    picked = _picked(limit, apps)
    return [] if picked is None else sorted(picked, key=lambda run: (run.started_at, run.pk), reverse=True)


def latest_runs() -> list[CheckRun]:
    """Each app's latest run, without its results: two queries whatever the history holds."""
    picked = _picked(1)
    return [] if picked is None else list(picked.defer("selection"))


def last_runs(limit: int, grid: bool, apps: Iterable[str] | None = None) -> tuple[list[CheckRun], list[Row]]:
    """The last ``limit`` runs of every app, newest first, and their results.

    One query names the apps; the runs are picked per app by a bounded query on the index
    (heroku_app, started_at, id), not by a window over the whole history, whose cost grows with
    it. The cards' few runs are read joined to their results (a run without results gives one
    row of its own); the grid's many in two queries, so as not to repeat a run's columns on each
    of its results.
    """
    picked = _picked(limit, apps)
    if picked is None:
        return [], []
    # The grid does not say what each run asked for; the cards do (a partial run), and its state needs it.
    run_fields = [field.attname for field in CheckRun._meta.concrete_fields if not grid or field.name != "selection"]
    runs: dict[int, CheckRun] = {}
    results = []
    if grid:
        for values in picked.values_list(*run_fields):
            runs[values[0]] = CheckRun.from_db(picked.db, run_fields, values)
        found = CheckResult.objects.filter(run_id__in=list(runs)).order_by()
        # The wording as text: a grid shows one title per check, not one per result.
        wording = Cast("wording", output_field=TextField())
        results = [Row(*values) for values in found.values_list(*RESULT_FIELDS, *GRID_FIELDS, wording)]
    else:
        first_result = len(run_fields)
        for values in picked.values_list(*run_fields, *(f"results__{name}" for name in RESULT_FIELDS)):
            if values[0] not in runs:
                runs[values[0]] = CheckRun.from_db(picked.db, run_fields, values[:first_result])
            if values[first_result] is not None:
                results.append(Row(*values[first_result:]))
    return sorted(runs.values(), key=lambda run: (run.started_at, run.pk), reverse=True), results
