"""The catalogue: every check deploycheck knows, built-in or added by the project."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType

from django.core.checks.registry import registry as django_registry
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from deploycheck import conf
from deploycheck.checks import heroku, http, release
from deploycheck.checks.base import Check, CheckFunction, Text
from deploycheck.checks.django import django_checks
from deploycheck.choices import Level

# Families in the order reports show them; custom families follow, alphabetically.
FAMILY_ORDER = ("django", "heroku", "release", "http")
CUSTOM_FAMILY = "project"

_registered: dict[str, Check] = {}


def register(
    id: str,
    *,
    title: Text,
    level: int = Level.WARNING,
    family: str = CUSTOM_FAMILY,
    hint: Text = "",
    doc_url: str = "",
    tags: Iterable[str] = (),
    requires: Iterable[str] = (),
) -> Callable[[CheckFunction], CheckFunction]:
    """Add a check to the catalogue; use as a decorator on a function of the gathered facts::

    @deploycheck.register("project.sentry", title=_("Errors are reported to Sentry"))
    def sentry_configured(facts):
        return passed() if settings.SENTRY_DSN else failed(_("SENTRY_DSN is empty."))
    """

    def decorator(function: CheckFunction) -> CheckFunction:
        check = Check(
            id=id,
            family=family,
            title=title,
            function=function,
            level=level,
            hint=hint,
            doc_url=doc_url,
            tags=frozenset(tags),
            requires=tuple(requires),
        )
        existing = _registered.get(id)
        if existing is not None and existing.function is not function:
            raise ImproperlyConfigured(_("Two checks are registered with the id %(id)r.") % {"id": id})
        _registered[id] = check
        function.deploycheck_check = check  # type: ignore[attr-defined]
        return function

    return decorator


def _from_setting(path: str) -> list[Check]:
    target = conf.load(path)
    if isinstance(target, ModuleType):
        # Importing the module ran its @register decorators.
        return []
    check = getattr(target, "deploycheck_check", None)
    if isinstance(check, Check):
        return [check]
    # A plain function (conf.problems() made sure it is callable): its docstring names it.
    summary = (inspect.getdoc(target) or "").partition("\n")[0]
    title = summary or path.rpartition(".")[2]
    return [Check(id=path, family=CUSTOM_FAMILY, title=title, function=target, level=Level.WARNING)]


def family_rank(family: str) -> tuple[int, str]:
    return (FAMILY_ORDER.index(family), "") if family in FAMILY_ORDER else (len(FAMILY_ORDER), family)


@dataclass(frozen=True)
class Catalogue:
    """Every known check, ordered by family then id, with lookups by tag and by id or alias."""

    checks: tuple[Check, ...]
    tags: frozenset[str]
    by_id: Mapping[str, Check]


_last_catalogue: tuple[object, Catalogue] | None = None


def current_catalogue() -> Catalogue:
    global _last_catalogue
    paths = conf.get_settings().checks
    # The catalogue changes only when a check is registered or the setting changes.
    key = (
        frozenset(django_registry.registered_checks),
        frozenset(django_registry.deployment_checks),
        tuple(map(id, _registered.values())),
        paths,
    )
    if _last_catalogue is None or _last_catalogue[0] != key:
        _last_catalogue = (key, _build_catalogue(paths))
    return _last_catalogue[1]


def catalogue() -> list[Check]:
    """Every known check, ordered by family then id; ids are unique."""
    return list(current_catalogue().checks)


def _build_catalogue(paths: tuple[str, ...]) -> Catalogue:
    from_settings = [check for path in paths for check in _from_setting(path)]
    by_id: dict[str, Check] = {}
    for check in [
        *django_checks(),
        *heroku.CHECKS,
        *release.CHECKS,
        *http.CHECKS,
        *_registered.values(),
        *from_settings,
    ]:
        for check_id in check.ids:
            if by_id.setdefault(check_id, check) is not check:
                raise ImproperlyConfigured(
                    _("Two checks use the id %(id)r: rename the project's one.") % {"id": check_id}
                )
    unique = {check.id: check for check in by_id.values()}
    checks = sorted(unique.values(), key=lambda check: (family_rank(check.family), check.id))
    return Catalogue(
        checks=tuple(checks),
        tags=frozenset(tag for check in checks for tag in check.all_tags),
        by_id=by_id,
    )
