"""Evaluating: each selected check's function called on the gathered facts, nothing else.

This step reads no setting, opens no socket and queries no database: whatever a check needs
was gathered before (deploycheck.core.gathering). What a check raises becomes an ``error`` result.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from time import perf_counter

from deploycheck.core import rules
from deploycheck.core.check import PASSED, Check, Facts, Finding, as_findings, raised_error
from deploycheck.core.choices import Status
from deploycheck.core.deferred_text import later as _
from deploycheck.core.results import Result

logger = logging.getLogger("deploycheck")


def _findings(check: Check, facts: Facts) -> list[Finding]:
    produced = check.function(facts)
    findings = produced if type(produced) is list else as_findings(produced)
    for finding in findings:
        if not isinstance(finding, Finding):
            raise TypeError("it returned something other than findings")
    return findings or [PASSED]


def evaluate_one(check: Check, facts: Facts, silenced_ids: frozenset[str]) -> list[Result]:
    """One check's results; whatever its function raises becomes an ``error`` result."""
    started = perf_counter()
    reason = facts.error_for(check.requires) if check.requires else None
    if reason is not None:
        findings = [Finding(Status.ERROR, _("Could not gather what this check needs: %(reason)s") % {"reason": reason})]
    else:
        try:
            findings = _findings(check, facts)
        except Exception as exc:
            logger.info("Check %s raised an exception", check.id, exc_info=True)
            findings = [raised_error(type(exc).__name__, str(exc))]
    seconds = (perf_counter() - started) / len(findings)
    return [as_result(check, finding, seconds, silenced_ids) for finding in findings]


def evaluate(checks: Iterable[Check], facts: Facts, silenced_ids: frozenset[str]) -> list[Result]:
    return [result for check in checks for result in evaluate_one(check, facts, silenced_ids)]


def as_result(check: Check, finding: Finding, seconds: float, silenced_ids: frozenset[str]) -> Result:
    if finding is PASSED:
        # The common case, kept cheap: a run is mostly passes, with no words of their own to make safe.
        return Result(
            check.id,
            check.family,
            check.title,
            Status.PASSED,
            "",
            None,
            "",
            "",
            check.id,
            check.doc_url,
            False,
            seconds,
        )
    message_id = finding.message_id or check.id
    is_failure = rules.has_level(finding.status)
    is_problem = rules.may_be_silenced(finding.status)
    return Result.made_safe(
        check_id=check.id,
        family=check.family,
        title=check.title,
        status=finding.status,
        message=finding.message,
        level=(finding.level if finding.level is not None else check.level) if is_failure else None,
        hint=(finding.hint if finding.hint is not None else check.hint) if is_problem else "",
        obj=finding.obj,
        message_id=message_id,
        doc_url=check.doc_url,
        # As in Django's `check`: an id silences the messages that carry it, and no others.
        silenced=is_problem and message_id in silenced_ids,
        seconds=seconds,
        app=finding.app,
        details=finding.details,
    )


def not_evaluated(checks: Iterable[Check]) -> list[Result]:
    """Results for checks a run did not reach before it was interrupted."""
    reason = _("The run was interrupted before this check was evaluated.")
    return [as_result(check, Finding(Status.ERROR, reason), 0.0, frozenset()) for check in checks]
