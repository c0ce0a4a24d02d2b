"""Signals sent by the runner."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after every saved run with ``run`` (the CheckRun) and ``report`` (the runner's Report).
run_finished = Signal()

# Sent after a saved run in which checks that passed in the previous run of the same app fail:
# ``run``, ``previous`` (that run) and ``regressions`` (the CheckResult rows failing now).
regression = Signal()
