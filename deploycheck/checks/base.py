"""The contract every check follows, whichever family it belongs to.

A check is a small function of the facts gathered for the run. It returns one
:class:`Finding` or several (a check may fail for several objects), and never does I/O
itself: what it needs is gathered beforehand, by the providers of its family. A
:class:`Family` owns its checks and those providers; it declares a check with
:meth:`Family.check`, the one way checks are declared, built-in or a project's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol, TypeVar

from deploycheck.choices import Level, Status
from deploycheck.text import Text
from deploycheck.text import later as _
from deploycheck.text import plural_later as ngettext


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
    line = " ".join(message.split())
    line = line if len(line) <= 300 else line[:299] + "…"
    return error(_("The check raised %(exception)s: %(message)s") % {"exception": exception, "message": line})


class FactError(Exception):
    """Why a fact, or one target's part of it, could not be gathered; its reason is safe to show."""

    def __init__(self, reason: Text):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return str(self.reason)


class Facts:
    """What was gathered before evaluating: fact name -> value, or the reason it is missing."""

    def __init__(self, values: Mapping[str, Any] | None = None, errors: Mapping[str, Text] | None = None):
        self._values = dict(values or {})
        self._errors = dict(errors or {})

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


@dataclass(frozen=True)
class Targets:
    """What a family checks one by one (Heroku apps, live URLs), or why it checks none."""

    names: tuple[str, ...]
    # Nothing to check: every check of the family is skipped with this reason.
    not_configured: Text | None = None
    # Configured in a way that cannot be used: every check of the family errs with this reason.
    unusable: Text | None = None


class PerTarget(Protocol):
    """How a family's checks see one target, and how a finding names it."""

    targets_fact: str

    def fact_name(self, need: str) -> str: ...

    def view(self, facts: Facts, target: str, gathered: Mapping[str, Any]) -> Any: ...

    def tag(self, finding: Finding, target: str, check: Check) -> Finding: ...


def target_value(per_target: Mapping[str, Any], target: str) -> Any:
    """One target's part of a per-target fact; ``""`` holds what every target shares."""
    return per_target[target] if target in per_target else per_target.get("")


def _each_target(
    per: PerTarget,
    evaluate: Callable[[Any], Finding | Iterable[Finding]],
    needs: tuple[str, ...],
    optional: tuple[str, ...],
) -> Callable[[Check], CheckFunction]:
    def bind(check: Check) -> CheckFunction:
        def evaluate_targets(facts: Facts) -> list[Finding]:
            targets: Targets = facts[per.targets_fact]
            if targets.not_configured:
                return [skipped(targets.not_configured)]
            if targets.unusable:
                return [error(targets.unusable)]
            findings: list[Finding] = []
            for target in targets.names:
                gathered = {need: target_value(facts[per.fact_name(need)], target) for need in (*needs, *optional)}
                problem = next((gathered[need] for need in needs if isinstance(gathered[need], FactError)), None)
                produced = (
                    [error(problem.reason)]
                    if problem is not None
                    else as_findings(evaluate(per.view(facts, target, gathered)))
                )
                findings.extend(per.tag(finding, target, check) for finding in produced)
            return findings

        return evaluate_targets

    return bind


Provider = Callable[..., Mapping[str, Any]]
Decorated = TypeVar("Decorated", bound=Callable[..., Any])


class Family:
    """A family of checks (``heroku``, ``http``, a project's): its checks and the providers of its facts.

    A provider gathers every fact named ``<namespace>.<something>`` (see deploycheck.gathering).
    With ``per``, each check is a function of one target's view (one Heroku app, one URL) and is
    skipped, or errs, for the whole family when there is no usable target.
    """

    def __init__(
        self,
        name: str,
        *,
        tags: Iterable[str] = (),
        providers: Mapping[str, Provider] | None = None,
        per: PerTarget | None = None,
        doc_root: str = "",
        discover: Callable[[], Iterable[Check]] | None = None,
    ):
        self.name = name
        self.tags = frozenset(tags)
        self.providers: dict[str, Provider] = dict(providers or {})
        self.per = per
        self.doc_root = doc_root
        self.checks: list[Check] = []
        # Checks found when the catalogue is built rather than declared (Django's registered functions).
        self.discover = discover

    def all_checks(self) -> list[Check]:
        return [*self.checks, *(self.discover() if self.discover is not None else ())]

    def __repr__(self) -> str:
        return f"<Family {self.name}: {len(self.checks)} checks>"

    def check(
        self,
        check_id: str,
        *,
        title: Text,
        level: int = Level.WARNING,
        hint: Text = "",
        doc: str = "",
        tags: Iterable[str] = (),
        requires: Iterable[str] = (),
        needs: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> Callable[[Decorated], Decorated]:
        """Declare a check of this family; use as a decorator on its function.

        ``requires`` names facts; in a family checked per target, ``needs`` names the parts of
        a target's view the function cannot do without and ``optional`` those it can.
        """

        def decorator(function: Decorated) -> Decorated:
            self.add(
                check_id,
                function,
                title=title,
                level=level,
                hint=hint,
                doc=doc,
                tags=tags,
                requires=requires,
                needs=needs,
                optional=optional,
            )
            return function

        return decorator

    def add(
        self,
        check_id: str,
        function: Callable[..., Finding | Iterable[Finding]],
        *,
        title: Text,
        level: int = Level.WARNING,
        hint: Text = "",
        doc: str = "",
        tags: Iterable[str] = (),
        requires: Iterable[str] = (),
        needs: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> Check:
        needs, optional, required = tuple(needs), tuple(optional), tuple(requires)
        bind = None
        if self.per is not None:
            per = self.per
            bind = _each_target(per, function, needs, optional)
            required = (*required, per.targets_fact, *(per.fact_name(need) for need in (*needs, *optional)))
        check = Check(
            id=check_id,
            family=self.name,
            title=title,
            function=function,
            level=level,
            hint=hint,
            doc_url=self.doc_root + doc if doc and "://" not in doc else doc,
            tags=self.tags | frozenset(tags),
            requires=tuple(dict.fromkeys(required)),
        )
        if bind is not None:
            check = replace(check, function=bind(check))
        self.checks.append(check)
        return check
