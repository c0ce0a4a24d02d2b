"""Helpers for tests of checks that return one finding or several."""

from __future__ import annotations

from collections.abc import Iterable

from deploycheck.core.check import Finding, as_findings
from deploycheck.core.choices import Level, Status


def as_list(produced: Finding | Iterable[Finding]) -> list[Finding]:
    return as_findings(produced)


def statuses(produced: Finding | Iterable[Finding]) -> list[tuple[Status, int | None]]:
    return [(finding.status, finding.level) for finding in as_list(produced)]


PASS = [(Status.PASSED, None)]
FAIL = [(Status.FAILED, None)]
WARN = [(Status.FAILED, Level.WARNING)]
SKIP = [(Status.SKIPPED, None)]
