"""The contract every check follows, whichever family it belongs to.

A check is a small function of the facts gathered for the run. It returns one
:class:`Finding` or several (a check may fail for several objects), and never does I/O
itself: what it needs is gathered beforehand, by the providers of its family
(deploycheck.core.family).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from deploycheck.core.choices import Status
from deploycheck.core.deferred_text import Text
from deploycheck.core.deferred_text import later as _
from deploycheck.core.deferred_text import plural_later as ngettext
from deploycheck.core.sanitising import one_line


@dataclass(frozen=True)
class Finding:
    """What one check found. Build it with passed(), failed(), skipped() or error()."""

    status: Status
    message: Text = ""
    level: int | None = None
    hint: Text | None = None
    obj: str = ""
    # Set when the finding carries an id other than its check's (Django's messages).
    message_id: str | None = None
    app: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


PASSED = Finding(Status.PASSED)


def passed(message: Text = "", *, obj: str = "", app: str | None = None) -> Finding:
    return Finding(Status.PASSED, message, obj=obj, app=app) if message or obj or app else PASSED


def failed(
    message: Text,
    *,
    level: int | None = None,
    hint: Text | None = None,
    obj: str = "",
    message_id: str | None = None,
    app: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> Finding:
    """A problem; ``level`` defaults to the level the check is declared to fail at."""
    return Finding(Status.FAILED, message, level, hint, obj, message_id, app, details or {})


def skipped(reason: Text, *, app: str | None = None, obj: str = "") -> Finding:
    """The check does not apply here, or what it needs is not configured."""
    return Finding(Status.SKIPPED, reason, app=app, obj=obj)


def error(reason: Text, *, app: str | None = None, obj: str = "") -> Finding:
    """The check could not be evaluated: neither a pass nor a failure."""
    return Finding(Status.ERROR, reason, app=app, obj=obj)


def raised_error(exception: str, message: str) -> Finding:
    """What a check's function raised, as the reason it could not be evaluated."""
    return error(
        _("The check raised %(exception)s: %(message)s") % {"exception": exception, "message": one_line(message)}
    )


class FactError(Exception):
    """Why a fact, or one target's part of it, could not be gathered; its reason is safe to show."""

    def __init__(self, reason: Text):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return str(self.reason)


class Facts:
    """What was gathered before evaluating: fact name -> value, or the reason it is missing."""

    def __init__(
        self,
        values: Mapping[str, Any] | None = None,
        errors: Mapping[str, Text] | None = None,
        *,
        interrupted: bool = False,
    ):
        self._values = dict(values or {})
        self._errors = dict(errors or {})
        # Every fact asked for was gathered: no check needs to look for a reason one is missing.
        self.complete = not self._errors
        # The values, read-only: a check reading many facts of one run looks them up with no call of Facts'.
        self.values: Mapping[str, Any] = MappingProxyType(self._values)
        # Gathering was cut short by Ctrl-C or SIGTERM: what was gathered is here, the rest is an error.
        self.interrupted = interrupted

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def error_for(self, names: Iterable[str]) -> Text | None:
        """The first reason why one of ``names`` could not be gathered, if any."""
        for name in names:
            if name in self._errors:
                return self._errors[name]
        return None


CheckFunction = Callable[[Facts], "Finding | Iterable[Finding]"]


@dataclass(frozen=True)
class Check:
    """One entry of the catalogue: a stable id, how it reads, and the function that decides."""

    id: str
    family: str
    title: Text
    function: CheckFunction
    level: int
    hint: Text = ""
    doc_url: str = ""
    tags: frozenset[str] = frozenset()
    # Facts gathered before the function is called.
    requires: tuple[str, ...] = ()
    # Other ids this check reports under (Django functions emitting several message ids).
    aliases: tuple[str, ...] = ()
    # False for checks that run only when asked for by id or by a tag other than the family.
    selected_by_default: bool = True

    @cached_property
    def all_tags(self) -> frozenset[str]:
        return self.tags | {self.family}

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)


def as_findings(produced: Finding | Iterable[Finding]) -> list[Finding]:
    """What a check function returned, as a list."""
    return [produced] if isinstance(produced, Finding) else list(produced)


def shortened_list(items: Sequence[str], limit: int = 10) -> Text:
    """The first ``limit`` items, and how many were left out when there are more."""
    shown = ", ".join(items[:limit])
    left_out = len(items) - limit
    if left_out <= 0:
        return shown
    return ngettext("%(items)s and %(count)d other", "%(items)s and %(count)d others", left_out) % {
        "items": shown,
        "count": left_out,
    }
