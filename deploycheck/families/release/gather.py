"""The ``release`` facts: what the project ships and what the running process is.

Read from the migration files and the databases, the project's requirement and Python version
files and the interpreter. The project root is ``DEPLOYCHECK["PROJECT_ROOT"]``, else
``settings.BASE_DIR``, else the working directory. Each fact is gathered on its own: one that
raises is handed back as a FactError, and only the checks that need it cannot be evaluated.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import platform
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import django
from django.apps import apps as installed_apps
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.management.base import no_translations
from django.db import connections
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState
from django.utils import timezone
from django.utils.module_loading import import_string

from deploycheck import conf
from deploycheck.core.check import FactError
from deploycheck.core.gathering import GatherRequest
from deploycheck.core.sanitising import exception_line
from deploycheck.families.release.locks import read_pins
from deploycheck.families.release.requirements import Requirements


@dataclass(frozen=True)
class Environment:
    python: tuple[int, int]
    django: tuple[int, int]
    on_heroku: bool
    today: date
    # The PostgreSQL driver Django would load (3 for psycopg, 2 for psycopg2, 0 for none), and
    # whether psycopg_pool, which Django's connection pool needs, can be imported.
    psycopg: int = 0
    psycopg_pool: bool = False
    # The installed django-csp's version (it brings CSP to Django before 6.0), None without it.
    django_csp: str | None = None


@dataclass(frozen=True)
class VersionFile:
    """The file Heroku's Python buildpack takes the Python version from, as it reads it.

    ``value`` is the version asked for (``3.13`` or ``3.13.1``), None when the file holds nothing
    the buildpack accepts (``content`` then says what it holds); ``overridden`` names the files of
    lower precedence that ask for a version too, which the buildpack ignores.
    """

    name: str | None
    value: str | None
    content: str = ""
    overridden: tuple[tuple[str, str], ...] = ()


def project_root() -> Path:
    configured = conf.get_settings().project_root
    return Path(configured or getattr(settings, "BASE_DIR", None) or Path.cwd())


def _psycopg() -> int:
    for major, name in ((3, "psycopg"), (2, "psycopg2")):
        if importlib.util.find_spec(name) is not None:
            return major
    return 0


def environment() -> Environment:
    return Environment(
        python=tuple(int(part) for part in platform.python_version_tuple()[:2]),  # type: ignore[arg-type]
        django=django.VERSION[:2],
        on_heroku=bool(os.environ.get("DYNO")),
        today=timezone.localdate(),
        psycopg=_psycopg(),
        psycopg_pool=importlib.util.find_spec("psycopg_pool") is not None,
        django_csp=_distribution_version("django-csp"),
    )


def _distribution_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


# As in makemigrations: the autodetector compares verbose names and choices with the migration
# files, which hold them untranslated; under an active language every app would look changed.
@no_translations
def model_changes() -> dict[str, list[str]]:
    """What `makemigrations --check` would write: app label -> new migration names."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    autodetector = MigrationAutodetector(
        loader.project_state(),
        ProjectState.from_apps(installed_apps),
        NonInteractiveMigrationQuestioner(specified_apps=None, dry_run=True),
    )
    changes = autodetector.changes(graph=loader.graph)
    return {label: [migration.name for migration in migrations] for label, migrations in changes.items()}


def unapplied_migrations() -> dict[str, list[str] | str]:
    """Database alias -> unapplied migrations ("app.name"), or why they could not be listed."""
    found: dict[str, list[str] | str] = {}
    for alias in settings.DATABASES:
        try:
            executor = MigrationExecutor(connections[alias])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            found[alias] = [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]
        except Exception as exc:  # an unreachable database is reported, not raised
            found[alias] = exception_line(exc)
    return found


def requirements() -> Requirements:
    return read_pins(project_root())


@dataclass(frozen=True)
class StaticStorage:
    backend: str  # the dotted path of STORAGES["staticfiles"], "" when there is none
    manifest: bool  # whether it names files by their content's hash, as ManifestFilesMixin does


def static_files_storage() -> StaticStorage:
    storages = getattr(settings, "STORAGES", None) or {}
    backend = str((storages.get("staticfiles") or {}).get("BACKEND") or "")
    if not backend:
        return StaticStorage("", manifest=False)
    # Imported here, while gathering: the check then judges the class without importing anything.
    storage_class = import_string(backend)
    return StaticStorage(backend, manifest=issubclass(storage_class, ManifestFilesMixin))


# Heroku's Python buildpack takes the version from the first of these that exists:
# runtime.txt (deprecated), .python-version, then Pipfile.lock's python_full_version or python_version.
# https://devcenter.heroku.com/articles/python-runtimes
_VERSION = r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))?"


def _version_lines(path: Path) -> list[str]:
    """The lines the buildpack reads: stripped, with blank lines and ``#`` comments left out."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _asked(name: str, path: Path) -> tuple[str | None, str]:
    """(version asked for or None, what the file holds) for one of the version files."""
    if name == "Pipfile.lock":
        try:
            requires = (json.loads(path.read_text(encoding="utf-8")).get("_meta") or {}).get("requires") or {}
        except (ValueError, AttributeError):
            return None, ""  # not JSON: release.requirements_pinned says so
        value = str(requires.get("python_full_version") or requires.get("python_version") or "")
        return (value, value) if re.fullmatch(_VERSION, value) else (None, value)
    lines = _version_lines(path)
    pattern = "python-(" + _VERSION + ")" if name == "runtime.txt" else "(" + _VERSION + ")"
    match = re.fullmatch(pattern, lines[0]) if len(lines) == 1 else None
    return (match.group(1), lines[0]) if match else (None, " ".join(lines)[:100])


def python_version_file() -> VersionFile:
    root = project_root()
    found: list[tuple[str, str | None, str]] = []
    for name in ("runtime.txt", ".python-version", "Pipfile.lock"):
        path = root / name
        if not path.is_file():
            continue
        value, content = _asked(name, path)
        if name == "Pipfile.lock" and not content:
            continue  # its Python fields are optional
        found.append((name, value, content))
    if not found:
        return VersionFile(None, None)
    (name, value, content), *others = found
    overridden = tuple((other, asked) for other, asked, _content in others if asked)
    return VersionFile(name, value, "" if value else content, overridden)


_GATHERERS: dict[str, Callable[[], Any]] = {
    "release.environment": environment,
    "release.model_changes": model_changes,
    "release.unapplied_migrations": unapplied_migrations,
    "release.requirements": requirements,
    "release.python_version_file": python_version_file,
    "release.static_files_storage": static_files_storage,
}


def _gathered(name: str) -> Any:
    """One fact, or why it could not be gathered: the exception's type and its message, on one line."""
    try:
        return _GATHERERS[name]()
    except Exception as exc:
        return FactError(exception_line(exc))


def gather_release(request: GatherRequest) -> dict[str, Any]:
    try:
        return {name: _gathered(name) for name in sorted(request.names) if name in _GATHERERS}
    finally:
        # This runs on a gathering thread: the connections it opened must not outlive it.
        connections.close_all()
