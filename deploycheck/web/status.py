"""Each app's latest verdict, as the status endpoint, the metrics and the badge give it.

Read from each app's latest stored run (deploycheck.store.latest: two queries whatever the history
holds); nothing here runs a check. A run passed only when its outcome is ``passed``: a failed,
not evaluated (``error``) or interrupted run, or an outcome this version does not know, did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from deploycheck.core.choices import Outcome, level_name
from deploycheck.models import CheckRun
from deploycheck.store.latest import latest_runs

# status.json's version: fields may be added within it, never removed or changed.
STATUS_SCHEMA = 1
COUNTED_STATUSES = ("passed", "failed", "skipped", "error", "silenced")


@dataclass(frozen=True)
class Verdict:
    """One app's latest run, as programs read it."""

    app: str  # the Heroku app, "" for this site
    run: CheckRun

    @property
    def passed(self) -> bool:
        return self.run.outcome == Outcome.PASSED

    @property
    def fail_level(self) -> str:
        return level_name(self.run.fail_level) or str(self.run.fail_level)

    @property
    def counts(self) -> dict[str, int]:
        run = self.run
        by_status = {
            "passed": run.passed_count,
            "failed": run.failed_count,
            "skipped": run.skipped_count,
            "error": run.error_count,
        }
        return {"total": sum(by_status.values()), **by_status, "silenced": run.silenced_count}

    def age_seconds(self, now: datetime) -> float:
        # When the run ended: a long run is not older for having taken long.
        return max((now - self.run.finished_at).total_seconds(), 0.0)


def verdicts() -> list[Verdict]:
    """Every app with a stored run, the Heroku apps by name, then this site."""
    found = [Verdict(run.heroku_app, run) for run in latest_runs()]
    return sorted(found, key=lambda verdict: (verdict.app == "", verdict.app))


def verdict_of(app: str) -> Verdict | None:
    """One app's latest verdict ("" for this site), or None when it has no run."""
    run = CheckRun.objects.filter(heroku_app=app).order_by("-started_at", "-pk").defer("selection").first()
    return None if run is None else Verdict(app, run)


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
                "outcome": verdict.run.outcome,
                "fail_level": verdict.fail_level,
                "release": verdict.run.release_version or None,
                "commit": verdict.run.commit or None,
                "run_id": verdict.run.pk,
                "started_at": verdict.run.started_at.isoformat(),
                "finished_at": verdict.run.finished_at.isoformat(),
                "age_seconds": round(verdict.age_seconds(now), 3),
                "counts": verdict.counts,
            }
            for verdict in found
        ],
    }
