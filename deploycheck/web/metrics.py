"""Each app's state and latest run as metrics: OpenMetrics 1.0.0, or Prometheus' text format 0.0.4.

Prometheus asks for OpenMetrics in its Accept header and gets it; any other client (curl, an
older scraper) gets the text format 0.0.4, which every Prometheus-compatible scraper reads. The
two differ only where the formats do: OpenMetrics has ``# UNIT``, the ``info`` type and ``# EOF``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from deploycheck.core.choices import Outcome
from deploycheck.web.status import COUNTED_STATUSES, Verdict

OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8"
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"
PREFIX = "deploycheck_"


@dataclass(frozen=True)
class Family:
    name: str  # without the prefix, and for an info, without its _info suffix
    kind: str  # "gauge" or "info"
    help: str
    unit: str = ""


# Each app's state: its checks as their latest evaluations left them, partial runs included.
STATE_RESULTS = Family("results", "gauge", "Results of each app's checks as last evaluated, by status.")
STATE_PASSED = Family("passed", "gauge", "1 when each app's checks, as last evaluated, pass, else 0.")
OLDEST = Family(
    "oldest_evaluation_age_seconds",
    "gauge",
    "Seconds since the oldest run each app's state rests on finished.",
    "seconds",
)
# The latest run alone, whatever it evaluated.
RESULTS = Family("latest_run_results", "gauge", "Results of each app's latest run alone, by status.")
PASSED = Family("latest_run_passed", "gauge", "1 when each app's latest run alone passed, else 0.")
AGE = Family("latest_run_age_seconds", "gauge", "Seconds since each app's latest run finished.", "seconds")
FINISHED = Family(
    "latest_run_timestamp_seconds", "gauge", "When each app's latest run finished, in Unix time.", "seconds"
)
RUN = Family("latest_run", "info", "Each app's latest run: its outcome, fail level and release.")


def wants_openmetrics(accept: str) -> bool:
    """Whether an Accept header asks for OpenMetrics (Prometheus lists it first when it can read it)."""
    for part in accept.split(","):
        media_type, _, parameters = part.partition(";")
        if media_type.strip().lower() == "application/openmetrics-text":
            # A q of 0 means "not this one".
            quality = [p.split("=", 1)[1].strip() for p in parameters.split(";") if p.strip().startswith("q=")]
            if not quality or _positive(quality[0]):
                return True
    return False


def _positive(quality: str) -> bool:
    try:
        return float(quality) > 0
    except ValueError:
        return False


def label_value(value: str) -> str:
    """A label value as both formats escape it: backslash, double quote and line feed."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(**labels: str) -> str:
    return "{" + ",".join(f'{name}="{label_value(value)}"' for name, value in labels.items()) + "}"


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))


def _samples(family: Family, found: list[Verdict], now: datetime) -> Iterator[tuple[str, float]]:
    for verdict in found:
        app, run = verdict.app, verdict.run
        if family in (STATE_RESULTS, RESULTS):
            counts = verdict.counts if family is STATE_RESULTS else verdict.run_counts
            for status in COUNTED_STATUSES:
                yield _labels(app=app, status=status), counts[status]
        elif family is STATE_PASSED:
            yield _labels(app=app), int(verdict.passed)
        elif family is OLDEST:
            yield _labels(app=app), round(verdict.state.age_seconds(now), 3)
        elif family is PASSED:
            yield _labels(app=app), int(run.outcome == Outcome.PASSED)
        elif family is AGE:
            yield _labels(app=app), round(verdict.age_seconds(now), 3)
        elif family is FINISHED:
            yield _labels(app=app), round(run.finished_at.timestamp(), 3)
        else:
            run_labels = _labels(
                app=app,
                outcome=run.outcome,
                fail_level=verdict.fail_level,
                release=run.release_version,
            )
            yield run_labels, 1


def exposition(found: list[Verdict], now: datetime, openmetrics: bool) -> str:
    """The metrics of ``found``, each family's samples together, in one of the two formats."""
    lines = []
    for family in (STATE_RESULTS, STATE_PASSED, OLDEST, RESULTS, PASSED, AGE, FINISHED, RUN):
        name = PREFIX + family.name
        sample_name = f"{name}_info" if family.kind == "info" else name
        if not openmetrics:
            # The text format 0.0.4 has no info type and no unit: an info is a gauge of value 1.
            name = sample_name
        lines.append(f"# TYPE {name} {family.kind if openmetrics else 'gauge'}")
        if family.unit and openmetrics:
            lines.append(f"# UNIT {name} {family.unit}")
        lines.append(f"# HELP {name} {family.help}")
        lines.extend(f"{sample_name}{labels} {_number(value)}" for labels, value in _samples(family, found, now))
    if openmetrics:
        lines.append("# EOF")
    return "\n".join(lines) + "\n"
