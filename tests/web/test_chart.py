"""The overview chart's geometry: problems on their own scale above the line, passes below, in the order given."""

from __future__ import annotations

import pytest

from deploycheck.models import CheckRun
from deploycheck.web.chart import MIN_PROBLEM, MOST_LABELS, PROBLEM_BAND, Chart, Tally, chart, nice_step


def tallies(*counts: tuple[int, int, int]) -> list[Tally]:
    """(failed, not evaluated, passed) per run, run ids from 1."""
    return [
        Tally(CheckRun(pk=index), failed=failed, not_evaluated=not_evaluated, passed=passed)
        for index, (failed, not_evaluated, passed) in enumerate(counts, start=1)
    ]


def heights(drawn: Chart, index: int) -> dict[str, float]:
    return {segment.kind: segment.height for segment in drawn.bars[index].segments}


def test_nice_steps():
    assert [nice_step(value) for value in (0, 4, 5, 9, 41, 100, 1000)] == [1, 1, 2, 5, 20, 50, 500]


def test_one_failure_among_80_passes_is_at_least_the_minimum_height():
    # One run of 30 failures sets the problems' scale: the single failure beside it still shows.
    drawn = chart(tallies((1, 0, 80), (30, 0, 50), (0, 1, 80)))
    assert heights(drawn, 0)["failed"] >= MIN_PROBLEM
    assert heights(drawn, 2)["not_evaluated"] >= MIN_PROBLEM
    assert heights(drawn, 1)["failed"] > heights(drawn, 0)["failed"]
    # Alone, one failure among 80 passes fills the problems' band to its top value: 1.
    alone = chart(tallies((1, 0, 80)))
    assert heights(alone, 0)["failed"] == pytest.approx(PROBLEM_BAND - MIN_PROBLEM, abs=0.1)
    assert [tick.value for tick in alone.problem_ticks] == [0, 1]


def test_problems_rise_from_the_line_and_passes_hang_below_it():
    drawn = chart(tallies((2, 3, 40), (0, 0, 80)))
    failed, not_evaluated, passed = drawn.bars[0].segments
    assert (failed.kind, not_evaluated.kind, passed.kind) == ("failed", "not_evaluated", "passed")
    # Failures against the line, what was not evaluated on top of them, passes from the line down.
    assert failed.y + failed.height == pytest.approx(drawn.line, abs=0.1)
    assert not_evaluated.y + not_evaluated.height == pytest.approx(failed.y, abs=0.1)
    assert not_evaluated.y >= drawn.top
    assert passed.y == drawn.line
    assert passed.y + passed.height <= drawn.bottom
    # The passes' own scale: 80 passes reach the bottom of their band, 40 half of it.
    full = heights(drawn, 1)["passed"]
    assert passed.height == pytest.approx(full / 2, abs=0.1)
    assert [segment.kind for segment in drawn.bars[1].segments] == ["passed"]
    assert drawn.passed_ticks[0].value == 100
    assert drawn.passed_ticks[0].y == drawn.bottom


def test_two_parts_raised_to_the_minimum_stay_within_the_band():
    drawn = chart(tallies((1, 1, 10), (99, 1, 0), (1, 99, 0)))
    for bar in drawn.bars:
        assert min(segment.y for segment in bar.segments) >= drawn.top - 0.1, bar.segments
        assert all(segment.height >= MIN_PROBLEM for segment in bar.segments if segment.kind != "passed")
    top_tick = drawn.problem_ticks[-1]
    assert top_tick.value == 100
    assert top_tick.y >= drawn.top


def test_bars_go_in_the_order_given_the_first_on_the_left_and_always_labelled():
    # The overview gives its runs newest first: the first bar is the newest run.
    newest_first = tallies(*[(0, 0, 5)] * 30)[::-1]
    drawn = chart(newest_first)
    assert [bar.run.pk for bar in drawn.bars] == list(range(30, 0, -1))
    assert [bar.x for bar in drawn.bars] == sorted(bar.x for bar in drawn.bars)
    assert drawn.bars[0].x >= drawn.left
    assert drawn.bars[-1].x + drawn.bars[-1].width <= drawn.right
    labelled = [bar.run.pk for bar in drawn.bars if bar.labelled]
    assert labelled[0] == 30
    assert len(labelled) <= MOST_LABELS
    assert all(bar.labelled for bar in chart(newest_first[:3]).bars)


def test_a_run_without_problems_draws_nothing_above_the_line():
    drawn = chart(tallies((0, 0, 12)))
    [passed] = drawn.bars[0].segments
    assert passed.kind == "passed"
    assert chart([]).bars == []
