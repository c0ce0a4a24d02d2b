"""Storing: a run and one row per result, written once, in one transaction.

Also what to say when deploycheck's tables cannot be used, for the command and the admin alike.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.utils.translation import gettext

from deploycheck.core.choices import Status
from deploycheck.core.results import Report
from deploycheck.core.sanitising import one_line, safe_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from deploycheck.models import CheckResult


def _username(user: AbstractBaseUser | AnonymousUser | str | None) -> str:
    """Who started a run, as text: a user's username, or a name given to the Python API."""
    if user is None or isinstance(user, str):
        return user or ""
    return user.get_username() if user.is_authenticated else ""


def store(report: Report, user: AbstractBaseUser | AnonymousUser | str | None = None) -> Report:
    """Store the run and its rows in one transaction: the report saved as that run, or why it is not."""
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
            _insert(CheckResult, alias, [result.to_row(run) for result in report.results])
    except DatabaseError as exc:
        return report.not_saved(_why_not_saved(alias, exc))
    return report.saved_as(run)


def _insert(model: type[CheckResult], alias: str, rows: list[CheckResult]) -> None:
    """One INSERT for all the rows, whatever their number.

    Django's SQLite backend splits a bulk insert to stay under 999 parameters (before Django 6.0),
    about 58 rows of 17 columns a statement: SQLite gets the rows as one JSON array, one parameter.
    """
    connection = connections[alias]
    if connection.vendor != "sqlite" or not rows:
        model.objects.using(alias).bulk_create(rows)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    values = [[field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields] for row in rows]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    extracted = ", ".join(f"json_extract(value, '$[{index}]')" for index in range(len(fields)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {extracted} FROM json_each(%s) ORDER BY key",
            [json.dumps(values)],
        )


def _why_not_saved(alias: str, exc: DatabaseError) -> str:
    reason = database_fault(alias, exc)
    if reason is not None:
        return reason
    # A database error may quote a connection URL or a value it refused.
    return gettext("the database refused them (%(error)s).") % {"error": database_error_text(exc)}


def history_alias() -> str:
    """The database the run history is read from."""
    from deploycheck.models import CheckRun

    return router.db_for_read(CheckRun) or DEFAULT_DB_ALIAS


def read_guard(alias: str) -> AbstractContextManager[object]:
    """Around a read of the history that may fail, so that the connection stays usable to say why:
    in autocommit the failed query ended its own transaction; inside one (ATOMIC_REQUESTS) a
    savepoint ends instead. No BEGIN and COMMIT of its own."""
    return transaction.atomic(using=alias) if connections[alias].in_atomic_block else nullcontext()


def database_error_text(exc: DatabaseError) -> str:
    """A driver's message, on one line and inert: it may quote a connection URL or a refused value."""
    return safe_text(one_line(str(exc)))


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
        return gettext(
            "the database cannot be reached (%(error)s): check DATABASES or DATABASE_URL, "
            "and that the database server is running."
        ) % {"error": database_error_text(unreachable)}
    if _is_read_only(exc):
        return gettext(
            "the database is read-only (%(error)s): give deploycheck a database connection that may write."
        ) % {"error": database_error_text(exc)}
    try:
        migrated = CheckRun._meta.db_table in connection.introspection.table_names()
    except DatabaseError:
        return None
    if not migrated:
        return gettext("deploycheck's tables do not exist yet: run `manage.py migrate`.")
    return None
