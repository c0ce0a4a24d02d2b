"""The ``heroku`` family, and how its checks see one app at a time.

Each Heroku check is a pure function of one app's gathered resources (an :class:`AppFacts`).
The family is checked per app (:data:`HEROKU_APPS`): its checks are skipped when Heroku is not
configured, err for an app whose needed resources could not be read, and every finding names
its app. A hint names the `heroku` command that fixes the problem, with the app as its
``%(app)s`` parameter: ``<app>`` in the catalogue, the app's name in a result.

The checks are declared in deploycheck.families.heroku.checks and the modules it imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from deploycheck.core.check import Check, Facts, Finding
from deploycheck.core.deferred_text import Message
from deploycheck.core.family import Family
from deploycheck.families.heroku import reference
from deploycheck.families.heroku.gather import TARGET, Target, gather_heroku

DEV_CENTER = "https://devcenter.heroku.com/articles/"
# What a hint's %(app)s reads as in the catalogue, before it names an app.
ANY_APP = {"app": "<app>"}


@dataclass(frozen=True)
class AppFacts:
    """One app's resources, as gathered; a missing optional resource is a ResourceError."""

    name: str
    resources: Mapping[str, Any]
    today: date
    # Every gathered fact, for the checks that hold the app against the project's settings.
    facts: Facts | None = None

    def __getitem__(self, resource: str) -> Any:
        return self.resources[resource]

    def fact(self, name: str) -> Any:
        """A fact the check ``requires`` (``settings.ALLOWED_HOSTS``), gathered once for every app."""
        if self.facts is None:
            raise KeyError(name)
        return self.facts[name]

    @property
    def is_fir(self) -> bool:
        return bool(self.resources["app"]["generation"] == "fir")

    def web_dynos(self) -> int:
        return sum(process["quantity"] for process in self.resources["formation"] if process["type"] == "web")

    def custom_domains(self) -> list[dict[str, Any]]:
        return [domain for domain in self.resources["domains"] if domain["kind"] == "custom"]

    def postgres(self) -> list[dict[str, Any]]:
        return [addon for addon in self.resources["addons"] if addon["service"] == reference.POSTGRES_SERVICE]


class HerokuApps:
    """The heroku family's targets are the apps of ``heroku.apps``; ``heroku.<need>`` holds each one's part."""

    targets_fact = TARGET

    def fact_name(self, need: str) -> str:
        return f"heroku.{need}"

    def view(self, facts: Facts, target: str, gathered: Mapping[str, Any]) -> AppFacts:
        apps: Target = facts[self.targets_fact]
        return AppFacts(target, gathered, apps.gathered_at.date(), facts)

    def tag(self, finding: Finding, target: str, check: Check, view: Any) -> Finding:
        hint = finding.hint if finding.hint is not None else check.hint
        if isinstance(hint, Message):
            hint = hint % {"app": target}
        return replace(finding, app=target, hint=hint)


HEROKU_APPS = HerokuApps()

FAMILY = Family(
    "heroku",
    tags={"production"},
    providers={"heroku": gather_heroku},
    per=HEROKU_APPS,
    doc_root=DEV_CENTER,
)
