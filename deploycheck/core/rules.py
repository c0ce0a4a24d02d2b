"""The rules of a result, written once: what fails, what was not evaluated, what blocks, what is shown first.

Every surface asks these functions (the text, JSON and JUnit reports, the admin's pages and the
overview, the comparison between runs, the e-mail, the webhooks, the status endpoint, the metrics
and the badge) rather than restating a rule. They take anything with a ``status``, a ``silenced``
flag and a ``level``: a :class:`~deploycheck.core.results.Result`, a stored row, or the light rows
the overview reads. A status written by a newer version of deploycheck counts as not evaluated:
this version cannot tell that it is fine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.db.models import Q

from deploycheck.core.choices import Outcome, Status

# Plain strings: the overview asks these thousands of times a page, and comparing with the enum's
# members is slower. Status is a str enum, so both compare equal.
FAILED, ERROR, PASSED, SKIPPED = (
    str(status.value) for status in (Status.FAILED, Status.ERROR, Status.PASSED, Status.SKIPPED)
)
SETTLED_STATUSES = frozenset({PASSED, FAILED, SKIPPED})
# Where a result is shown among others: failures first, then what could not be evaluated,
# silenced results (by their flag, whatever their status), skipped, and passes.
DISPLAY_ORDER: dict[str, int] = {FAILED: 0, ERROR: 1, SKIPPED: 3, PASSED: 4}
SILENCED_RANK = 2


class Judged(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def silenced(self) -> bool: ...
    @property
    def level(self) -> int | None: ...


def is_failing(result: Judged) -> bool:
    """Failed, and not silenced."""
    return result.status == FAILED and not result.silenced


def is_not_evaluated(result: Judged) -> bool:
    """Could not be evaluated (or holds a status this version does not know), and not silenced."""
    return result.status not in SETTLED_STATUSES and not result.silenced


def is_problem(result: Judged) -> bool:
    """What a reader must look at: failing or not evaluated."""
    return is_failing(result) or is_not_evaluated(result)


def blocks_at(result: Judged, fail_level: int) -> bool:
    """A failure that fails the run at ``fail_level``."""
    return is_failing(result) and (result.level or 0) >= fail_level


def fails_below(result: Judged, fail_level: int) -> bool:
    """A failure that does not fail the run at ``fail_level``: "passed at ERROR, 2 warnings"."""
    return is_failing(result) and (result.level or 0) < fail_level


def failing_rows() -> Q:
    """:func:`is_failing` as a filter on stored rows."""
    return Q(status=FAILED, silenced=False)


def kind_of(result: Judged) -> str:
    """Where a result counts in a tally: "failed", "not_evaluated", "passed", or "" (silenced or skipped)."""
    if result.silenced or result.status == SKIPPED:
        return ""
    if result.status == FAILED:
        return "failed"
    if result.status == PASSED:
        return "passed"
    return "not_evaluated"


def shown_status(result: Judged) -> str:
    """The status a grid cell shows: a silenced failure reads as a pass, as Django's `check` says nothing of it."""
    return PASSED if result.silenced and result.status == FAILED else result.status


def display_rank(result: Judged, message_id: str) -> tuple[int, int, str]:
    rank = SILENCED_RANK if result.silenced else DISPLAY_ORDER.get(result.status, DISPLAY_ORDER[ERROR])
    return (rank, -(result.level or 0), message_id)


def worst_status(statuses: Iterable[str]) -> str:
    """The status that speaks for several results of one check: failed, error, unknown, skipped, passed."""
    present = set(statuses)
    for status in (FAILED, ERROR):
        if status in present:
            return status
    unknown = sorted(present - SETTLED_STATUSES - {ERROR, ""})
    if unknown:
        return unknown[0]
    for status in (SKIPPED, PASSED):
        if status in present:
            return status
    return ""


def outcome_of(results: Iterable[Any], fail_level: int, interrupted: bool = False) -> Outcome:
    """A run's outcome: interrupted, failed at its fail level, not evaluated, or passed."""
    results = list(results)
    if interrupted:
        return Outcome.INTERRUPTED
    if any(blocks_at(result, fail_level) for result in results):
        return Outcome.FAILED
    if any(is_not_evaluated(result) for result in results):
        return Outcome.ERROR
    return Outcome.PASSED
