"""The columns of the runs list: short cells, so that the app, release and commit stay in view
beside the admin's filters on a laptop, and read as one card per run on a phone."""

from __future__ import annotations

from django.contrib import admin
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_lazy

from deploycheck.core import rules
from deploycheck.core.choices import level_name
from deploycheck.models import CheckRun
from deploycheck.web import display


class RunColumns:
    """The display methods of CheckRunAdmin.list_display."""

    @admin.display(description=gettext_lazy("outcome"), ordering="outcome")
    def outcome_badge(self, run: CheckRun) -> str:
        verdict = display.list_verdict(run)
        badge = format_html(
            '<span class="deploycheck-badge deploycheck-{}">{}</span>', display.outcome_class(run), verdict
        )
        selection = rules.selection_text(run.selection)
        if not selection:
            return badge
        # A partial run's verdict speaks for what it evaluated only: said under it.
        return format_html(
            '{}<span class="deploycheck-partial">{}</span>',
            badge,
            gettext("Partial run (%(selection)s)") % {"selection": selection},
        )

    @admin.display(description=gettext_lazy("fail level"), ordering="fail_level")
    def fail_level_name(self, run: CheckRun) -> str:
        return level_name(run.fail_level) or ""

    @admin.display(description=gettext_lazy("started at"), ordering="started_at")
    def started(self, run: CheckRun) -> str:
        # How it was started and how long it took, under the date: two columns fewer to scroll to.
        # The date and the time are apart, so that a narrow column puts the time under the date.
        started = localtime(run.started_at)
        return format_html(
            '<span class="deploycheck-when">{}</span> <span class="deploycheck-when">{}</span>'
            '<span class="deploycheck-run-how">{} · {}</span>',
            date_format(started, "SHORT_DATE_FORMAT"),
            time_format(started, "TIME_FORMAT"),
            run.get_trigger_display(),
            display.duration_text(run.duration),
        )

    @admin.display(description=gettext_lazy("Heroku app"), ordering="heroku_app")
    def app_name(self, run: CheckRun) -> str:
        return run.heroku_app or gettext("This site")

    @admin.display(description=gettext_lazy("passed / failed / skipped / not evaluated"))
    def counts(self, run: CheckRun) -> str:
        return f"{run.passed_count} / {run.failed_count} / {run.skipped_count} / {run.error_count}"

    @admin.display(description=gettext_lazy("release"), ordering="release_version")
    def release(self, run: CheckRun) -> str:
        if not run.commit:
            return run.release_version or "–"
        # The commit under the release on a desktop, as the run's trigger under its date: a narrower column.
        return format_html('{} <code class="deploycheck-commit">{}</code>', run.release_version or "–", run.commit[:8])
