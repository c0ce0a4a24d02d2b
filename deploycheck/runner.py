"""The one way checks are run: select -> gather -> evaluate -> store -> announce.

The command, the admin and :func:`deploycheck.run` all call :func:`execute`, which puts the
steps together and does none of them itself: the catalogue selects
(deploycheck.core.catalogue), gathering does all the I/O within the time budget
(deploycheck.core.gathering), evaluating is pure (deploycheck.core.evaluation), storing writes the run
once (deploycheck.store.saving) and announcing sends the signals (deploycheck.notify.announcing).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext

from deploycheck import conf
from deploycheck.core.catalogue import Catalogue, Selection, SelectionError, catalogue
from deploycheck.core.choices import LEVELS, Trigger
from deploycheck.core.deploy_info import DeployInfo
from deploycheck.core.evaluation import evaluate_into, not_evaluated
from deploycheck.core.gathering import Provider, gather
from deploycheck.core.results import EXIT_FAILED, EXIT_NOT_EVALUATED, EXIT_OK, EXIT_USAGE, Report, Result
from deploycheck.core.sanitising import SafeLogRecords, redact_url, safe_value
from deploycheck.notify.announcing import announce
from deploycheck.store.saving import store

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from deploycheck.models import CheckRun
    from deploycheck.store.state import Before

__all__ = [
    "EXIT_FAILED",
    "EXIT_NOT_EVALUATED",
    "EXIT_OK",
    "EXIT_USAGE",
    "NotSaved",
    "SelectionError",
    "execute",
    "run_and_save",
]

logger = logging.getLogger("deploycheck")
if not any(isinstance(existing, SafeLogRecords) for existing in logger.filters):
    logger.addFilter(SafeLogRecords())


class NotSaved(RuntimeError):
    """The run was evaluated but could not be stored."""


def fail_level_of(name: str | None) -> int:
    level_name = (name or conf.get_settings().fail_level).upper()
    if level_name not in LEVELS:
        raise ValueError(
            gettext("Unknown fail level %(level)s; use one of %(levels)s.")
            % {"level": name, "levels": ", ".join(LEVELS)}
        )
    return LEVELS[level_name]


def execute(
    *,
    tags: Iterable[str] = (),
    check_ids: Iterable[str] = (),
    fail_level: str | None = None,
    trigger: Trigger | str = Trigger.API,
    user: AbstractBaseUser | AnonymousUser | str | None = None,
    save: bool = True,
    apps: Iterable[str] = (),
    urls: Iterable[str] = (),
    time_budget: float | None = None,
    checks: Catalogue | None = None,
) -> Report:
    """Select, gather, evaluate and (unless ``save`` is False) store and announce a run.

    ``apps`` names the Heroku apps to check, overriding the setting; ``time_budget`` the
    seconds gathering may take, overriding ``DEPLOYCHECK["TIME_BUDGET"]``; ``user`` who
    started the run, a user or a name, stored as text; ``checks`` the catalogue to select
    from (deploycheck's own by default).

    Raises SelectionError for an unknown tag or id, ImproperlyConfigured for bad settings and
    ValueError for an unknown fail level, an app that is not a Heroku app name or id, or a time
    budget out of range (NaN, infinite, above an hour). Ctrl-C or SIGTERM (turned into
    KeyboardInterrupt by the command) ends the run early: what was gathered by then is
    evaluated, the rest is ``error``, and the report is ``interrupted``, and stored so.
    """
    options = conf.get_settings()
    # The setting's level is one of LEVELS' names already (conf.problems() refuses any other).
    level = fail_level_of(fail_level) if fail_level else LEVELS[options.fail_level]
    tags, check_ids = sorted(set(tags)), sorted(set(check_ids))
    apps, urls = tuple(dict.fromkeys(apps)), tuple(dict.fromkeys(urls))
    if apps or time_budget is not None:
        _refuse_bad_targets(apps, time_budget)
    contents = (checks or catalogue).contents_for(options.checks)
    selection = contents.selection(tags, check_ids)
    started_at = timezone.now()
    targets = conf.run_targets(apps, urls, options)
    results, interrupted = _gather_and_evaluate(
        selection, contents.providers, targets, time_budget or options.time_budget
    )
    report = Report(
        results=tuple(results),
        started_at=started_at,
        finished_at=timezone.now(),
        fail_level=level,
        trigger=trigger if isinstance(trigger, Trigger) else Trigger(trigger),
        deploy=DeployInfo.from_environment(),
        selection=_stored_selection(tags, check_ids, apps, urls),
        interrupted=interrupted,
    )
    if not save:
        return report
    report = store(report, user)
    if report.run is not None:
        report, before = _compared(report)
        announce(report, before)
    return report


def _compared(report: Report) -> tuple[Report, Before]:
    """The stored run compared with each check's previous evaluation; without a comparison when
    the history cannot be read back (the run is stored: the report still stands)."""
    from deploycheck.store import history
    from deploycheck.store.state import Before

    try:
        return history.compared(report)
    except DatabaseError:
        return report, Before([], [], None)


def _refuse_bad_targets(apps: tuple[str, ...], time_budget: float | None) -> None:
    # Refused here as the command refuses them: an app goes into API paths, a budget into timeouts.
    problem = conf.apps_problem("apps", apps) or (
        conf.time_budget_problem(time_budget) if time_budget is not None else None
    )
    if problem:
        raise ValueError(problem)


def _gather_and_evaluate(
    selection: Selection, providers: Mapping[str, Provider], targets: conf.RunTargets, budget: float
) -> tuple[list[Result], bool]:
    """Each selected check's results, and whether the run was interrupted (Ctrl-C or SIGTERM)."""
    silenced_ids = frozenset(settings.SILENCED_SYSTEM_CHECKS)
    selected = selection.checks
    results: list[Result] = []
    try:
        facts = gather(selection.requires, budget, targets, providers)
        evaluate_into(results, selected, facts, silenced_ids)
        return results, facts.interrupted
    except KeyboardInterrupt:
        evaluated = {result.check_id for result in results}
        results.extend(not_evaluated(check for check in selected if check.id not in evaluated))
        return results, True


def _stored_selection(
    tags: list[str], check_ids: list[str], apps: tuple[str, ...], urls: tuple[str, ...]
) -> dict[str, list[str]]:
    # A copy of its own for each report, of what was made safe once for these tags, ids, apps and URLs.
    return {key: list(values) for key, values in _safe_selection(tuple(tags), tuple(check_ids), apps, urls).items()}


@lru_cache(maxsize=64)
def _safe_selection(
    tags: tuple[str, ...], check_ids: tuple[str, ...], apps: tuple[str, ...], urls: tuple[str, ...]
) -> Mapping[str, list[str]]:
    # Stored and printed: credentials given in a --url were used to connect, never kept.
    selection: Mapping[str, list[str]] = safe_value(
        {
            "tags": list(tags),
            "checks": list(check_ids),
            **({"apps": list(apps)} if apps else {}),
            **({"urls": [redact_url(url) for url in urls]} if urls else {}),
        }
    )
    return selection


def run_and_save(**options: Any) -> CheckRun:
    """execute() for the Python API: returns the saved run or raises NotSaved.

    An interrupted run is stored as such, then the KeyboardInterrupt goes on to the caller.
    """
    options.setdefault("trigger", Trigger.API)
    report = execute(save=True, **options)
    if report.interrupted:
        raise KeyboardInterrupt
    if report.run is None:
        raise NotSaved(str(report.not_saved_reason))
    return report.run
