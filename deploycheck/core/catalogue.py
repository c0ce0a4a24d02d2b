"""The catalogue: every check a run may select, as Django's ``CheckRegistry`` holds system checks.

A :class:`Catalogue` holds families. deploycheck's own are listed once, in
:data:`BUILT_IN_FAMILIES`, and loaded into the default catalogue when the app is ready; a
project adds checks with ``@deploycheck.register`` or by dotted path in
``DEPLOYCHECK["CHECKS"]``, and both go through :meth:`Family.check` like the built-in ones.
Tests build a catalogue of their own instead of changing the default one.
"""

from __future__ import annotations

import importlib
import inspect
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, NamedTuple

from django.core.checks.registry import registry as django_registry
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from deploycheck import conf
from deploycheck.core.check import Check
from deploycheck.core.family import Decorated, Family, Provider

# In the order reports show them; a project's families follow, alphabetically.
BUILT_IN_FAMILIES = (
    "deploycheck.families.django.checks",
    "deploycheck.families.heroku.checks",
    "deploycheck.families.release.checks",
    "deploycheck.families.http.checks",
)
PROJECT_FAMILY = "project"


class SelectionError(ValueError):
    """An unknown tag or check id was asked for."""


@dataclass(frozen=True)
class Selection:
    """The checks a run evaluates, and every fact they need."""

    checks: tuple[Check, ...]
    requires: frozenset[str]


@dataclass(frozen=True)
class Contents:
    """The catalogue at one moment: checks ordered by family then id, looked up by tag and id."""

    checks: tuple[Check, ...]
    tags: frozenset[str]
    by_id: Mapping[str, Check]
    providers: Mapping[str, Provider]
    # What each tags and ids asked for selected: contents never change, so neither does a selection,
    # and every run would otherwise walk the whole catalogue to find the same checks again.
    _selections: dict[tuple[frozenset[str], frozenset[str]], Selection] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def select(self, tags: Iterable[str] = (), check_ids: Iterable[str] = ()) -> list[Check]:
        """The checks a run evaluates: everything by default, or those matching a tag or an id."""
        return list(self.selection(tags, check_ids).checks)

    def selection(self, tags: Iterable[str] = (), check_ids: Iterable[str] = ()) -> Selection:
        """:meth:`select`'s checks, and the facts they require."""
        key = (frozenset(tags), frozenset(check_ids))
        known = self._selections.get(key)
        if known is None:
            checks = tuple(self._select(*key))
            known = Selection(checks, frozenset(name for check in checks for name in check.requires))
            self._selections[key] = known
        return known

    def _select(self, tags: frozenset[str], check_ids: frozenset[str]) -> list[Check]:
        unknown_tags = sorted(tags - self.tags)
        if unknown_tags:
            raise SelectionError(
                gettext("Unknown tag(s): %(unknown)s. Available tags: %(known)s.")
                % {"unknown": ", ".join(unknown_tags), "known": ", ".join(sorted(self.tags))}
            )
        unknown_ids = sorted(check_ids - self.by_id.keys())
        if unknown_ids:
            raise SelectionError(
                gettext("Unknown check id(s): %(unknown)s. `manage.py deploycheck --list` shows the catalogue.")
                % {"unknown": ", ".join(unknown_ids)}
            )
        if not tags and not check_ids:
            return [check for check in self.checks if check.selected_by_default]
        wanted = {self.by_id[check_id].id for check_id in check_ids}
        return [check for check in self.checks if check.id in wanted or _has_tag(check, tags)]


