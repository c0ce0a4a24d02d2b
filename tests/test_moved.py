"""The import paths of deploycheck 0.1 that moved: the same modules, with a DeprecationWarning."""

from __future__ import annotations

import importlib
import sys

import pytest

from deploycheck._moved import CHECKS_EXPORTS, MOVED, OLD_PACKAGES


def forget(name: str) -> None:
    # An old path imported by an earlier test is cached in sys.modules and would not warn again.
    sys.modules.pop(name, None)


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_an_old_path_gives_the_module_at_the_new_one(old, new):
    forget(f"deploycheck.{old}")
    with pytest.warns(DeprecationWarning, match=rf"^deploycheck\.{old} moved to deploycheck\.{new};"):
        moved = importlib.import_module(f"deploycheck.{old}")
    current = importlib.import_module(f"deploycheck.{new}")
    assert moved is current
    assert current.__spec__ is not None
    assert current.__spec__.name == f"deploycheck.{new}"


def test_from_an_old_package_import_a_moved_module_or_an_export():
    for package in OLD_PACKAGES:
        forget(f"deploycheck.{package}")
    forget("deploycheck.checks.heroku")
    with pytest.warns(DeprecationWarning, match=r"deploycheck\.checks\.heroku moved to deploycheck\.families"):
        from deploycheck.checks import heroku  # type: ignore[import-not-found]
    from deploycheck.families.heroku import checks

    assert heroku is checks
    from deploycheck.core.family import Family as CurrentFamily

    with pytest.warns(DeprecationWarning, match=r"deploycheck\.checks\.Family moved to deploycheck\.core\.family"):
        from deploycheck.checks import Family
    assert Family is CurrentFamily
    assert set(CHECKS_EXPORTS) == {"Check", "Facts", "Family", "Finding", "error", "failed", "passed", "skipped"}


def test_a_path_that_never_existed_is_still_an_import_error():
    with pytest.raises(ImportError):
        importlib.import_module("deploycheck.nothing_here")
    with pytest.raises(ImportError):
        from deploycheck.checks import nothing_here  # noqa: F401
