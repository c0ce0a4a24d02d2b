"""How a run is named where space is short: under a bar of the overview's chart, over a column of its grid.

A run id alone says nothing to a reader who thinks in deploys: each label gives the release, the day
and the run, and a sentence with the full date for a tooltip and assistive technology.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import dateformat, formats, timezone
from django.utils.translation import gettext, pgettext

from deploycheck.models import CheckRun


@dataclass(frozen=True)
class RunLabel:
    run_id: int
    release: str  # Heroku's release version ("v142"), "" for a run that knew none
    day: str  # "Mar 12", "12 mars"
    number: str  # "#57", "nº 57"
    sentence: str  # "Run 57, release v142, 03/12/2026 2:03 p.m."

    @property
    def parts(self) -> list[str]:
        """The short label's parts, release first: a deploy is what the reader looks for."""
        return [part for part in (self.release, self.day, self.number) if part]

    @property
    def short(self) -> str:
        return " · ".join(self.parts)


def run_labels(runs: Iterable[CheckRun]) -> list[RunLabel]:
    """The runs' labels, in the reader's language: the words and formats looked up once, as the overview
    names 30 runs of each app."""
    # Translators: a format of Django's date filter (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date),
    # the day of a run under a bar of a chart: short, without the year.
    day_format = formats.get_format(pgettext("day of a run in a chart, a date format", "M j"))
    moment_format = formats.get_format("SHORT_DATETIME_FORMAT")
    number = pgettext("a run's number in a chart's label", "#%(id)s")
    with_release = gettext("Run %(id)s, release %(release)s, %(date)s")
    without_release = gettext("Run %(id)s, %(date)s")
    labels = []
    for run in runs:
        started = timezone.localtime(run.started_at)
        moment = dateformat.format(started, moment_format)
        words = {"id": run.pk, "release": run.release_version, "date": moment}
        sentence = (with_release if run.release_version else without_release) % words
        day = dateformat.format(started, day_format)
        labels.append(RunLabel(run.pk, run.release_version, day, number % words, sentence))
    return labels


def run_label(run: CheckRun) -> RunLabel:
    return run_labels([run])[0]
