"""manage.py deploycheck: arguments -> runner -> renderer -> exit status."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, router
from django.utils.translation import gettext, gettext_noop, ngettext

from deploycheck import conf, runner
from deploycheck.core import reporting
from deploycheck.core.catalogue import SelectionError, catalogue
from deploycheck.core.choices import LEVELS
from deploycheck.core.results import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Report
from deploycheck.core.sanitising import safe_text
from deploycheck.management.process import ReportFile, detect_trigger, interruptible, why_not_written
from deploycheck.store.saving import database_error_text, database_fault

FORMATS = ("text", "json", "junit")
# What each option that runs no check can print; the options of a run do not apply to them.
FORMATS_WITHOUT_A_RUN = {"list": ("text", "json"), "list_tags": ("text",), "prune": ("text",)}
RUN_OPTIONS = {
    "tags": "--tag",
    "check_ids": "--check",
    "apps": "--app",
    "urls": "--url",
    "fail_level": "--fail-level",
    "output": "--output",
    "no_save": "--no-save",
    "quiet": "--quiet",
}


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


class Command(BaseCommand):
    # Translated when the parser is built (create_parser): argparse wants a str.
    help = gettext_noop(
        "Run Django's deployment checklist and deploycheck's production checks, "
        "print a report, store it, and exit non-zero when something fails."
    )
    # The django family runs Django's system checks itself and reports them.
    requires_system_checks: list[str] = []
    _parser: CommandParser | None = None

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = gettext(self.help)
        # Kept for usage errors found after parsing: argparse's usage line and exit status 2 on
        # the command line, CommandError under call_command(), as for every Django command.
        self._parser = parser
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        _add_selection_arguments(parser)
        parser.add_argument("--list-tags", action="store_true", help=gettext("List the available tags."))
        parser.add_argument("--list", action="store_true", help=gettext("List every check in the catalogue."))
        parser.add_argument(
            "--prune",
            action="store_true",
            help=gettext(
                "Delete the runs older than DEPLOYCHECK['RETENTION_DAYS'] days, keeping each app's newest, and exit."
            ),
        )
        parser.add_argument(
            "--fail-level",
            choices=list(LEVELS),
            type=str.upper,
            help=gettext("Exit 1 when a failure is at or above this level (default: ERROR)."),
        )
        parser.add_argument("--format", choices=FORMATS, default="text", help=gettext("Output format."))
        parser.add_argument(
            "--output", metavar="FILE", help=gettext("Write the report to this file instead of the standard output.")
        )
        parser.add_argument("--no-save", action="store_true", help=gettext("Do not store the run."))
        parser.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            help=gettext("Show only what fails or could not be evaluated, and the summary."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._handle(options)
        except CommandError as exc:
            # An error line may quote a setting, a --url or a database's message: print it inert.
            raise CommandError(safe_text(str(exc)), returncode=exc.returncode) from None

    def _handle(self, options: dict[str, Any]) -> None:
        with interruptible():
            self._check_options(options)
            problems = conf.problems()
            if problems:
                error_id, explanation = problems[0]
                raise CommandError(f"{explanation} ({error_id})", returncode=EXIT_USAGE)
            if options["list_tags"]:
                self.stdout.write("\n".join(sorted(catalogue.contents.tags)))
            elif options["list"]:
                self._write_catalogue(options["format"])
            elif options["prune"]:
                self._prune()
            else:
                self._run(options)

    def _check_options(self, options: dict[str, Any]) -> None:
        """Refuse what argparse alone cannot: values it does not check, and options that conflict."""
        bad_urls = [url for url in options["urls"] if not conf.is_https_url(url)]
        if bad_urls:
            self._usage_error(
                gettext("--url takes https:// addresses with a host name, not %(urls)s.")
                % {"urls": ", ".join(bad_urls)}
            )
        bad_apps = conf.apps_problem("--app", options["apps"])
        if bad_apps:
            self._usage_error(bad_apps)
        actions = [dest for dest in FORMATS_WITHOUT_A_RUN if options[dest]]
        if not actions:
            return
        action = actions[0]
        refused = [_flag(other) for other in actions[1:]]
        refused += [flag for dest, flag in RUN_OPTIONS.items() if options[dest] not in (None, False, [])]
        if options["format"] not in FORMATS_WITHOUT_A_RUN[action]:
            refused.append(f"--format {options['format']}")
        if refused:
            self._usage_error(
                gettext("%(option)s cannot be used with %(action)s.") % {"option": refused[0], "action": _flag(action)}
            )

    def _usage_error(self, message: str) -> NoReturn:
        message = safe_text(message)
        if self._parser is not None:
            self._parser.error(message)
        raise CommandError(message, returncode=EXIT_USAGE)

    def _run(self, options: dict[str, Any]) -> None:
        report_file = self._open_report_file(options["output"])
        try:
            try:
                report = runner.execute(
                    tags=options["tags"],
                    check_ids=options["check_ids"],
                    fail_level=options["fail_level"],
                    trigger=detect_trigger(),
                    save=not options["no_save"],
                    apps=options["apps"],
                    urls=options["urls"],
                )
            except SelectionError as exc:
                self._usage_error(str(exc))
            except (ImproperlyConfigured, ValueError) as exc:
                raise CommandError(str(exc), returncode=EXIT_USAGE) from None
            self._write_report(report, options, report_file)
        finally:
            if report_file is not None:
                report_file.discard()
        if report.exit_status != EXIT_OK:
            raise CommandError(self._exit_reason(report), returncode=report.exit_status)

    def _exit_reason(self, report: Report) -> str:
        if report.interrupted:
            if report.run is None:
                return gettext("Interrupted.")
            return gettext("Interrupted; the run was recorded as interrupted.")
        if report.exit_status == EXIT_FAILED:
            return gettext("deploycheck found problems at or above the fail level.")
        return gettext("some checks could not be evaluated (exit status %(status)d).") % {"status": report.exit_status}

    def _open_report_file(self, path: str | None) -> ReportFile | None:
        if path is None:
            return None
        if not path.strip():
            self._usage_error(gettext("--output takes the name of a file."))
        try:
            return ReportFile(path)
        except OSError as exc:
            self._usage_error(self._cannot_write(path, exc))

    def _cannot_write(self, path: str, exc: OSError) -> str:
        return gettext("Cannot write %(file)s: %(error)s") % {"file": path, "error": why_not_written(exc)}

    def _prune(self) -> None:
        from deploycheck.store.retention import prune

        days = conf.get_settings().retention_days
        if days is None:
            raise CommandError(
                gettext("Set DEPLOYCHECK['RETENTION_DAYS'] to the number of days of runs to keep."),
                returncode=EXIT_USAGE,
            )
        try:
            deleted = prune(days)
        except DatabaseError as exc:
            raise CommandError(self._why_not_pruned(exc), returncode=EXIT_USAGE) from None
        age = ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
        self.stdout.write(
            ngettext(
                "Deleted %(count)d run older than %(age)s.",
                "Deleted %(count)d runs older than %(age)s.",
                deleted,
            )
            % {"count": deleted, "age": age}
        )

    def _why_not_pruned(self, exc: DatabaseError) -> str:
        from deploycheck.models import CheckRun

        alias = router.db_for_write(CheckRun) or DEFAULT_DB_ALIAS
        reason = database_fault(alias, exc)
        if reason is None:
            return gettext("The old runs could not be deleted: the database refused it (%(error)s).") % {
                "error": database_error_text(exc)
            }
        return gettext("The old runs could not be deleted: %(reason)s") % {"reason": reason}

    def _write_catalogue(self, output_format: str) -> None:
        checks = catalogue.contents.checks
        if output_format == "json":
            self.stdout.write(json.dumps(reporting.catalogue_as_dicts(checks), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(reporting.render_catalogue(checks))

    def _write_report(self, report: Report, options: dict[str, Any], report_file: ReportFile | None) -> None:
        if options["format"] == "json":
            rendered = reporting.render_json(report)
        elif options["format"] == "junit":
            rendered = reporting.render_junit(report)
        else:
            style = no_style() if report_file else self.style
            rendered = reporting.TextRenderer(style, quiet=options["quiet"]).render(report)
        if report_file is not None:
            try:
                report_file.replace(rendered + "\n")
            except OSError as exc:
                raise CommandError(self._cannot_write(options["output"], exc), returncode=EXIT_USAGE) from None
            self.stdout.write(reporting.TextRenderer(self.style).summary(report))
        else:
            self.stdout.write(rendered)
        if options["no_save"] or report.run is not None:
            return
        reason = safe_text(str(report.not_saved_reason or ""))
        warning = gettext("Warning: the results were not saved: %(reason)s") % {"reason": reason}
        self.stderr.write(self.style.WARNING(warning))


def _add_selection_arguments(parser: CommandParser) -> None:
    """What to check: each option may be given several times."""
    repeatable: dict[str, Any] = {"action": "append", "default": []}
    parser.add_argument(
        "-t",
        "--tag",
        dest="tags",
        metavar="TAG",
        help=gettext("Run only checks with this tag or family (repeatable)."),
        **repeatable,
    )
    parser.add_argument(
        "--check",
        dest="check_ids",
        metavar="ID",
        help=gettext("Run only the check with this id (repeatable)."),
        **repeatable,
    )
    parser.add_argument(
        "--app",
        dest="apps",
        metavar="NAME",
        help=gettext(
            "Check this Heroku app, by name or id (repeatable); overrides DEPLOYCHECK['HEROKU_APPS'] "
            "and HEROKU_APP_NAME."
        ),
        **repeatable,
    )
    parser.add_argument(
        "--url",
        dest="urls",
        metavar="URL",
        help=gettext("Probe this https:// address of the deployed site (repeatable); overrides DEPLOYCHECK['URLS']."),
        **repeatable,
    )
