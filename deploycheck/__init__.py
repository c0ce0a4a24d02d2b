"""deploycheck: is this Django site on Heroku ready for production, and what changed?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deploycheck import _moved
from deploycheck.core.version import __version__

# The import paths of 0.1 that moved keep working for one release (with a DeprecationWarning).
_moved.install()

if TYPE_CHECKING:
    from deploycheck.core.check import error, failed, passed, skipped
    from deploycheck.core.choices import Level
    from deploycheck.core.deferred_text import later, plural_later
    from deploycheck.core.family import Family
    from deploycheck.models import CheckRun

__all__ = [
    "Family",
    "Level",
    "__version__",
    "error",
    "failed",
    "later",
    "passed",
    "plural_later",
    "provides",
    "register",
    "run",
    "skipped",
]

# What a project's own checks need, importable from deploycheck itself. Read on first use, so that
# `import deploycheck` stays cheap and loads no model before Django's apps are ready.
_EXPORTS = {
    "Family": "deploycheck.core.family",
    "Level": "deploycheck.core.choices",
    "error": "deploycheck.core.check",
    "failed": "deploycheck.core.check",
    "passed": "deploycheck.core.check",
    "skipped": "deploycheck.core.check",
    "later": "deploycheck.core.deferred_text",
    "plural_later": "deploycheck.core.deferred_text",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'deploycheck' has no attribute {name!r}")


def run(**options: Any) -> CheckRun:
    """Run the selected checks, save the run and return it.

    Takes the keyword arguments of :func:`deploycheck.runner.execute`; raises
    :class:`deploycheck.runner.NotSaved` when the run could not be stored. Interrupted by
    Ctrl-C, the run is stored as interrupted and the KeyboardInterrupt goes on.
    """
    from deploycheck.runner import run_and_save

    return run_and_save(**options)


def register(*args: Any, **kwargs: Any) -> Any:
    """Declare a project's check; see :meth:`deploycheck.core.catalogue.Catalogue.register`."""
    from deploycheck.core.catalogue import catalogue

    return catalogue.register(*args, **kwargs)


def provides(*args: Any, **kwargs: Any) -> Any:
    """Declare the provider of a project's facts; see :meth:`deploycheck.core.catalogue.Catalogue.provides`."""
    from deploycheck.core.catalogue import catalogue

    return catalogue.provides(*args, **kwargs)
