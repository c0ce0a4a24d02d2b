"""Announcing a stored run: the ``run_finished`` signal, regressions, e-mail and webhooks.

A regression is a check failing now that passed when the same app last evaluated it (in the
previous run, or in an older one when partial runs came between). The run's results are compared
in memory; the rows just written are never read back. The earlier evaluations are read only when
someone listens for regressions, ``DEPLOYCHECK["NOTIFY_ADMINS"]`` is on, or a webhook may be sent
something (deploycheck.notify.webhooks words and sends it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from deploycheck import conf
from deploycheck.core.choices import Status
from deploycheck.core.results import Report, Result
from deploycheck.core.rules import is_failing, unit_of
from deploycheck.signals import regression, run_finished

if TYPE_CHECKING:
    from deploycheck.store.state import Before


def regressions(results: Iterable[Result], passed_before: set[tuple[str, str]]) -> list[Result]:
    """The results failing now whose check passed, for the same app, when it was last evaluated."""
    return [result for result in results if is_failing(result) and unit_of(result) in passed_before]


def announce(report: Report, before: Before) -> None:
    """Tell whoever listens about a stored run, compared with ``before`` (each check's previous evaluation)."""
    from deploycheck.models import CheckRun
    from deploycheck.notify import email as notifications
    from deploycheck.notify import webhooks
    from deploycheck.store.state import state_of

    run = report.run
    if run is None:
        return
    run_finished.send(sender=CheckRun, run=run, report=report)
    options = conf.get_settings()
    hooks_may_send = webhooks.may_send(options.webhooks, report)
    if not options.notify_admins and not regression.has_listeners(CheckRun) and not hooks_may_send:
        return
    # The stored rows are enough to tell what passed: no record of them is made.
    passed_before = {unit_of(row) for row in before.rows if row.status == Status.PASSED}
    failing = regressions(report.results, passed_before)
    # What the app looks like now, this run included: the e-mail and the webhooks say it.
    state = state_of(run.heroku_app) if (failing and options.notify_admins) or hooks_may_send else None
    if failing and before.previous is not None:
        regression.send(sender=CheckRun, run=run, previous=before.previous, regressions=failing)
        if options.notify_admins and state is not None:
            notifications.email_admins(run, failing, state)
    if hooks_may_send:
        webhooks.send(report, before, failing, state)
