"""The check contract, the catalogue, and one module per family of checks."""

from __future__ import annotations

from deploycheck.checks.base import Check, Facts, Family, Finding, error, failed, passed, skipped

__all__ = ["Check", "Facts", "Family", "Finding", "error", "failed", "passed", "skipped"]
