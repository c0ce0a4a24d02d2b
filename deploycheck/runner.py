"""The one way checks are run: select -> gather -> evaluate -> record -> signal.

The command, the admin and :func:`deploycheck.run` all call :func:`execute`. Gathering
is the only step that does I/O; evaluating calls each check's pure function on the
gathered facts; recording writes the run and all its rows in one transaction.
"""

from __future__ import annotations

import logging
import os
import platform
import socket
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deploycheck import __version__, conf
from deploycheck.checks.base import PASSED, Check, Facts, Finding, as_findings
from deploycheck.checks.registry import current_catalogue
from deploycheck.choices import LEVELS, Outcome, Status, Trigger
from deploycheck.gathering import gather
from deploycheck.safety import SafeLogRecords, redact_url, safe_text, safe_value
from deploycheck.signals import regression, run_finished

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from deploycheck.models import CheckRun

logger = logging.getLogger("deploycheck")
if not any(isinstance(existing, SafeLogRecords) for existing in logger.filters):
    logger.addFilter(SafeLogRecords())

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_EVALUATED = 3


class SelectionError(ValueError):
    """An unknown tag or check id was asked for."""


class NotSaved(RuntimeError):
    """The run was evaluated but could not be stored."""


@dataclass(slots=True)
class Result:
    """One evaluated row: a check and what it found, ready to report or record."""

    check: Check
    status: Status
    level: int | None
    message: str
    hint: str
    obj: str
    message_id: str
    silenced: bool
    seconds: float
    app: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Whatever a check or a peer put in a finding is made safe here, once: every renderer,
        # the database and the admin read this record. (The fast path keeps passes cheap.)
        self.message = safe_text(self.message)
        self.hint = safe_text(self.hint)
        self.obj = safe_text(self.obj, multiline=False)
        self.message_id = safe_text(self.message_id, multiline=False)
        if self.app is not None:
            self.app = safe_text(self.app, multiline=False)
        if self.details:
            self.details = safe_value(self.details)

    @property
    def blocks(self) -> bool:
        return self.status == Status.FAILED and not self.silenced

    @property
    def title(self) -> str:
        """The check's title in the current language; a project's check may put anything there."""
        return safe_text(str(self.check.title), multiline=False)


@dataclass(frozen=True)
class DeployInfo:
    """What identifies the deploy a run looked at; nothing secret."""

    heroku_app: str
    release_version: str
    commit: str
    django_version: str
    python_version: str
    deploycheck_version: str
    settings_module: str
    hostname: str

    @classmethod
    def from_environment(cls) -> DeployInfo:
        env = os.environ
        return cls(
            heroku_app=env.get("HEROKU_APP_NAME", ""),
            release_version=env.get("HEROKU_RELEASE_VERSION", ""),
            commit=env.get("HEROKU_SLUG_COMMIT") or env.get("SOURCE_VERSION", ""),
            django_version=django.get_version(),
            python_version=platform.python_version(),
            deploycheck_version=__version__,
            settings_module=env.get("DJANGO_SETTINGS_MODULE", ""),
            hostname=env.get("DYNO") or socket.gethostname(),
        )


@dataclass
class Report:
    """Everything a run produced; the renderers and the admin read it."""

    results: list[Result]
    started_at: datetime
    finished_at: datetime
    fail_level: int
    trigger: Trigger
    deploy: DeployInfo
    selection: dict[str, list[str]]
    interrupted: bool = False
    run: CheckRun | None = None
    not_saved_reason: str | None = None

    @property
    def outcome(self) -> Outcome:
        if self.interrupted:
            return Outcome.INTERRUPTED
        if any(result.blocks and (result.level or 0) >= self.fail_level for result in self.results):
            return Outcome.FAILED
        if any(result.status == Status.ERROR and not result.silenced for result in self.results):
            return Outcome.ERROR
        return Outcome.PASSED

    @property
    def exit_status(self) -> int:
        return {Outcome.FAILED: EXIT_FAILED, Outcome.ERROR: EXIT_NOT_EVALUATED}.get(self.outcome, EXIT_OK)

    @property
    def duration(self) -> timedelta:
        return self.finished_at - self.started_at

    def count(self, status: Status) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def silenced_count(self) -> int:
        return sum(1 for result in self.results if result.silenced)


