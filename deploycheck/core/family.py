"""Families of checks: one way to declare a check, and one way to check each of several targets.

A :class:`Family` owns its checks and the providers of its facts, and declares a check with
:meth:`Family.check`, built-in or a project's. A family that checks several targets one by one
(Heroku apps, live URLs) gives a :class:`PerTarget` adapter, and every check of it is a
function of one target's view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from deploycheck.core.check import Check, CheckFunction, FactError, Facts, Finding, as_findings, error, skipped
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import Text
from deploycheck.core.sanitising import inert_text


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

    def tag(self, finding: Finding, target: str, check: Check, view: Any) -> Finding:
        """``finding`` naming ``target``; ``view`` is what the check saw, None when the target erred."""


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
                view = None if problem is not None else per.view(facts, target, gathered)
                produced = [error(problem.reason)] if problem is not None else as_findings(evaluate(view))
                findings.extend(per.tag(finding, target, check, view) for finding in produced)
            return findings

        return evaluate_targets

    return bind


Provider = Callable[..., Mapping[str, Any]]
Decorated = TypeVar("Decorated", bound=Callable[..., Any])


class Family:
    """A family of checks (``heroku``, ``http``, a project's): its checks and the providers of its facts.

    A provider gathers every fact named ``<namespace>.<something>`` (see deploycheck.core.gathering).
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

    def check(self, check_id: str, **declaration: Any) -> Callable[[Decorated], Decorated]:
        """Declare a check of this family, as a decorator on its function: the one way to declare a
        check, deploycheck's own and a project's (``deploycheck.register`` is this on the project's
        family). Takes the keywords of :meth:`_declare`."""

        def decorator(function: Decorated) -> Decorated:
            self._declare(check_id, function, **declaration)
            return function

        return decorator

    def _declare(
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
        """The check :meth:`check` declares.

        ``requires`` names facts; in a family checked per target, ``needs`` names the parts of
        a target's view the function cannot do without and ``optional`` those it can. ``doc`` is
        a URL, or a path under the family's ``doc_root``.
        """
        known = next((check for check in self.checks if check.id == check_id), None)
        if known is not None and known.function is function:
            # The same declaration read twice (a module imported again): nothing new. Two checks
            # with one id are refused where the catalogue is built, whichever families they are in.
            return known
        needs, optional, required = tuple(needs), tuple(optional), tuple(requires)
        bind = None
        if self.per is not None:
            per = self.per
            bind = _each_target(per, function, needs, optional)
            required = (*required, per.targets_fact, *(per.fact_name(need) for need in (*needs, *optional)))
        check = Check(
            id=check_id,
            family=self.name,
            # A project's title may hold anything: made safe once, here, for every result of the check.
            title=inert_text(title, multiline=False),
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
