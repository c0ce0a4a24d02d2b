"""Plain check functions, named by dotted path in DEPLOYCHECK["CHECKS"]; importing registers nothing."""

from __future__ import annotations

import os
import time
from pathlib import Path

from deploycheck.core.check import error, passed, skipped


def raises(facts):
    """A check that raises"""
    raise RuntimeError("boom\nwith a second line")


def not_applicable(facts):
    """Applies nowhere"""
    return skipped("nothing to check here")


def cannot_tell(facts):
    """Cannot be evaluated"""
    return error("the oracle is down")


def leaves_a_mark(facts):
    """Leaves a mark when it runs"""
    marker = os.environ.get("DEPLOYCHECK_TEST_RAN")
    if marker:
        Path(marker).write_text("ran")
    return passed()


def slow(facts):
    """Waits until the test interrupts the run"""
    marker = os.environ.get("DEPLOYCHECK_TEST_STARTED")
    if marker:
        Path(marker).write_text("started")
    time.sleep(30)
    return passed()
