"""Announcing a stored run: the ``run_finished`` signal, regressions since the app's previous run, webhooks.

Regressions are computed from the run's results in memory against what passed in the previous
run of the same app; the rows just written are never read back. The previous run is read only
when someone listens for regressions, ``DEPLOYCHECK["NOTIFY_ADMINS"]`` is on, or a webhook may
be sent something (deploycheck.notify.webhooks words and sends it).
"""

from __future__ import annotations

from collections.abc import Iterable

from deploycheck import conf
from deploycheck.core.choices import Status
from deploycheck.core.results import Report, Result
from deploycheck.core.rules import is_failing
from deploycheck.signals import regression, run_finished


def regressions(results: Iterable[Result], passed_before: set[tuple[str, str]]) -> list[Result]:
    """The results failing now whose check passed, for the same app, in the previous run."""
    return [result for result in results if is_failing(result) and (result.check_id, result.app or "") in passed_before]


def announce(report: Report) -> None:
    from deploycheck.models import CheckRun
    from deploycheck.notify import email as notifications
    from deploycheck.notify import webhooks
    from deploycheck.store import history

    run = report.run
    if run is None:
        return
    run_finished.send(sender=CheckRun, run=run, report=report)
    options = conf.get_settings()
    hooks_may_send = webhooks.may_send(options.webhooks, report)
    if not options.notify_admins and not regression.has_listeners(CheckRun) and not hooks_may_send:
        return
    previous = history.previous_run(run)
    previous_results: list[Result] = []
    failing: list[Result] = []
    if previous is not None:
        if hooks_may_send:
            # Webhooks say what was fixed too: the previous run's rows, read once, give its passes as well.
            previous_results = history.results_of(previous.results.all())
            passed_before = {
                (result.check_id, result.app or "") for result in previous_results if result.status == Status.PASSED
            }
        else:
            passed_before = history.passed_in(previous)
        failing = regressions(report.results, passed_before)
        if failing:
            regression.send(sender=CheckRun, run=run, previous=previous, regressions=failing)
            if options.notify_admins:
                notifications.email_admins(run, previous, failing)
    if hooks_may_send:
        webhooks.send(report, previous, previous_results, failing)
