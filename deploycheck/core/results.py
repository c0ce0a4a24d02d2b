"""The one record of what a run found, from evaluation to storage to every renderer.

A :class:`Result` is what evaluating one check produced for one object; a :class:`Report` is a
whole run. The text, JSON and JUnit renderers, the database, the admin, the CSV export and the
e-mail all read these two, and a stored row converts to and from a Result directly. The rules
that give a run its meaning (what counts as a problem, what blocks at a fail level, the order
results are shown in, a run's outcome) are deploycheck.core.rules; its exit status is here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from deploycheck.core import rules
from deploycheck.core.choices import Level, Outcome, Status
from deploycheck.core.deferred_text import Message, Text, data_of, from_data, stored_text
from deploycheck.core.deploy_info import DeployInfo
from deploycheck.core.rules import outcome_of
from deploycheck.core.sanitising import inert_text, safe_text, safe_value

if TYPE_CHECKING:
    from deploycheck.core.check import Check
    from deploycheck.core.comparison import Comparison
    from deploycheck.models import CheckResult, CheckRun

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_EVALUATED = 3
EXIT_INTERRUPTED = 130

# No details: shared, and read-only so that no result can change another's.
NO_DETAILS: Mapping[str, Any] = MappingProxyType({})


class Result(NamedTuple):
    """One check's verdict on one object (or the whole site), ready to report or store.

    Immutable, and a tuple rather than a dataclass because a run builds one per check, passes
    included, and a tuple is built in a third of the time.
    """

    check_id: str
    family: str
    title: Text
    # A Status; a row written by a newer version may hold a word this version does not know.
    status: str
    message: Text = ""
    level: int | None = None
    hint: Text = ""
    obj: str = ""
    # The id the finding carries: the check's, or one of Django's message ids (security.W012).
    message_id: str = ""
    doc_url: str = ""
    silenced: bool = False
    seconds: float = 0.0
    app: str | None = None
    details: Mapping[str, Any] = NO_DETAILS

    @classmethod
    def made_safe(cls, **fields: Any) -> Result:
        """A result from what a check or a peer wrote, made safe once: every renderer, the database
        and the admin read this record. (A pass of a catalogue check, with no words of its own, is
        built directly: its title was made safe when the check was declared.)"""
        fields.setdefault("message_id", fields["check_id"])
        return safe_result(*cls(**fields))

    @property
    def is_problem(self) -> bool:
        """Failing or not evaluated: what a reader must look at (deploycheck.core.rules)."""
        return rules.is_problem(self)

    def blocks_at(self, fail_level: int) -> bool:
        """A failure that fails the run at ``fail_level`` (deploycheck.core.rules)."""
        return rules.blocks_at(self, fail_level)

    @property
    def level_label(self) -> str:
        """The level in the reader's language, for a failure."""
        return str(Level(self.level).label) if self.level in Level.values else ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies a result across runs: its check, the id it carried, its object and app."""
        return (self.check_id, self.message_id, self.obj, self.app or "")

    def to_row(self, run: CheckRun) -> CheckResult:
        from deploycheck.models import CheckResult

        # Never empty, "title" always present, so that a row of this version is told from an older one.
        wording: dict[str, Any] = {"title": data_of(self.title)}
        wording.update(
            (name, data) for name, text in (("message", self.message), ("hint", self.hint)) if (data := data_of(text))
        )
        return CheckResult(
            run=run,
            check_id=self.check_id,
            message_id=self.message_id,
            family=self.family,
            title=stored_text(self.title)[:300],
            status=self.status,
            level=self.level,
            message=stored_text(self.message),
            hint=stored_text(self.hint),
            wording=wording,
            obj=self.obj[:500],
            doc_url=self.doc_url,
            silenced=self.silenced,
            duration=timedelta(seconds=self.seconds),
            app=self.app or "",
            details=dict(self.details),
        )

    @classmethod
    def from_row(cls, row: CheckResult, known: Mapping[str, Check]) -> Result:
        """A stored row, in the reader's language whatever language the run spoke.

        ``known`` is the catalogue by id: a check it knows takes its title (and its own hint)
        from there; rows of checks it does not know keep the title they were stored with, and
        rows stored before deploycheck kept its words untranslated read as they were stored.
        """
        wording = _wording_of(row)
        title = title_of(row, known)
        message: Text = row.message
        hint: Text = row.hint
        if wording:
            message = from_data(wording.get("message"), row.message)
            hint = from_data(wording.get("hint"), row.hint)
            check = known.get(row.check_id)
            # A project's own hint (a lazy translation) is stored as it read: take the check's again.
            if hint is row.hint and check is not None and row.hint and row.hint == stored_text(check.hint):
                hint = check.hint
        return cls.made_safe(
            check_id=row.check_id,
            family=row.family,
            title=title,
            status=row.status,
            message=message,
            level=row.level,
            hint=hint,
            obj=row.obj,
            message_id=row.message_id,
            doc_url=row.doc_url,
            silenced=row.silenced,
            seconds=row.duration.total_seconds() if isinstance(row.duration, timedelta) else 0.0,
            app=row.app or None,
            details=row.details if isinstance(row.details, Mapping) else {},
        )


def safe_result(
    check_id: str,
    family: str,
    title: Text,
    status: str,
    message: Text,
    level: int | None,
    hint: Text,
    obj: str,
    message_id: str,
    doc_url: str,
    silenced: bool,
    seconds: float,
    app: str | None,
    details: Mapping[str, Any],
) -> Result:
    """:meth:`Result.made_safe` with every field given, in order: evaluating makes each finding's
    result this way, without building and reading back a dict of keywords twice."""
    if not isinstance(title, Message):
        title = inert_text(title, multiline=False)
    if message:
        message = inert_text(message)
    if hint:
        hint = inert_text(hint)
    if obj:
        obj = safe_text(obj, multiline=False)
    if app:
        app = safe_text(app, multiline=False)
    if message_id:
        message_id = safe_text(message_id, multiline=False)
    if details:
        details = safe_value(dict(details))
    fields = (check_id, family, title, status, message, level, hint, obj, message_id, doc_url, silenced, seconds)
    return tuple.__new__(Result, (*fields, app, details))


def _wording_of(row: CheckResult) -> Mapping[str, Any]:
    # Empty for rows stored before deploycheck kept its words untranslated (0.1.0): those read as stored.
    return row.wording if isinstance(row.wording, Mapping) else {}


def title_of(row: CheckResult, known: Mapping[str, Check]) -> Text:
    """A stored row's title: the catalogue's for a check it knows, else as the run wrote it."""
    wording = _wording_of(row)
    if not wording:
        return row.title
    check = known.get(row.check_id)
    return check.title if check is not None else from_data(wording.get("title"), row.title)


def status_label(status: str) -> str:
    """A status in the reader's language; one written by a newer version as it was stored."""
    return str(Status(status).label) if status in Status.values else status


