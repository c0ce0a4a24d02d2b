"""manage.py deploycheck: arguments -> runner -> renderer -> exit status."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from deploycheck import conf, reporting, runner
from deploycheck.checks.registry import catalogue
from deploycheck.choices import LEVELS

EXIT_INTERRUPTED = 130


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Heroku stops a dyno with SIGTERM: treat it like Ctrl-C so the run is recorded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # argparse renders it when --help asks
        "Run Django's deployment checklist and deploycheck's production checks, "
        "print a report, store it, and exit non-zero when something fails."
    )
    # The django family runs Django's system checks itself and reports them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-t",
            "--tag",
            dest="tags",
            action="append",
            default=[],
            help=_("Run only checks with this tag or family (repeatable)."),
        )
        parser.add_argument(
            "--check",
            dest="check_ids",
            action="append",
            default=[],
            metavar="ID",
            help=_("Run only the check with this id (repeatable)."),
        )
        parser.add_argument(
            "--app",
            dest="apps",
            action="append",
            default=[],
            metavar="NAME",
            help=_("Check this Heroku app (repeatable); overrides DEPLOYCHECK['HEROKU_APPS'] and HEROKU_APP_NAME."),
        )
        parser.add_argument(
            "--url",
            dest="urls",
            action="append",
            default=[],
            metavar="URL",
            help=_("Probe this https:// address of the deployed site (repeatable); overrides DEPLOYCHECK['URLS']."),
        )
        parser.add_argument("--list-tags", action="store_true", help=_("List the available tags."))
        parser.add_argument("--list", action="store_true", help=_("List every check in the catalogue."))
        parser.add_argument(
            "--prune",
            action="store_true",
            help=_(
                "Delete the runs older than DEPLOYCHECK['RETENTION_DAYS'] days, keeping each app's newest, and exit."
            ),
        )
        parser.add_argument(
            "--fail-level",
            choices=list(LEVELS),
            type=str.upper,
            help=_("Exit 1 when a failure is at or above this level (default: ERROR)."),
        )
        parser.add_argument("--format", choices=["text", "json", "junit"], default="text", help=_("Output format."))
        parser.add_argument(
            "--output", metavar="FILE", help=_("Write the report to this file instead of the standard output.")
        )
        parser.add_argument("--no-save", action="store_true", help=_("Do not store the run."))
        parser.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            help=_("Show only what fails or could not be evaluated, and the summary."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bad_urls = [url for url in options["urls"] if not conf.is_https_url(url)]
        if bad_urls:
            raise CommandError(
                _("--url takes https:// addresses, not %(urls)s.") % {"urls": ", ".join(bad_urls)},
                returncode=runner.EXIT_USAGE,
            )
        problems = conf.problems()
        if problems:
            error_id, explanation = problems[0]
            raise CommandError(f"{explanation} ({error_id})", returncode=runner.EXIT_USAGE)
        try:
            if options["list_tags"]:
                self.stdout.write("\n".join(runner.available_tags()))
                return
            if options["list"]:
                self._write_catalogue(options["format"])
                return
            if options["prune"]:
                self._prune()
                return
            report = self._execute(options)
        except (runner.SelectionError, ImproperlyConfigured, ValueError) as exc:
            raise CommandError(str(exc), returncode=runner.EXIT_USAGE) from None
        self._write_report(report, options)
        if report.exit_status != runner.EXIT_OK:
            raise CommandError(self._exit_reason(report), returncode=report.exit_status)

    def _execute(self, options: dict[str, Any]) -> runner.Report:
        with _sigterm_as_interrupt():
            try:
                return runner.execute(
                    tags=options["tags"],
                    check_ids=options["check_ids"],
                    fail_level=options["fail_level"],
                    trigger=runner.detect_trigger(),
                    save=not options["no_save"],
                    apps=options["apps"],
                    urls=options["urls"],
                )
            except runner.RunInterrupted as interruption:
                self._write_report(interruption.report, options)
                raise CommandError(
                    _("Interrupted; the run was recorded as interrupted."), returncode=EXIT_INTERRUPTED
                ) from None

    def _prune(self) -> None:
        from deploycheck.retention import prune

        days = conf.get_settings().retention_days
        if days is None:
            raise CommandError(
                _("Set DEPLOYCHECK['RETENTION_DAYS'] to the number of days of runs to keep."),
                returncode=runner.EXIT_USAGE,
            )
        deleted = prune(days)
        self.stdout.write(
            ngettext(
                "Deleted %(count)d run older than %(days)d days.",
                "Deleted %(count)d runs older than %(days)d days.",
                deleted,
            )
            % {"count": deleted, "days": days}
        )

    def _write_catalogue(self, output_format: str) -> None:
        checks = catalogue()
        if output_format == "json":
            self.stdout.write(json.dumps(reporting.catalogue_as_dicts(checks), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(reporting.render_catalogue(checks))

    def _write_report(self, report: runner.Report, options: dict[str, Any]) -> None:
        output_file = options.get("output")
        if options["format"] == "json":
            rendered = reporting.render_json(report)
        elif options["format"] == "junit":
            rendered = reporting.render_junit(report)
        else:
            style = no_style() if output_file else self.style
            rendered = reporting.TextRenderer(style, quiet=options["quiet"]).render(report)
        if output_file:
            try:
                Path(output_file).write_text(rendered + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s") % {"file": output_file, "error": exc.strerror},
                    returncode=runner.EXIT_USAGE,
                ) from None
            self.stdout.write(reporting.TextRenderer(self.style).summary(report))
        else:
            self.stdout.write(rendered)
        if options["no_save"] or report.run is not None:
            return
        warning = _("Warning: the results were not saved: %(reason)s") % {"reason": report.not_saved_reason}
        self.stderr.write(self.style.WARNING(warning))

    def _exit_reason(self, report: runner.Report) -> str:
        if report.exit_status == runner.EXIT_FAILED:
            return _("deploycheck found problems at or above the fail level.")
        return _("some checks could not be evaluated (exit status %(status)d).") % {"status": report.exit_status}
