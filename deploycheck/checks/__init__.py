"""The check contract, the catalogue, and one module per family of checks."""

from __future__ import annotations

from deploycheck.checks.base import Check, Facts, Finding, error, failed, passed, skipped
from deploycheck.checks.family import Family

__all__ = ["Check", "Facts", "Family", "Finding", "error", "failed", "passed", "skipped"]
