"""How the admin shows a run: its verdict, a duration, a hint, and its results, problems first.

Everything here returns text in the reader's language; the rules of what a result means, its
order and a verdict's words are in :mod:`deploycheck.core.rules`, and this module only reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from deploycheck.core import markup, reporting
from deploycheck.core.choices import Level, Outcome, Status
from deploycheck.core.results import Result
from deploycheck.core.rules import display_key, failing_rows, is_problem, verdict
from deploycheck.models import CheckResult

if TYPE_CHECKING:
    from deploycheck.models import CheckRun


def duration_text(duration: timedelta | float) -> str:
    """One way to write a duration on every page: "0.12 s", "1 min 5 s", "2 h 3 min"."""
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration)
    if round(seconds, 2) < 60:
        return gettext("%(seconds)s s") % {"seconds": number_format(round(max(seconds, 0.0), 2), 2)}
    whole = round(seconds)
    if whole < 3600:
        return gettext("%(minutes)d min %(seconds)d s") % {"minutes": whole // 60, "seconds": whole % 60}
    return gettext("%(hours)d h %(minutes)d min") % {"hours": whole // 3600, "minutes": whole % 3600 // 60}


def code_spans(text: object, limit: int | None = None) -> SafeString:
    """A hint or a message with its `code` as <code>, escaped first (deploycheck.core.markup); cut to ``limit``."""
    return markup.as_html(text, limit)


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
    return verdict(run.outcome, run.fail_level, below)


OUTCOME_CLASSES: dict[str, str] = {
    Outcome.PASSED: "passed",
    Outcome.FAILED: "failed",
    Outcome.ERROR: "error",
    Outcome.INTERRUPTED: "error",
}


def outcome_class(run: CheckRun) -> str:
    """The colour of a run's badge; an outcome written by a newer version is neutral, shown as stored."""
    return OUTCOME_CLASSES.get(run.outcome, "none")


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
    for result in sorted(results, key=display_key):
        if result.silenced:
            found.silenced.append(result)
        elif is_problem(result):
            found.problems.append(result)
        elif result.status == Status.PASSED:
            found.passed.append(result)
        else:
            found.skipped.append(result)
    return found
