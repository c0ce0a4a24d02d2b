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
from deploycheck.core.deferred_text import Text
from deploycheck.core.deferred_text import later as _
from deploycheck.core.results import NO_DETAILS, Result, safe_result

logger = logging.getLogger("deploycheck")

# The enum member, looked up once rather than through its class for each result.
_PASSED = Status.PASSED
_new_tuple = tuple.__new__


def evaluate_one(check: Check, facts: Facts, silenced_ids: frozenset[str]) -> list[Result]:
    """One check's results; whatever its function raises becomes an ``error`` result."""
    results: list[Result] = []
    evaluate_into(results, (check,), facts, silenced_ids)
    return results


def evaluate(checks: Iterable[Check], facts: Facts, silenced_ids: frozenset[str]) -> list[Result]:
    results: list[Result] = []
    evaluate_into(results, checks, facts, silenced_ids)
    return results


def evaluate_into(results: list[Result], checks: Iterable[Check], facts: Facts, silenced_ids: frozenset[str]) -> None:
    """Each check's results, added as each is evaluated: if the run is interrupted, what was done is there.

    A check's results go in at once (one append or one extend), never some of them: an interrupted
    run marks the checks that have no result yet as not evaluated.
    """
    complete, add = facts.complete, results.append
    for check in checks:
        started = perf_counter()
        reason = None if complete or not check.requires else facts.error_for(check.requires)
        produced: Finding | Iterable[Finding] = ()
        raised: Exception | None = None
        if reason is None:
            try:
                produced = check.function(facts)
            except Exception as exc:
                raised = exc
            if produced is PASSED:
                # What most checks find: one pass, whose result needs none of the work a finding with words does.
                add(_passed(check, perf_counter() - started))
                continue
        findings = _findings(check, reason, raised, produced) or [PASSED]
        seconds = (perf_counter() - started) / len(findings)
        results.extend([as_result(check, finding, seconds, silenced_ids) for finding in findings])


def _findings(
    check: Check, reason: Text | None, raised: Exception | None, produced: Finding | Iterable[Finding]
) -> list[Finding]:
    """What a check found: the reason a fact it needs is missing, what it raised, or what it returned."""
    if reason is not None:
        return [Finding(Status.ERROR, _("Could not gather what this check needs: %(reason)s") % {"reason": reason})]
    if raised is not None:
        return _raised(check, raised)
    try:
        findings = produced if type(produced) is list else as_findings(produced)
        for finding in findings:
            if not isinstance(finding, Finding):
                raise TypeError("it returned something other than findings")
    except Exception as exc:
        return _raised(check, exc)
    return findings


def _raised(check: Check, exc: Exception) -> list[Finding]:
    logger.info("Check %s raised an exception", check.id, exc_info=exc)
    return [raised_error(type(exc).__name__, str(exc))]


def _passed(check: Check, seconds: float) -> Result:
    # A pass has no words of its own to make safe (its title was made safe when the check was
    # declared). Every field given in order, the tuple is built directly, without NamedTuple's __new__.
    return _new_tuple(
        Result,
        (
            check.id,
            check.family,
            check.title,
            _PASSED,
            "",
            None,
            "",
            "",
            check.id,
            check.doc_url,
            False,
            seconds,
            None,
            NO_DETAILS,
        ),
    )


def as_result(check: Check, finding: Finding, seconds: float, silenced_ids: frozenset[str]) -> Result:
    if finding is PASSED:
        return _passed(check, seconds)
    message_id = finding.message_id or check.id
    status = finding.status
    is_failure = rules.has_level(status)
    is_problem = rules.may_be_silenced(status)
    return safe_result(
        check.id,
        check.family,
        check.title,
        status,
        finding.message,
        (finding.level if finding.level is not None else check.level) if is_failure else None,
        (finding.hint if finding.hint is not None else check.hint) if is_problem else "",
        finding.obj,
        message_id,
        check.doc_url,
        # As in Django's `check`: an id silences the messages that carry it, and no others.
        is_problem and message_id in silenced_ids,
        seconds,
        finding.app,
        finding.details,
    )


def not_evaluated(checks: Iterable[Check]) -> list[Result]:
    """Results for checks a run did not reach before it was interrupted."""
    reason = _("The run was interrupted before this check was evaluated.")
    return [as_result(check, Finding(Status.ERROR, reason), 0.0, frozenset()) for check in checks]
