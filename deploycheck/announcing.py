"""Announcing a stored run: the ``run_finished`` signal, and regressions since the app's previous run.

Regressions are computed from the run's results in memory against what passed in the previous
run of the same app; the rows just written are never read back. The previous run is read only
when someone listens for regressions or ``DEPLOYCHECK["NOTIFY_ADMINS"]`` is on.
"""

from __future__ import annotations

from collections.abc import Iterable

from deploycheck import conf
from deploycheck.choices import Status
from deploycheck.results import Report, Result
from deploycheck.signals import regression, run_finished


def regressions(results: Iterable[Result], passed_before: set[tuple[str, str]]) -> list[Result]:
    """The results failing now whose check passed, for the same app, in the previous run."""
    return [
        result
        for result in results
        if result.status == Status.FAILED
        and not result.silenced
        and (result.check_id, result.app or "") in passed_before
    ]


def announce(report: Report) -> None:
    from deploycheck import history, notifications
    from deploycheck.models import CheckRun

    run = report.run
    if run is None:
        return
    run_finished.send(sender=CheckRun, run=run, report=report)
    notify_admins = conf.get_settings().notify_admins
    if not notify_admins and not regression.has_listeners(CheckRun):
        return
    previous = history.previous_run(run)
    if previous is None:
        return
    failing = regressions(report.results, history.passed_in(previous))
    if not failing:
        return
    regression.send(sender=CheckRun, run=run, previous=previous, regressions=failing)
    if notify_admins:
        notifications.email_admins(run, previous, failing)
