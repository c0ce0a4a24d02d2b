"""deploycheck: is this Django site on Heroku ready for production, and what changed?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deploycheck import _moved

__version__ = "0.1.0"

# The import paths of 0.1 that moved keep working for one release (with a DeprecationWarning).
_moved.install()

if TYPE_CHECKING:
    from deploycheck.models import CheckRun

__all__ = ["__version__", "provides", "register", "run"]


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
