"""Each app's state, as the status endpoint, the metrics and the badge give it.

An app's state is each of its checks as its latest evaluation left it (deploycheck.store.state: a
fixed number of queries whatever the history holds); a partial run changes only what it
evaluated. Nothing here runs a check. An app passes only when that state passes at its latest
run's fail level: a failing check, or one not evaluated, in any of the runs it rests on, does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from deploycheck.core.choices import level_name
from deploycheck.core.rules import is_partial
from deploycheck.models import CheckRun
from deploycheck.store.state import State, state_of, states

# status.json's version: fields may be added within it, never removed or changed.
STATUS_SCHEMA = 1
COUNTED_STATUSES = ("passed", "failed", "skipped", "error", "silenced")


@dataclass(frozen=True)
class Verdict:
    """One app's state (each check as its latest evaluation left it), as programs read it."""

    state: State

    @property
    def app(self) -> str:
        return self.state.app  # the Heroku app, "" for this site

    @property
    def run(self) -> CheckRun:
        """The app's latest run."""
        return self.state.latest

    @property
    def passed(self) -> bool:
        return self.state.passed

    @property
    def fail_level(self) -> str:
        return level_name(self.run.fail_level) or str(self.run.fail_level)

    @property
    def counts(self) -> dict[str, int]:
        return self.state.counts()

    @property
    def run_counts(self) -> dict[str, int]:
        """The latest run's own counts, whatever it did not evaluate."""
        return self.state.run_counts()

    def age_seconds(self, now: datetime) -> float:
        # When the run ended: a long run is not older for having taken long.
        return max((now - self.run.finished_at).total_seconds(), 0.0)


def verdicts() -> list[Verdict]:
    """Every app with a stored run, the Heroku apps by name, then this site."""
    found = [Verdict(state) for state in states()]
    return sorted(found, key=lambda verdict: (verdict.app == "", verdict.app))


def verdict_of(app: str) -> Verdict | None:
    """One app's state ("" for this site), or None when it has no run."""
    state = state_of(app)
    return None if state is None else Verdict(state)


def all_passed(found: list[Verdict]) -> bool:
    """Every app's latest run passed; with no run at all, nothing says the site is ready."""
    return bool(found) and all(verdict.passed for verdict in found)


def status_document(found: list[Verdict], now: datetime | None = None) -> dict[str, Any]:
    """status.json: stable English keys and values, never translated."""
    now = now or timezone.now()
    return {
        "schema": STATUS_SCHEMA,
        "passed": all_passed(found),
        "generated_at": now.isoformat(),
        "apps": [
            {
                "app": verdict.app or None,
                "passed": verdict.passed,
                "outcome": verdict.state.outcome,
                "fail_level": verdict.fail_level,
                "release": verdict.run.release_version or None,
                "commit": verdict.run.commit or None,
                "run_id": verdict.run.pk,
                "started_at": verdict.run.started_at.isoformat(),
                "finished_at": verdict.run.finished_at.isoformat(),
                "age_seconds": round(verdict.age_seconds(now), 3),
                "counts": verdict.counts,
                "latest_run": _latest_run(verdict),
                "oldest_evaluation": _oldest_evaluation(verdict, now),
            }
            for verdict in found
        ],
    }


def _latest_run(verdict: Verdict) -> dict[str, Any]:
    run = verdict.run
    return {"id": run.pk, "outcome": run.outcome, "partial": is_partial(run.selection), "selection": run.selection}


def _oldest_evaluation(verdict: Verdict, now: datetime) -> dict[str, Any]:
    """The oldest run the state rests on: the latest one, unless a partial run left checks as they were."""
    oldest = verdict.state.oldest
    return {
        "run_id": oldest.pk,
        "finished_at": oldest.finished_at.isoformat(),
        "age_seconds": round(verdict.state.age_seconds(now), 3),
    }