EXIT_STATUSES = {
    Outcome.PASSED: EXIT_OK,
    Outcome.FAILED: EXIT_FAILED,
    Outcome.ERROR: EXIT_NOT_EVALUATED,
    Outcome.INTERRUPTED: EXIT_INTERRUPTED,
}


@dataclass(frozen=True)
class Report:
    """A whole run: its results and what identifies it. Storing it gives a copy with ``run`` set."""

    results: tuple[Result, ...]
    started_at: datetime
    finished_at: datetime
    fail_level: int
    trigger: str
    deploy: DeployInfo
    selection: Mapping[str, Any]
    interrupted: bool = False
    run: CheckRun | None = None
    not_saved_reason: Text | None = None
    # Once stored: what changed since each check's previous evaluation, and the runs those were in.
    comparison: Comparison | None = None
    compared_with: tuple[int, ...] = ()

    @cached_property
    def outcome(self) -> Outcome:
        return outcome_of(self.results, self.fail_level, self.interrupted)

    @property
    def exit_status(self) -> int:
        return EXIT_STATUSES[self.outcome]

    @property
    def duration(self) -> timedelta:
        return self.finished_at - self.started_at

    @cached_property
    def counts(self) -> dict[str, int]:
        """Results per status, and how many are silenced."""
        counts = {status.value: 0 for status in Status} | {"silenced": 0}
        for result in self.results:
            counts[result.status] = counts.get(result.status, 0) + 1
            counts["silenced"] += result.silenced
        return counts

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def silenced_count(self) -> int:
        return self.counts["silenced"]

    def saved_as(self, run: CheckRun) -> Report:
        return replace(self, run=run, not_saved_reason=None)

    def not_saved(self, reason: Text) -> Report:
        return replace(self, run=None, not_saved_reason=reason)

    @classmethod
    def of_run(cls, run: CheckRun, rows: Sequence[CheckResult], known: Mapping[str, Check]) -> Report:
        """A stored run, read back as the record it was written from."""
        return cls(
            results=tuple(Result.from_row(row, known) for row in rows),
            started_at=run.started_at,
            finished_at=run.finished_at,
            fail_level=run.fail_level,
            trigger=run.trigger,
            deploy=DeployInfo.of_run(run),
            # Runs stored before deploycheck redacted URLs are shown safely as well.
            selection=safe_value(run.selection) if isinstance(run.selection, Mapping) else {},
            interrupted=run.outcome == Outcome.INTERRUPTED,
            run=run,
        )