def available_tags() -> list[str]:
    return sorted(current_catalogue().tags)


def select(tags: Iterable[str] = (), check_ids: Iterable[str] = ()) -> list[Check]:
    """The checks a run evaluates: everything by default, or those matching a tag or an id."""
    known = current_catalogue()
    tags, check_ids = set(tags), set(check_ids)
    unknown_tags = sorted(tags - known.tags)
    if unknown_tags:
        raise SelectionError(
            _("Unknown tag(s): %(unknown)s. Available tags: %(known)s.")
            % {"unknown": ", ".join(unknown_tags), "known": ", ".join(sorted(known.tags))}
        )
    unknown_ids = sorted(check_ids - known.by_id.keys())
    if unknown_ids:
        raise SelectionError(
            _("Unknown check id(s): %(unknown)s. `manage.py deploycheck --list` shows the catalogue.")
            % {"unknown": ", ".join(unknown_ids)}
        )
    if not tags and not check_ids:
        return [check for check in known.checks if check.selected_by_default]
    wanted = {known.by_id[check_id].id for check_id in check_ids}
    return [check for check in known.checks if check.id in wanted or _has_tag(check, tags)]


def _has_tag(check: Check, tags: set[str]) -> bool:
    # A check run only on request is not pulled in by its family's name alone.
    return not tags.isdisjoint(check.all_tags if check.selected_by_default else check.tags)


def _findings(check: Check, facts: Facts) -> list[Finding]:
    produced = check.function(facts)
    findings = produced if type(produced) is list else as_findings(produced)
    for finding in findings:
        if not isinstance(finding, Finding):
            raise TypeError(_("it returned something other than findings"))
    return findings or [PASSED]


def evaluate_one(check: Check, facts: Facts, silenced_ids: frozenset[str]) -> list[Result]:
    """Run one check's function; whatever it raises becomes an ``error`` result."""
    started = time.perf_counter()
    reason = facts.error_for(check.requires) if check.requires else None
    if reason is not None:
        findings = [Finding(Status.ERROR, _("Could not gather what this check needs: %(reason)s") % {"reason": reason})]
    else:
        try:
            findings = _findings(check, facts)
        except Exception as exc:
            logger.info("Check %s raised an exception", check.id, exc_info=True)
            findings = [
                Finding(
                    Status.ERROR,
                    _("The check raised %(exception)s: %(message)s")
                    % {"exception": type(exc).__name__, "message": _one_line(str(exc))},
                )
            ]
    seconds = (time.perf_counter() - started) / len(findings)
    return [_as_result(check, finding, seconds, silenced_ids) for finding in findings]


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _as_result(check: Check, finding: Finding, seconds: float, silenced_ids: frozenset[str]) -> Result:
    message_id = finding.message_id or check.id
    if finding.status is PASSED.status or finding.status == Status.SKIPPED:
        # The common case, kept cheap: a run is mostly passes.
        return Result(
            check, finding.status, None, str(finding.message), "", finding.obj, message_id, False, seconds, finding.app
        )
    level = (finding.level if finding.level is not None else check.level) if finding.status == Status.FAILED else None
    hint = finding.hint if finding.hint is not None else check.hint
    return Result(
        check=check,
        status=finding.status,
        level=level,
        message=str(finding.message),
        hint=str(hint),
        obj=finding.obj,
        message_id=message_id,
        silenced=message_id in silenced_ids or check.id in silenced_ids,
        seconds=seconds,
        app=finding.app,
        details=dict(finding.details),
    )


def _interrupted_results(checks: Iterable[Check]) -> list[Result]:
    reason = _("The run was interrupted before this check was evaluated.")
    return [_as_result(check, Finding(Status.ERROR, reason), 0.0, frozenset()) for check in checks]


def _username(user: AbstractBaseUser | AnonymousUser | str | None) -> str:
    """Who started a run, as text: a user's username, or a name given to the Python API."""
    if user is None or isinstance(user, str):
        return user or ""
    return user.get_username() if user.is_authenticated else ""


