"""Import paths of deploycheck 0.1 that moved when its modules were grouped into folders.

They keep working for one release, each with a DeprecationWarning naming the new path: importing
an old path gives the very module at the new one (so patching either patches both). The packages
that no longer exist (``deploycheck.checks``, ``.heroku``, ``.probes``, ``.release``,
``.advisories``) are stood in for by empty packages whose attributes are their moved modules and,
for ``deploycheck.checks``, the names it exported.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from collections.abc import Sequence
from typing import Any

# Old path below "deploycheck." -> new path below "deploycheck.".
MOVED: dict[str, str] = {
    "checks.base": "core.check",
    "checks.catalogue": "core.catalogue",
    "checks.family": "core.family",
    "results": "core.results",
    "choices": "core.choices",
    "text": "core.deferred_text",
    "evaluation": "core.evaluation",
    "gathering": "core.gathering",
    "deadline": "core.deadline",
    "network": "core.connection_errors",
    "heroku.retry": "core.retry",
    "safety": "core.sanitising",
    "values": "core.input_rules",
    "deploy": "core.deploy_info",
    "reporting": "core.reporting",
    "csp": "core.csp",
    "checks.django": "families.django.checks",
    "checks.django_messages": "families.django.words",
    "heroku.family": "families.heroku.family",
    "heroku.client": "families.heroku.client",
    "heroku.gather": "families.heroku.gather",
    "heroku.reference": "families.heroku.reference",
    "heroku.resources": "families.heroku.resources",
    "checks.heroku": "families.heroku.checks",
    "checks.heroku_domains": "families.heroku.checks_domains",
    "checks.heroku_settings": "families.heroku.checks_settings",
    "checks.heroku_stack": "families.heroku.checks_stack",
    "probes.family": "families.http.family",
    "probes.gather": "families.http.gather",
    "probes.certificate": "families.http.certificate",
    "checks.http": "families.http.checks",
    "checks.http_certificate": "families.http.checks_certificate",
    "checks.http_policy": "families.http.checks_policy",
    "release.family": "families.release.family",
    "release.gather": "families.release.gather",
    "release.locks": "families.release.locks",
    "release.reference": "families.release.reference",
    "release.requirements": "families.release.requirements",
    "checks.release": "families.release.checks",
    "checks.release_files": "families.release.checks_files",
    "checks.release_csp": "families.release.checks_csp",
    "advisories.client": "families.advisories.client",
    "advisories.gather": "families.advisories.gather",
    "advisories.records": "families.advisories.records",
    "checks.release_advisories": "families.advisories.checks",
    "storage": "store.saving",
    "history": "store.history",
    "latest": "store.latest",
    "retention": "store.retention",
    "views": "web.status_views",
    "status": "web.status",
    "metrics": "web.metrics",
    "badge": "web.badge",
    "access": "web.access",
    "status_settings": "web.status_settings",
    "unavailable": "web.unavailable",
    "overview": "web.overview",
    "chart": "web.chart",
    "display": "web.display",
    "admin_columns": "web.admin_columns",
    "admin_markup": "web.admin_markup",
    "app_filter": "web.app_filter",
    "dates": "web.dates",
    "exports": "web.exports",
    "announcing": "notify.announcing",
    "notifications": "notify.email",
    "webhooks": "notify.webhooks",
    "delivery": "notify.delivery",
    "webhook_settings": "notify.webhook_settings",
}
OLD_PACKAGES = ("checks", "heroku", "probes", "release", "advisories")
# What ``from deploycheck.checks import ...`` gave.
CHECKS_EXPORTS = {
    **dict.fromkeys(("Check", "Facts", "Finding", "error", "failed", "passed", "skipped"), "core.check"),
    "Family": "core.family",
}


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"{old} moved to {new}; the old path stops working in deploycheck 0.3.",
        DeprecationWarning,
        stacklevel=3,
    )


class _OldPackage(types.ModuleType):
    """A package that no longer exists: its moved modules (and exports) as attributes."""

    def __getattr__(self, name: str) -> Any:
        short = self.__name__.removeprefix("deploycheck.")
        if f"{short}.{name}" in MOVED:
            return importlib.import_module(f"{self.__name__}.{name}")
        if short == "checks" and name in CHECKS_EXPORTS:
            new = "deploycheck." + CHECKS_EXPORTS[name]
            _warn(f"{self.__name__}.{name}", f"{new}.{name}")
            value = getattr(importlib.import_module(new), name)
            setattr(self, name, value)  # warned once
            return value
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")


class _MovedLoader(importlib.abc.Loader):
    def __init__(self, new: str | None) -> None:
        self.new = new
        self.spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        if self.new is None:
            package = _OldPackage(spec.name)
            package.__path__ = []
            return package
        _warn(spec.name, self.new)
        module = importlib.import_module(self.new)
        # The import system is about to give the module the old path's spec: keep its own.
        self.spec = module.__spec__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        if self.spec is not None:
            module.__spec__ = self.spec


class _MovedFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        short = fullname.removeprefix("deploycheck.")
        if short == fullname:
            return None
        if short in OLD_PACKAGES:
            return importlib.machinery.ModuleSpec(fullname, _MovedLoader(None), is_package=True)
        if short in MOVED:
            return importlib.machinery.ModuleSpec(fullname, _MovedLoader("deploycheck." + MOVED[short]))
        return None


def install() -> None:
    if not any(isinstance(finder, _MovedFinder) for finder in sys.meta_path):
        # First: a stale copy of an old module (an editable install of an older checkout) must not win.
        sys.meta_path.insert(0, _MovedFinder())
