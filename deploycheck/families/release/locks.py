"""The pins Heroku's Python buildpack would install, read from the file it would install from.

The buildpack installs with exactly one package manager, chosen by the file in the project root:
``requirements.txt`` (pip), ``Pipfile.lock`` (Pipenv), ``poetry.lock`` (Poetry) or ``uv.lock``
(uv); it refuses to build when it finds several, and it never reads ``pdm.lock``. A lock file
pins every package it lists; the project's own package (uv's ``editable`` or ``virtual`` source,
a Poetry ``directory``, a Pipenv ``path``) is not judged.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.markers import InvalidMarker, Marker
from packaging.utils import canonicalize_name

from deploycheck.core.sanitising import exception_line
from deploycheck.families.release.reference import HEROKU_LOCK_FILES, LOCK_FILES
from deploycheck.families.release.requirements import (
    Installed,
    Problem,
    Requirement,
    Requirements,
    read_requirements_file,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# In the order the buildpack looks for them.
PACKAGE_MANAGER_FILES = ("Pipfile.lock", "requirements.txt", "poetry.lock", "uv.lock")
_LOCAL_SOURCES = frozenset({"editable", "virtual", "directory", "path"})


def _locked(name: str, version: Any, file: str, commit: str | None = None) -> Requirement:
    version = str(version) if version else None
    return Requirement(canonicalize_name(name), f"{name}=={version}", version, commit, origin=file)


def read_uv_lock(text: str) -> list[Requirement]:
    found = []
    for package in tomllib.loads(text).get("package", []):
        source: Mapping[str, Any] = package.get("source") or {}
        if _LOCAL_SOURCES & source.keys():
            continue
        # uv records a git source as <url>?<reference>#<commit>.
        _url, marked, commit = str(source.get("git") or "").rpartition("#")
        found.append(_locked(package["name"], package.get("version"), "uv.lock", commit if marked else None))
    return found


def read_poetry_lock(text: str) -> list[Requirement]:
    found = []
    for package in tomllib.loads(text).get("package", []):
        source: Mapping[str, Any] = package.get("source") or {}
        if source.get("type") == "directory":
            continue
        commit = source.get("resolved_reference") if source.get("type") == "git" else None
        found.append(_locked(package["name"], package.get("version"), "poetry.lock", commit))
    return found


def read_pipfile_lock(text: str) -> list[Requirement]:
    """The ``default`` packages, the ones ``pipenv install --deploy`` installs, whose markers hold here."""
    found = []
    for name, package in (json.loads(text).get("default") or {}).items():
        if not isinstance(package, Mapping) or _LOCAL_SOURCES & package.keys() or "file" in package:
            continue
        markers = package.get("markers")
        try:
            if markers and not Marker(str(markers)).evaluate():
                continue
        except InvalidMarker:
            pass
        version = str(package.get("version") or "").removeprefix("===").removeprefix("==") or None
        commit = package.get("ref") if package.get("git") else None
        found.append(_locked(name, version, "Pipfile.lock", commit))
    return found


_LOCK_READERS = {"uv.lock": read_uv_lock, "poetry.lock": read_poetry_lock, "Pipfile.lock": read_pipfile_lock}


def installed(names: Iterable[str]) -> dict[str, Installed]:
    """What is installed under each name: its version, and the commit it was installed from, if any."""
    found: dict[str, Installed] = {}
    for name in names:
        try:
            distribution = metadata.distribution(name)
        except (metadata.PackageNotFoundError, ValueError):  # ValueError: not a name at all
            found[name] = Installed(None)
            continue
        commit = None
        # PEP 610: how an installer records a package installed from a URL.
        direct_url = distribution.read_text("direct_url.json")
        if direct_url:
            try:
                commit = (json.loads(direct_url).get("vcs_info") or {}).get("commit_id")
            except (ValueError, AttributeError):
                commit = None
        found[name] = Installed(distribution.version, commit)
    return found


def read_pins(root: Path) -> Requirements:
    """The requirements Heroku would install from ``root``, with what is installed under their names."""
    present = [name for name in PACKAGE_MANAGER_FILES if (root / name).is_file()]
    if len(present) > 1:
        return Requirements(None, None, (), {}, several=tuple(present))
    if not present:
        unused = next((name for name in LOCK_FILES if name not in HEROKU_LOCK_FILES and (root / name).is_file()), None)
        return Requirements(None, None, (), {}, unused_lock=unused)
    [source] = present
    path = root / source
    if source == "requirements.txt":
        requirements, problems = read_requirements_file(path, root)
        return Requirements(source, None, requirements, installed({r.name for r in requirements}), problems)
    try:
        locked = tuple(_LOCK_READERS[source](path.read_text(encoding="utf-8-sig")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # bad TOML or JSON, or an unexpected shape
        reason = exception_line(exc)
        return Requirements(source, source, (), {}, (Problem("invalid", source, reason),))
    return Requirements(source, source, locked, installed({r.name for r in locked}))
