"""The geometry of the overview's chart: stacked bars of failed, not evaluated and passed per run.

Computed here and drawn by the template as an SVG, so that the page needs no script; the
numbers are the chart's own units (its viewBox), which the browser scales to the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from deploycheck.models import CheckRun

WIDTH = 600
HEIGHT = 180
LEFT = 40  # room for the y-axis values
RIGHT = 8
TOP = 10
BOTTOM = 22  # room for the run numbers under the bars
MOST_LABELS = 12
# Bottom to top: what failed first, where the eye starts.
STACK = ("failed", "not_evaluated", "passed")


@dataclass
class Tally:
    """What one run found, in the three parts of its bar."""

    run: CheckRun
    failed: int = 0
    not_evaluated: int = 0
    passed: int = 0

    def part(self, kind: str) -> int:
        return int(getattr(self, kind))

    @property
    def total(self) -> int:
        return self.failed + self.not_evaluated + self.passed


@dataclass
class Segment:
    kind: str
    y: float
    height: float


@dataclass
class Bar:
    tally: Tally
    x: float
    width: float
    segments: list[Segment]
    label: str  # the run's number under the bar, or "" where labels would crowd

    @property
    def run(self) -> CheckRun:
        return self.tally.run

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass
class Tick:
    y: float
    value: int


@dataclass
class Chart:
    bars: list[Bar]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def label_y(self) -> int:
        return self.bottom + 15

    @property
    def tick_x(self) -> int:
        return self.left - 4

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top


def nice_step(highest: int, most_steps: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) that divides 0..highest in at most ``most_steps``."""
    if highest <= most_steps:
        return 1
    power = 1
    while highest / (10 * power) > most_steps:
        power *= 10
    for factor in (1, 2, 5):
        if highest / (factor * power) <= most_steps:
            return factor * power
    return 10 * power


def chart(tallies: Sequence[Tally]) -> Chart:
    """Bars for ``tallies``, oldest on the left, on a y-axis from 0 to a round value."""
    highest = max((tally.total for tally in tallies), default=0)
    step = nice_step(highest)
    top_value = max(math.ceil(highest / step) * step, step)
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    scale = (plot_bottom - plot_top) / top_value
    ticks = [Tick(round(plot_bottom - value * scale, 1), value) for value in range(0, top_value + 1, step)]
    slot = (WIDTH - RIGHT - LEFT) / max(len(tallies), 1)
    width = min(slot * 0.7, 40.0)
    every = math.ceil(len(tallies) / MOST_LABELS) or 1
    bars = []
    for index, tally in enumerate(tallies):
        segments, below = [], 0
        for kind in STACK:
            value = tally.part(kind)
            if value:
                y = plot_bottom - (below + value) * scale
                segments.append(Segment(kind, round(y, 1), round(value * scale, 1)))
                below += value
        x = LEFT + index * slot + (slot - width) / 2
        # The newest run is always labelled; the others every few bars, counted from it.
        label = str(tally.run.pk) if (len(tallies) - 1 - index) % every == 0 else ""
        bars.append(Bar(tally, round(x, 1), round(width, 1), segments, label))
    return Chart(bars, ticks)
