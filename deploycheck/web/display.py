"""How the admin words a run: its verdict, a duration, a hint, and its results, problems first.

Everything here returns text in the reader's language; the rules of what a result means are in
:mod:`deploycheck.core.results`, and this module only reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from deploycheck.core import reporting
from deploycheck.core.catalogue import family_rank
from deploycheck.core.choices import Level, Outcome, Status, level_name
from deploycheck.core.results import Result
from deploycheck.core.rules import failing_rows, fails_below, is_failing, is_problem
from deploycheck.models import CheckResult

if TYPE_CHECKING:
    from deploycheck.models import CheckRun

CODE_SPAN = re.compile(r"`([^`\n]+)`")


def duration_text(duration: timedelta | float) -> str:
    """One way to write a duration on every page: "0.12 s", "1 min 5 s", "2 h 3 min"."""
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration)
    if round(seconds, 2) < 60:
        return _("%(seconds)s s") % {"seconds": number_format(round(max(seconds, 0.0), 2), 2)}
    whole = round(seconds)
    if whole < 3600:
        return _("%(minutes)d min %(seconds)d s") % {"minutes": whole // 60, "seconds": whole % 60}
    return _("%(hours)d h %(minutes)d min") % {"hours": whole // 3600, "minutes": whole % 3600 // 60}


def code_spans(text: object) -> SafeString:
    """Text with its `backticks` as <code>: escaped first, so nothing a peer wrote is taken as HTML."""
    # Escaped first: only the <code> added here is markup.
    return mark_safe(CODE_SPAN.sub(r"<code>\1</code>", escape(str(text))))


def failures_by_level(levels: Iterable[int | None]) -> dict[int, int]:
    """How many failures of each of Django's levels (a custom level counts with the step below)."""
    counts: dict[int, int] = {}
    for level in levels:
        step = Level[level_name(level or 0) or "DEBUG"].value
        counts[step] = counts.get(step, 0) + 1
    return counts


def run_verdict(run: CheckRun, failures: Iterable[Result | CheckResult]) -> str:
    """A run's verdict from its results, or from the rows of its failures alone (for the runs list)."""
    below = failures_by_level(failure.level for failure in failures if fails_below(failure, run.fail_level))
    return verdict(run.outcome, run.get_outcome_display(), run.fail_level, below)


# Django's level steps, each counted up to the next one.
_STEPS = (Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL)


def failures_below_fail_level() -> dict[str, Any]:
    """Annotations for a queryset of runs: per level step, the run's failures below its fail level."""
    annotations: dict[str, Any] = {}
    for step, next_step in zip(_STEPS, (*_STEPS[1:], 2**15), strict=True):
        failures = CheckResult.objects.filter(
            failing_rows(),
            Q(level__lt=next_step),
            Q(level__lt=OuterRef("fail_level")),
            run=OuterRef("pk"),
            level__gte=step,
        )
        counted = failures.order_by().values("run").annotate(count=Count("pk")).values("count")
        annotations[f"failed_below_{int(step)}"] = Subquery(counted, output_field=IntegerField())
    return annotations


def list_verdict(run: CheckRun) -> str:
    """The verdict of a run of the runs list, from the counts annotated by failures_below_fail_level()."""
    below = {int(step): count for step in _STEPS if (count := getattr(run, f"failed_below_{int(step)}", 0) or 0)}
    return verdict(run.outcome, run.get_outcome_display(), run.fail_level, below)


def _counted(level: int, count: int) -> str:
    if level >= Level.ERROR:
        return ngettext("%(count)d error", "%(count)d errors", count) % {"count": count}
    if level >= Level.WARNING:
        return ngettext("%(count)d warning", "%(count)d warnings", count) % {"count": count}
    if level >= Level.INFO:
        return ngettext("%(count)d info message", "%(count)d info messages", count) % {"count": count}
    return ngettext("%(count)d debug message", "%(count)d debug messages", count) % {"count": count}


def verdict(outcome: str, outcome_label: str, fail_level: int, below: Mapping[int, int]) -> str:
    """A run's outcome, saying so when it passed with failures below its fail level."""
    if outcome != Outcome.PASSED or not below:
        return outcome_label
    failures = ", ".join(_counted(level, count) for level, count in sorted(below.items(), reverse=True))
    sentence = pgettext("run outcome", "passed at %(level)s, %(failures)s")
    return sentence % {"level": level_name(fail_level), "failures": failures}


OUTCOME_CLASSES: dict[str, str] = {
    Outcome.PASSED: "passed",
    Outcome.FAILED: "failed",
    Outcome.ERROR: "error",
    Outcome.INTERRUPTED: "error",
}


def outcome_class(run: CheckRun) -> str:
    """The colour of a run's badge; an outcome written by a newer version is neutral, shown as stored."""
    return OUTCOME_CLASSES.get(run.outcome, "none")


def problem_order(result: Result) -> tuple[Any, ...]:
    # Failures, most severe first, then what could not be evaluated; then by family and id.
    failing = is_failing(result)
    level = -(result.level or 0) if failing else 0
    return (not failing, level, family_rank(result.family), result.message_id, result.app or "", result.obj)


@dataclass
class Sections:
    """A run's results as its page shows them: one list of problems, the rest folded."""

    problems: list[Result] = field(default_factory=list)
    passed: list[Result] = field(default_factory=list)
    skipped: list[Result] = field(default_factory=list)
    silenced: list[Result] = field(default_factory=list)

    @property
    def folded(self) -> list[tuple[str, str, list[Result]]]:
        """(name, "47 passed" in the reader's language, results) of each non-empty folded section."""
        found = {"passed": self.passed, "skipped": self.skipped, "silenced": self.silenced}
        words = reporting.counted(**{name: len(results) for name, results in found.items()})
        return [(name, words[name], results) for name, results in found.items() if results]


def sections(results: Iterable[Result]) -> Sections:
    """Failures and what could not be evaluated, across families; then passes, skips and silenced."""
    found = Sections()
    for result in sorted(results, key=problem_order):
        if result.silenced:
            found.silenced.append(result)
        elif is_problem(result):
            found.problems.append(result)
        elif result.status == Status.PASSED:
            found.passed.append(result)
        else:
            found.skipped.append(result)
    return found