def record(report: Report, user: AbstractBaseUser | AnonymousUser | str | None = None) -> CheckRun | None:
    """Store the run and its rows in one transaction; None (with the reason set) if impossible."""
    from deploycheck.models import TRIGGERED_BY_LENGTH, CheckResult, CheckRun

    alias = router.db_for_write(CheckRun) or DEFAULT_DB_ALIAS
    run = CheckRun(
        started_at=report.started_at,
        finished_at=report.finished_at,
        duration=report.duration,
        trigger=report.trigger,
        triggered_by=safe_text(_username(user), multiline=False)[:TRIGGERED_BY_LENGTH],
        outcome=report.outcome,
        fail_level=report.fail_level,
        selection=report.selection,
        passed_count=report.count(Status.PASSED),
        failed_count=report.count(Status.FAILED),
        skipped_count=report.count(Status.SKIPPED),
        error_count=report.count(Status.ERROR),
        silenced_count=report.silenced_count,
        **asdict(report.deploy),
    )
    try:
        with transaction.atomic(using=alias):
            run.save(using=alias)
            CheckResult.objects.using(alias).bulk_create(
                CheckResult(
                    run=run,
                    check_id=result.check.id,
                    message_id=result.message_id,
                    family=result.check.family,
                    title=result.title[:300],
                    status=result.status,
                    level=result.level,
                    message=result.message,
                    hint=result.hint,
                    obj=result.obj[:500],
                    doc_url=result.check.doc_url,
                    silenced=result.silenced,
                    duration=timedelta(seconds=result.seconds),
                    app=result.app or "",
                    details=result.details,
                )
                for result in report.results
            )
    except DatabaseError as exc:
        report.not_saved_reason = _why_not_saved(alias, exc)
        return None
    report.run = run
    return run


def _why_not_saved(alias: str, exc: DatabaseError) -> str:
    reason = database_fault(alias, exc)
    if reason is not None:
        return reason
    # A database error may quote a connection URL or a value it refused.
    return _("the database refused them (%(error)s).") % {"error": database_error_text(exc)}


def database_error_text(exc: DatabaseError) -> str:
    """A driver's message, on one line and inert: it may quote a connection URL or a refused value."""
    return safe_text(_one_line(str(exc)))


# What the drivers say when a write meets a read-only database: SQLite's SQLITE_READONLY (its
# primary result code, the low byte of the extended one), and PostgreSQL's SQLSTATE 25006
# (a read-only transaction, as on a follower or with default_transaction_read_only).
SQLITE_READONLY = 8
READ_ONLY_SQLSTATES = {"25006"}


def _is_read_only(exc: DatabaseError) -> bool:
    cause = exc.__cause__
    sqlite_code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int) and sqlite_code & 0xFF == SQLITE_READONLY:
        return True
    # psycopg 3 calls it sqlstate, psycopg2 pgcode.
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return sqlstate in READ_ONLY_SQLSTATES


def database_fault(alias: str, exc: DatabaseError) -> str | None:
    """Why deploycheck could not use its tables, with what to do, or None when it cannot tell.

    One clause in the reader's language, for the command's one-line messages and the admin's
    error page: the database cannot be reached, is read-only, or was not migrated.
    """
    from deploycheck.models import CheckRun

    connection = connections[alias]
    try:
        # A fresh attempt tells "cannot connect" from an error in the statement itself.
        connection.ensure_connection()
    except DatabaseError as unreachable:
        return _(
            "the database cannot be reached (%(error)s): check DATABASES or DATABASE_URL, "
            "and that the database server is running."
        ) % {"error": database_error_text(unreachable)}
    if _is_read_only(exc):
        return _("the database is read-only (%(error)s): give deploycheck a database connection that may write.") % {
            "error": database_error_text(exc)
        }
    try:
        migrated = CheckRun._meta.db_table in connection.introspection.table_names()
    except DatabaseError:
        return None
    if not migrated:
        return _("deploycheck's tables do not exist yet: run `manage.py migrate`.")
    return None