class Catalogue:
    """Families of checks, and what they hold at the moment it is asked (:attr:`contents`)."""

    def __init__(self, families: Iterable[Family] = ()):
        self.families: dict[str, Family] = {}
        # Families given here or loaded come first, in that order; those a project adds follow.
        self._ordered: list[str] = []
        for family in families:
            self.add(family, ordered=True)
        self._contents: tuple[_BuiltFrom, Contents] | None = None

    def __repr__(self) -> str:
        return f"<Catalogue: {', '.join(self.families)}>"

    def add(self, family: Family, *, ordered: bool = False) -> Family:
        added = self.families.setdefault(family.name, family)
        if ordered and family.name not in self._ordered:
            self._ordered.append(family.name)
        return added

    def load(self, module_paths: Iterable[str] = BUILT_IN_FAMILIES) -> None:
        """Add the ``FAMILY`` of each module."""
        for path in module_paths:
            self.add(importlib.import_module(path).FAMILY, ordered=True)

    def family(self, name: str) -> Family:
        return self.add(Family(name))

    def register(
        self, id: str, *, family: str = PROJECT_FAMILY, **declaration: Any
    ) -> Callable[[Decorated], Decorated]:
        """Declare a project's check, with the keywords of :meth:`Family.check`::

        @deploycheck.register("project.sentry", title=gettext("Errors are reported to Sentry"), requires=[...])
        def sentry_configured(facts):
            return passed() if facts["settings.SENTRY_DSN"] else failed(gettext("SENTRY_DSN is empty."))
        """
        if "doc_url" in declaration:
            warnings.warn(
                "deploycheck.register(doc_url=...) is now doc=..., as Family.check names it; "
                "doc_url stops working in deploycheck 0.3.",
                DeprecationWarning,
                stacklevel=2,
            )
            declaration["doc"] = declaration.pop("doc_url")
        return self.family(family).check(id, **declaration)

    def provides(self, namespace: str, family: str = PROJECT_FAMILY) -> Callable[[Provider], Provider]:
        """Declare the provider of every fact named ``<namespace>.<something>``."""

        def decorator(provider: Provider) -> Provider:
            self.family(family).providers[namespace] = provider
            return provider

        return decorator

    @property
    def contents(self) -> Contents:
        return self.contents_for(conf.get_settings().checks)

    def contents_for(self, paths: tuple[str, ...]) -> Contents:
        """:attr:`contents` with ``paths``, the ``DEPLOYCHECK["CHECKS"]`` setting the caller has read already."""
        if self._contents is None or not self._contents[0].holds(self, paths):
            contents = self._build(paths)
            # Keyed after building: importing a module named in the setting may have declared checks.
            self._contents = (_BuiltFrom.now(self, paths), contents)
        return self._contents[1]

    def _declared(self) -> list[tuple[str, int, int]]:
        """What each family declares, counted: declaring only ever adds."""
        return [(name, len(family.checks), len(family.providers)) for name, family in self.families.items()]

    def family_rank(self, name: str) -> tuple[int, str]:
        order = self._ordered
        return (order.index(name), "") if name in order else (len(order), name)

    def _build(self, paths: tuple[str, ...]) -> Contents:
        families = [*self.families.values(), *(self._from_setting(path) for path in paths)]
        by_id: dict[str, Check] = {}
        providers: dict[str, Provider] = {}
        for family in families:
            providers.update(family.providers)
            for check in family.all_checks():
                for check_id in check.ids:
                    if by_id.setdefault(check_id, check) is not check:
                        raise ImproperlyConfigured(
                            gettext("Two checks use the id %(id)r: rename the project's one.") % {"id": check_id}
                        )
        unique = {check.id: check for check in by_id.values()}
        checks = sorted(unique.values(), key=lambda check: (self.family_rank(check.family), check.id))
        return Contents(
            checks=tuple(checks),
            tags=frozenset(tag for check in checks for tag in check.all_tags),
            by_id=by_id,
            providers=providers,
        )

    def _from_setting(self, path: str) -> Family:
        """What a DEPLOYCHECK["CHECKS"] entry adds: a family, a plain function, or a module's declarations."""
        target = conf.load(path)
        if isinstance(target, Family):
            return target
        family = Family(PROJECT_FAMILY)
        declared = any(check.function is target for known in self.families.values() for check in known.checks)
        if isinstance(target, ModuleType) or declared:
            # Importing the module ran its @deploycheck.register decorators.
            return family
        # A plain function (conf.problems() made sure it is callable): its docstring names it.
        warnings.warn(
            f"DEPLOYCHECK['CHECKS'] names the plain function {path}: declare it with @deploycheck.register "
            "and name its module instead; plain functions stop working in deploycheck 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        summary = (inspect.getdoc(target) or "").partition("\n")[0]
        family.check(path, title=summary or path.rpartition(".")[2])(target)
        return family

    def select(self, tags: Iterable[str] = (), check_ids: Iterable[str] = ()) -> list[Check]:
        """The checks a run evaluates: everything by default, or those matching a tag or an id."""
        return self.contents.select(tags, check_ids)


class _BuiltFrom(NamedTuple):
    """What a catalogue's contents depend on: Django's registered functions, what each family declares, the setting.

    The functions are kept in the registry's order and compared by identity, checked on every run:
    one pass over them costs less than copying Django's sets to compare those (the same functions in
    a new order only build the contents again).
    """

    functions: tuple[object, ...]
    declared: list[tuple[str, int, int]]
    paths: tuple[str, ...]

    @classmethod
    def now(cls, catalogue: Catalogue, paths: tuple[str, ...]) -> _BuiltFrom:
        functions = (*django_registry.registered_checks, *django_registry.deployment_checks)
        return cls(functions, catalogue._declared(), paths)

    def holds(self, catalogue: Catalogue, paths: tuple[str, ...]) -> bool:
        return (
            self.paths == paths
            and self.declared == catalogue._declared()
            and self.functions == (*django_registry.registered_checks, *django_registry.deployment_checks)
        )


def _has_tag(check: Check, tags: frozenset[str]) -> bool:
    # A check run only on request is not pulled in by its family's name alone.
    return not tags.isdisjoint(check.all_tags if check.selected_by_default else check.tags)


# The catalogue the command, the admin and deploycheck.run() use; deploycheck's AppConfig loads it.
catalogue = Catalogue()


def family_rank(name: str) -> tuple[int, str]:
    return catalogue.family_rank(name)


def current() -> Contents:
    return catalogue.contents
