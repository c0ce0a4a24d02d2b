"""A family checked per target: one adapter loop for Heroku apps and live URLs alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from deploycheck.core.check import Check, FactError, Facts, Finding, failed, passed
from deploycheck.core.choices import Status
from deploycheck.core.evaluation import evaluate
from deploycheck.core.family import Family, Targets


class Shops:
    """Targets are shops; ``shops.<need>`` holds each shop's part; findings name their shop."""

    targets_fact = "shops.targets"

    def fact_name(self, need: str) -> str:
        return f"shops.{need}"

    def view(self, facts: Facts, target: str, gathered: Mapping[str, Any]) -> dict[str, Any]:
        return {"name": target, **gathered}

    def tag(self, finding: Finding, target: str, check: Check, view: Any) -> Finding:
        return replace(finding, app=target)


def shop_family() -> Family:
    family = Family("shops", per=Shops())

    @family.check("shops.open", title="Shops are open", needs=["hours"], optional=["sign"])
    def is_open(shop: dict[str, Any]) -> Finding:
        sign = "" if isinstance(shop["sign"], FactError) else shop["sign"]
        return passed() if shop["hours"] else failed(f"{shop['name']} is closed {sign}".strip())

    return family


def run(facts: Facts) -> list[tuple[str | None, str, str]]:
    [check] = shop_family().checks
    return [(result.app, result.status, str(result.message)) for result in evaluate([check], facts, frozenset())]


def test_each_target_is_checked_and_named():
    facts = Facts(
        {
            "shops.targets": Targets(("north", "south", "east")),
            "shops.hours": {"north": "9-18", "south": "", "east": FactError("the east shop did not answer")},
            "shops.sign": {"": FactError("no signs today")},
        }
    )
    assert run(facts) == [
        ("north", Status.PASSED, ""),
        ("south", Status.FAILED, "south is closed"),
        ("east", Status.ERROR, "the east shop did not answer"),
    ]


def test_no_target_skips_and_an_unusable_one_errs_once_for_the_family():
    [check] = shop_family().checks
    assert check.requires == ("shops.targets", "shops.hours", "shops.sign")
    skipped = Facts({"shops.targets": Targets((), not_configured="no shop is configured")})
    assert run(skipped) == [(None, Status.SKIPPED, "no shop is configured")]
    unusable = Facts({"shops.targets": Targets(("x",), unusable="the shop list is malformed")})
    assert run(unusable) == [(None, Status.ERROR, "the shop list is malformed")]
