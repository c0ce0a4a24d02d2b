"""The rules of a result, written once: what fails, what was not evaluated, what blocks, what is
shown first, and the words of a run's verdict.

Every surface asks these functions (the text, JSON and JUnit reports, the admin's pages and the
overview, the comparison between runs, the e-mail, the webhooks, the status endpoint, the metrics
and the badge) rather than restating a rule. They take anything with a ``status``, a ``silenced``
flag and a ``level``: a :class:`~deploycheck.core.results.Result`, a stored row, or the light rows
the overview reads. A status written by a newer version of deploycheck counts as not evaluated:
this version cannot tell that it is fine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.db.models import Q
from django.utils.translation import gettext, ngettext, pgettext

from deploycheck.core.catalogue import family_rank
from deploycheck.core.choices import Level, Outcome, Status, level_name

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
# What a run's stored selection may narrow: a run that names any of them is partial.
PARTIAL_BY = ("tags", "checks", "apps", "urls")


class Unitary(Protocol):
    @property
    def check_id(self) -> str: ...
    @property
    def app(self) -> str | None: ...


def unit_of(result: Unitary) -> tuple[str, str]:
    """A check as run against one Heroku app: what is or is not evaluated, in a run or an app's state."""
    return (result.check_id, result.app or "")


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


def is_judged(result: Judged) -> bool:
    """Evaluated to a pass or a failure: what can tell that a failure was fixed."""
    return result.status in (PASSED, FAILED)


def has_level(status: str) -> bool:
    """A level belongs to a failure alone."""
    return status == FAILED


def may_be_silenced(status: str) -> bool:
    """What a silenced id hides, as in Django's `check`: a failure, or a check not evaluated (its hint is kept too)."""
    return status not in (PASSED, SKIPPED)


def blocks_at(result: Judged, fail_level: int) -> bool:
    """A failure that fails the run at ``fail_level``."""
    return is_failing(result) and (result.level or 0) >= fail_level


def fails_below(result: Judged, fail_level: int) -> bool:
    """A failure that does not fail the run at ``fail_level``: "passed at ERROR, 2 warnings"."""
    return is_failing(result) and (result.level or 0) < fail_level


def is_partial(selection: object) -> bool:
    """A run that asked for some checks, apps or URLs only (--tag, --check, --app, --url)."""
    return isinstance(selection, Mapping) and any(selection.get(name) for name in PARTIAL_BY)


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


class Placed(Judged, Protocol):
    @property
    def family(self) -> str: ...
    @property
    def message_id(self) -> str: ...
    @property
    def app(self) -> str | None: ...
    @property
    def obj(self) -> str: ...


def display_rank(result: Judged) -> tuple[int, int]:
    """Failures, most severe first; then what was not evaluated, silenced, skipped and passed."""
    rank = SILENCED_RANK if result.silenced else DISPLAY_ORDER.get(result.status, DISPLAY_ORDER[ERROR])
    return (rank, -(result.level or 0) if is_failing(result) else 0)


def display_key(result: Placed) -> tuple[Any, ...]:
    """The one order of results on every surface: :func:`display_rank`, then the catalogue's order
    of families, then id, app and object."""
    return (*display_rank(result), family_rank(result.family), result.message_id, result.app or "", result.obj)


def grid_rank(latest: str, statuses: Iterable[str]) -> int:
    """A check's place over several runs: 0 failing now, 1 not evaluated now, 2 a problem in an
    earlier run, 3 never a problem (``latest`` is "" when the latest run did not evaluate it)."""
    if latest == FAILED:
        return 0
    if latest not in {PASSED, SKIPPED, ""}:
        return 1
    return 2 if set(statuses) - {PASSED, SKIPPED, ""} else 3


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


def failures_by_level(levels: Iterable[int | None]) -> dict[int, int]:
    """How many failures of each of Django's levels (a custom level counts with the step below)."""
    counts: dict[int, int] = {}
    for level in levels:
        step = Level[level_name(level or 0) or "DEBUG"].value
        counts[step] = counts.get(step, 0) + 1
    return counts


def _counted(level: int, count: int) -> str:
    if level >= Level.ERROR:
        return ngettext("%(count)d error", "%(count)d errors", count) % {"count": count}
    if level >= Level.WARNING:
        return ngettext("%(count)d warning", "%(count)d warnings", count) % {"count": count}
    if level >= Level.INFO:
        return ngettext("%(count)d info message", "%(count)d info messages", count) % {"count": count}
    return ngettext("%(count)d debug message", "%(count)d debug messages", count) % {"count": count}


def outcome_label(outcome: str) -> str:
    """An outcome's word in the reader's language; one written by a newer version, as stored."""
    return str(Outcome(outcome).label) if outcome in Outcome.values else outcome


def verdict(outcome: str, fail_level: int, below: Mapping[int, int]) -> str:
    """A run's verdict: its outcome, saying so when it passed with failures below its fail level
    ("passed at ERROR, 6 warnings"); ``below`` counts those failures per level step."""
    if outcome != Outcome.PASSED or not below:
        return outcome_label(outcome)
    failures = ", ".join(_counted(level, count) for level, count in sorted(below.items(), reverse=True))
    sentence = pgettext("run outcome", "passed at %(level)s, %(failures)s")
    return sentence % {"level": level_name(fail_level), "failures": failures}


def verdict_of(outcome: str, fail_level: int, results: Iterable[Judged]) -> str:
    """:func:`verdict` from a run's results (or the rows of its failures alone)."""
    below = failures_by_level(result.level for result in results if fails_below(result, fail_level))
    return verdict(outcome, fail_level, below)


def selection_text(selection: object) -> str:
    """What a partial run asked for, in the reader's language ("tags: heroku, release"); "" for a full run."""
    if not is_partial(selection) or not isinstance(selection, Mapping):
        return ""
    words = {
        "tags": gettext("tags: %(names)s"),
        "checks": gettext("checks: %(names)s"),
        "apps": gettext("Heroku apps: %(names)s"),
        "urls": gettext("URLs: %(names)s"),
    }
    parts = [
        words[name] % {"names": ", ".join(str(item) for item in selection[name])}
        for name in PARTIAL_BY
        if isinstance(selection.get(name), list) and selection[name]
    ]
    return "; ".join(parts)
