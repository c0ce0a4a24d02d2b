"""How a run is named under a bar and over a column: release, day and run, and a sentence for a tooltip."""

from __future__ import annotations

from datetime import datetime, timezone

from django.utils import translation

from deploycheck.models import CheckRun
from deploycheck.web.run_labels import run_label

STARTED = datetime(2026, 3, 12, 14, 3, tzinfo=timezone.utc)  # the suite's TIME_ZONE is UTC


def test_release_day_and_run_in_english_and_french():
    run = CheckRun(pk=57, started_at=STARTED, release_version="v142")
    label = run_label(run)
    assert label.parts == ["v142", "Mar 12", "#57"]
    assert label.short == "v142 · Mar 12 · #57"
    assert label.sentence == "Run 57, release v142, 03/12/2026 2:03 p.m."
    with translation.override("fr"):
        french = run_label(run)
    assert french.parts == ["v142", "12 mars", "nº 57"]
    assert french.sentence == "Exécution 57, release v142, 12/03/2026 14:03"


def test_a_run_without_a_release_is_named_by_its_day_and_number():
    label = run_label(CheckRun(pk=3, started_at=STARTED, release_version=""))
    assert label.parts == ["Mar 12", "#3"]
    assert label.sentence == "Run 3, 03/12/2026 2:03 p.m."
