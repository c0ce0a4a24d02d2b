"""Signals sent by the runner."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after every saved run with ``run`` (the CheckRun) and ``report`` (the runner's Report).
run_finished = Signal()
