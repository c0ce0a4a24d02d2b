"""Dated facts the release checks judge by, each with where it was read and the day it was true there.

Update an entry together with its ``source`` and ``as_of``. ``release.reference_data`` warns when
the oldest entry of a table (or the ``REVIEWED`` date of deploycheck.families.heroku.reference) is more
than ``REFERENCE_MAX_AGE_DAYS`` old: a table that old may miss a release or an end of support.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The day this module was last compared with its sources as a whole.
REVIEWED = date(2026, 12, 7)

SUPPORT_WARNING_DAYS = 90
REFERENCE_MAX_AGE_DAYS = 180


@dataclass(frozen=True)
class SupportEnd:
    """The last day a release series gets security fixes."""

    ends: date
    source: str
    as_of: date


@dataclass(frozen=True)
class HerokuPython:
    """What Heroku's Python buildpack says of a Python series: ``supported``, ``deprecated`` or ``removed``.

    ``removed_on`` is the day the buildpack stops building a deprecated series, once announced.
    """

    status: str
    source: str
    as_of: date
    removed_on: date | None = None

    def status_on(self, today: date) -> str:
        return "removed" if self.removed_on and self.removed_on <= today else self.status


@dataclass(frozen=True)
class LockFile:
    """A lock file, and the installer Heroku's Python buildpack runs on it (empty: Heroku does not read it)."""

    installer: str
    source: str
    as_of: date


_DJANGO = "https://www.djangoproject.com/download/#supported-versions"
DJANGO_SECURITY_SUPPORT: dict[tuple[int, int], SupportEnd] = {
    (4, 2): SupportEnd(date(2026, 4, 30), _DJANGO, REVIEWED),
    (5, 0): SupportEnd(date(2025, 4, 30), _DJANGO, REVIEWED),
    (5, 1): SupportEnd(date(2025, 12, 31), _DJANGO, REVIEWED),
    (5, 2): SupportEnd(date(2028, 4, 30), _DJANGO, REVIEWED),
    (6, 0): SupportEnd(date(2027, 4, 30), _DJANGO, REVIEWED),
    (6, 1): SupportEnd(date(2027, 12, 31), _DJANGO, REVIEWED),
}


def _pep(number: int) -> str:
    return f"https://peps.python.org/pep-{number:04d}/ and https://devguide.python.org/versions/"


# End of upstream support: five years after the first release, in October (PEP 602); each series'
# release schedule PEP gives its dates. 3.15.0 was released in October 2026.
PYTHON_UPSTREAM_SUPPORT: dict[tuple[int, int], SupportEnd] = {
    (3, 9): SupportEnd(date(2025, 10, 31), _pep(596), REVIEWED),
    (3, 10): SupportEnd(date(2026, 10, 31), _pep(619), REVIEWED),
    (3, 11): SupportEnd(date(2027, 10, 31), _pep(664), REVIEWED),
    (3, 12): SupportEnd(date(2028, 10, 31), _pep(693), REVIEWED),
    (3, 13): SupportEnd(date(2029, 10, 31), _pep(719), REVIEWED),
    (3, 14): SupportEnd(date(2030, 10, 31), _pep(745), REVIEWED),
    (3, 15): SupportEnd(date(2031, 10, 31), _pep(790), REVIEWED),
}

# Heroku's classic Python buildpack, README and CHANGELOG as of v351 (2026-08-18): 3.14 is the
# default (v323, 2025-12-05); 3.10 deprecated (v321, 2025-11-21); 3.9 removed (v327, 2026-01-07).
# A newer series than these (3.15) is one the table does not know yet: no copy of Heroku's list
# that names it was at hand on the review date.
_BUILDPACK = "https://github.com/heroku/heroku-buildpack-python (README, CHANGELOG v351)"
_BUILDPACK_DAY = date(2026, 8, 18)
# The deprecation warning the buildpack prints for 3.10 names the day it goes; read 2026-12-07.
_PYTHON_3_10_REMOVAL = (
    "https://github.com/heroku/heroku-buildpack-python/blob/b4e7e72/lib/python_version.sh "
    "(warn_if_deprecated_major_version)"
)
HEROKU_PYTHON: dict[tuple[int, int], HerokuPython] = {
    (3, 9): HerokuPython("removed", _BUILDPACK, _BUILDPACK_DAY),
    (3, 10): HerokuPython("deprecated", _PYTHON_3_10_REMOVAL, date(2026, 12, 7), removed_on=date(2027, 1, 6)),
    (3, 11): HerokuPython("supported", _BUILDPACK, _BUILDPACK_DAY),
    (3, 12): HerokuPython("supported", _BUILDPACK, _BUILDPACK_DAY),
    (3, 13): HerokuPython("supported", _BUILDPACK, _BUILDPACK_DAY),
    (3, 14): HerokuPython("supported", _BUILDPACK, _BUILDPACK_DAY),
}

# Package manager files: the buildpack installs from exactly one of requirements.txt, Pipfile.lock,
# poetry.lock and uv.lock, and refuses to build when it finds several (lib/package_manager.sh).
_PACKAGE_MANAGERS = _BUILDPACK.replace("(README, CHANGELOG v351)", "(lib/package_manager.sh, v351)")
LOCK_FILES: dict[str, LockFile] = {
    "uv.lock": LockFile("uv", _PACKAGE_MANAGERS, _BUILDPACK_DAY),
    "poetry.lock": LockFile("Poetry", _PACKAGE_MANAGERS, _BUILDPACK_DAY),
    "Pipfile.lock": LockFile("Pipenv", _PACKAGE_MANAGERS, _BUILDPACK_DAY),
    # PDM's lock file: Heroku installs with pip, Pipenv, Poetry or uv, never PDM.
    "pdm.lock": LockFile("", _PACKAGE_MANAGERS, _BUILDPACK_DAY),
}
HEROKU_LOCK_FILES = tuple(name for name, entry in LOCK_FILES.items() if entry.installer)


def table_dates() -> dict[str, date]:
    """Each reference table deploycheck judges by -> the day its oldest entry was true."""
    from deploycheck.families.heroku import reference as heroku

    tables: dict[str, list[date]] = {
        "django": [entry.as_of for entry in DJANGO_SECURITY_SUPPORT.values()],
        "python": [entry.as_of for entry in PYTHON_UPSTREAM_SUPPORT.values()],
        "heroku_python": [entry.as_of for entry in HEROKU_PYTHON.values()],
        "lock_files": [entry.as_of for entry in LOCK_FILES.values()],
        "heroku": [heroku.REVIEWED],
    }
    return {name: min(dates) for name, dates in tables.items()}
