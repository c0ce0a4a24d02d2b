"""The geometry of the overview's chart: per run, its problems above a line and its passes below it.

A stack of 1 failure on 80 passes on one scale is a red sliver under a tall green bar: the chart read
"all green" when production had failed. So the problems (failed, then not evaluated) have a band and a
scale of their own above the line, each at least ``MIN_PROBLEM`` high when there is any, and the passes
a shorter band of their own below it: trouble shows at a glance, whatever the number of passes.

Runs go in the order given; the overview gives them newest first, as its grid reads (see
deploycheck.web.overview). Computed here and drawn by the template as an SVG, so that the page needs
no script; the numbers are the chart's own units (its viewBox), which the browser scales to the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from deploycheck.models import CheckRun
from deploycheck.web.run_labels import RunLabel

WIDTH = 600
LEFT = 40  # room for the y-axes' values
RIGHT = 8
TOP = 8
PROBLEM_BAND = 96  # the problems' band, above the line
PASSED_BAND = 40  # the passes' band, below it: the quiet part
# Three lines of labels (release, day, run) at the phone's larger type (admin.css), 1.2em apart.
LABEL_ROOM = 66
HEIGHT = TOP + PROBLEM_BAND + PASSED_BAND + LABEL_ROOM
# The least height of a part with a problem in it: 8 of 600 units, about 5 px on a 390 px phone.
MIN_PROBLEM = 8.0
MOST_LABELS = 8
# From the line up: what failed first, where the eye starts.
PROBLEMS = ("failed", "not_evaluated")


@dataclass
class Tally:
    """What one run found, in the three parts of its bar, and how the run is named under it."""

    run: CheckRun
    failed: int = 0
    not_evaluated: int = 0
    passed: int = 0
    label: RunLabel | None = None

    def part(self, kind: str) -> int:
        return int(getattr(self, kind))

    @property
    def problems(self) -> int:
        return self.failed + self.not_evaluated


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
    segments: list[Segment]  # problems above the line, then the passes below it
    labelled: bool  # False where labels would crowd: the tooltip still names the run

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
    problem_ticks: list[Tick]
    passed_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    line: int = TOP + PROBLEM_BAND  # between the problems and the passes
    bottom: int = TOP + PROBLEM_BAND + PASSED_BAND

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


def _scale(highest: int, room: float, most_steps: int) -> tuple[float, int, int]:
    """Units per check, the round top value and its step, for values up to ``highest`` in ``room``."""
    step = nice_step(highest, most_steps)
    top_value = max(math.ceil(highest / step) * step, step)
    return room / top_value, top_value, step


def _problem_segments(tally: Tally, scale: float, line: float) -> list[Segment]:
    segments, y = [], line
    for kind in PROBLEMS:
        value = tally.part(kind)
        if value:
            height = max(value * scale, MIN_PROBLEM)
            y -= height
            segments.append(Segment(kind, round(y, 1), round(height, 1)))
    return segments


def chart(tallies: Sequence[Tally]) -> Chart:
    """Bars for ``tallies``, the first on the left: problems up from the line, passes down from it."""
    line = TOP + PROBLEM_BAND
    # The problems' scale keeps MIN_PROBLEM of headroom: two parts raised to the minimum still fit.
    problem_scale, problem_top, problem_step = _scale(
        max((tally.problems for tally in tallies), default=0), PROBLEM_BAND - MIN_PROBLEM, 4
    )
    passed_scale, passed_top, _step = _scale(max((tally.passed for tally in tallies), default=0), PASSED_BAND, 1)
    problem_ticks = [
        Tick(round(line - value * problem_scale, 1), value) for value in range(0, problem_top + 1, problem_step)
    ]
    passed_ticks = [Tick(round(line + passed_top * passed_scale, 1), passed_top)]
    slot = (WIDTH - RIGHT - LEFT) / max(len(tallies), 1)
    width = min(slot * 0.7, 40.0)
    every = math.ceil(len(tallies) / MOST_LABELS) or 1
    bars = []
    for index, tally in enumerate(tallies):
        segments = _problem_segments(tally, problem_scale, line)
        if tally.passed:
            segments.append(Segment("passed", line, round(tally.passed * passed_scale, 1)))
        x = LEFT + index * slot + (slot - width) / 2
        # The first run is always labelled; the others every few bars, counted from it.
        bars.append(Bar(tally, round(x, 1), round(width, 1), segments, labelled=index % every == 0))
    return Chart(bars, problem_ticks, passed_ticks)