def detect_trigger() -> Trigger:
    """Heroku names a release-phase dyno release.N and a Scheduler dyno scheduler.N."""
    dyno = os.environ.get("DYNO", "")
    if dyno.startswith("release."):
        return Trigger.RELEASE
    if dyno.startswith("scheduler."):
        return Trigger.SCHEDULE
    return Trigger.COMMAND


def execute(
    *,
    tags: Iterable[str] = (),
    check_ids: Iterable[str] = (),
    fail_level: str | None = None,
    trigger: Trigger | str = Trigger.API,
    user: AbstractBaseUser | AnonymousUser | str | None = None,
    save: bool = True,
    apps: Iterable[str] = (),
    urls: Iterable[str] = (),
    time_budget: float | None = None,
) -> Report:
    """Select, gather, evaluate and (unless ``save`` is False) record a run.

    ``apps`` names the Heroku apps to check, overriding the setting; ``time_budget`` the
    seconds gathering may take, overriding ``DEPLOYCHECK["TIME_BUDGET"]``; ``user`` who
    started the run, a user or a name, stored as text.

    Raises SelectionError for an unknown tag or id, ImproperlyConfigured for bad
    settings and ValueError for an unknown fail level, an app that is not a Heroku app name or
    id, or a time budget out of range (NaN, infinite, above an hour). Ctrl-C or SIGTERM (turned into
    KeyboardInterrupt by the command) still records the run, as ``interrupted``.
    """
    options = conf.get_settings()
    level_name = (fail_level or options.fail_level).upper()
    if level_name not in LEVELS:
        raise ValueError(
            _("Unknown fail level %(level)s; use one of %(levels)s.")
            % {"level": fail_level, "levels": ", ".join(LEVELS)}
        )
    tags, check_ids = sorted(set(tags)), sorted(set(check_ids))
    apps, urls = tuple(dict.fromkeys(apps)), tuple(dict.fromkeys(urls))
    # Refused here as the command refuses them: an app goes into API paths, a budget into timeouts.
    problem = conf.apps_problem("apps", apps) or (
        conf.time_budget_problem(time_budget) if time_budget is not None else None
    )
    if problem:
        raise ValueError(problem)
    checks = select(tags, check_ids)
    silenced_ids = frozenset(settings.SILENCED_SYSTEM_CHECKS)
    started_at = timezone.now()
    results: list[Result] = []
    interrupted = False
    try:
        facts = gather(
            {name for check in checks for name in check.requires},
            time_budget or options.time_budget,
            {"apps": apps, "urls": urls},
        )
        for check in checks:
            results.extend(evaluate_one(check, facts, silenced_ids))
    except KeyboardInterrupt:
        interrupted = True
        evaluated = {result.check.id for result in results}
        results.extend(_interrupted_results(check for check in checks if check.id not in evaluated))
    report = Report(
        results=results,
        started_at=started_at,
        finished_at=timezone.now(),
        fail_level=LEVELS[level_name],
        trigger=Trigger(trigger),
        deploy=DeployInfo.from_environment(),
        # Stored and printed: credentials given in a --url were used to connect, never kept.
        selection=safe_value(
            {
                "tags": tags,
                "checks": check_ids,
                **({"apps": list(apps)} if apps else {}),
                **({"urls": [redact_url(url) for url in urls]} if urls else {}),
            }
        ),
        interrupted=interrupted,
    )
    if save and record(report, user) is not None:
        _announce(report)
    if interrupted:
        raise RunInterrupted(report)
    return report


class RunInterrupted(KeyboardInterrupt):
    """Raised after an interrupted run was recorded; carries its report."""

    def __init__(self, report: Report):
        super().__init__()
        self.report = report


def _announce(report: Report) -> None:
    from deploycheck.history import regressions

    run = report.run
    assert run is not None
    run_finished.send(sender=type(run), run=run, report=report)
    if regression.has_listeners(type(run)):
        previous, failing = regressions(run)
        if failing:
            regression.send(sender=type(run), run=run, previous=previous, regressions=failing)


def run_and_save(**options: Any) -> CheckRun:
    """execute() for the Python API: returns the saved run or raises NotSaved."""
    options.setdefault("trigger", Trigger.API)
    report = execute(save=True, **options)
    if report.run is None:
        raise NotSaved(report.not_saved_reason)
    return report.run
