"""Project roots for the release family's tests: real files, read as Heroku's Python buildpack reads them."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

from deploycheck.core.check import Facts
from deploycheck.core.choices import Level, Status
from deploycheck.families.release import checks
from deploycheck.families.release.locks import read_pins
from deploycheck.families.release.requirements import Requirements
from tests.families.findings import as_list

COMMIT = "0123456789abcdef0123456789abcdef01234567"
DJANGO = metadata.version("django")
ERROR = [(Status.FAILED, Level.ERROR)]


def project(root: Path, **files: str) -> Path:
    """Write ``files`` (``requirements__base_txt`` is ``requirements/base.txt``) under ``root``."""
    for name, text in files.items():
        path = root / name.replace("__", "/").replace("_txt", ".txt").replace("_lock", ".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def pins(root: Path, **files: str) -> Requirements:
    return read_pins(project(root, **files))


def pinned(found: Requirements) -> Any:
    return checks.check_requirements_pinned(Facts({"release.requirements": found}))


def drift(found: Requirements) -> Any:
    return checks.check_requirements_drift(Facts({"release.requirements": found}))


def messages(produced: Any) -> list[str]:
    return [str(finding.message) for finding in as_list(produced)]
