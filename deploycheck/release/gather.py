"""The ``release`` facts: what the project ships and what the running process is.

Read from the migration files and the databases, the project's requirement files and the
interpreter. The project root is ``DEPLOYCHECK["PROJECT_ROOT"]``, else ``settings.BASE_DIR``,
else the working directory.
"""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import django
from django.apps import apps as installed_apps
from django.conf import settings
from django.core.management.base import no_translations
from django.db import connections
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState
from django.utils import timezone

from deploycheck import conf
from deploycheck.gathering import GatherRequest
from deploycheck.release.reference import LOCK_FILES


@dataclass(frozen=True)
class Environment:
    python: tuple[int, int]
    django: tuple[int, int]
    on_heroku: bool
    today: date


@dataclass(frozen=True)
class Requirement:
    name: str
    line: str
    pinned_version: str | None


@dataclass(frozen=True)
class Requirements:
    source: str | None  # the file read, or None when none was found
    lock_file: str | None
    requirements: tuple[Requirement, ...]
    installed: dict[str, str | None]


@dataclass(frozen=True)
class VersionFile:
    name: str | None
    value: str | None


def project_root() -> Path:
    configured = conf.get_settings().project_root
    return Path(configured or getattr(settings, "BASE_DIR", None) or Path.cwd())


def environment() -> Environment:
    return Environment(
        python=tuple(int(part) for part in platform.python_version_tuple()[:2]),  # type: ignore[arg-type]
        django=django.VERSION[:2],
        on_heroku=bool(os.environ.get("DYNO")),
        today=timezone.localdate(),
    )


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
            found[alias] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    return found


_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirements(text: str) -> tuple[Requirement, ...]:
    requirements = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", "git+", "http:", "https:", "file:", ".")):
            continue
        match = _REQUIREMENT.match(line.split(";", 1)[0])
        if not match:
            continue
        specifier = match.group(3).strip()
        pinned = re.fullmatch(r"===?\s*([^\s,]+)", specifier)
        requirements.append(Requirement(_normalise(match.group(1)), line, pinned.group(1) if pinned else None))
    return tuple(requirements)


def requirements() -> Requirements:
    root = project_root()
    lock_file = next((name for name in LOCK_FILES if (root / name).is_file()), None)
    source = root / "requirements.txt"
    parsed = parse_requirements(source.read_text(encoding="utf-8")) if source.is_file() else ()
    installed: dict[str, str | None] = {}
    for requirement in parsed:
        try:
            installed[requirement.name] = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            installed[requirement.name] = None
    return Requirements(source.name if source.is_file() else None, lock_file, parsed, installed)


def python_version_file() -> VersionFile:
    root = project_root()
    for name in (".python-version", "runtime.txt"):
        path = root / name
        if path.is_file():
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
            value = next((line for line in lines if line and not line.startswith("#")), "")
            return VersionFile(name, value)
    return VersionFile(None, None)


_GATHERERS = {
    "release.environment": environment,
    "release.model_changes": model_changes,
    "release.unapplied_migrations": unapplied_migrations,
    "release.requirements": requirements,
    "release.python_version_file": python_version_file,
}


def gather_release(request: GatherRequest) -> dict[str, Any]:
    try:
        return {name: _GATHERERS[name]() for name in request.names if name in _GATHERERS}
    finally:
        # This runs on a gathering thread: the connections it opened must not outlive it.
        connections.close_all()
