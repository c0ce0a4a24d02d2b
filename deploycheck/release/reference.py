"""Support dates, kept as data with the date they were true. Update them as releases come out."""

from __future__ import annotations

from datetime import date

REVIEWED = date(2026, 11, 27)

# Django series -> the last day it gets security fixes (djangoproject.com/download, 2026-11).
DJANGO_SECURITY_SUPPORT: dict[tuple[int, int], date] = {
    (4, 2): date(2026, 4, 30),
    (5, 0): date(2025, 4, 30),
    (5, 1): date(2025, 12, 31),
    (5, 2): date(2028, 4, 30),
    (6, 0): date(2027, 4, 30),
    (6, 1): date(2027, 12, 31),
}

# Python series -> end of upstream support (python.org, PEP 602: October, five years on).
PYTHON_UPSTREAM_SUPPORT: dict[tuple[int, int], date] = {
    (3, 9): date(2025, 10, 31),
    (3, 10): date(2026, 10, 31),
    (3, 11): date(2027, 10, 31),
    (3, 12): date(2028, 10, 31),
    (3, 13): date(2029, 10, 31),
    (3, 14): date(2030, 10, 31),
}

# Heroku's Python buildpack, 2026-08: 3.14 is the default; 3.10 is deprecated; 3.9 was removed.
HEROKU_PYTHON_SUPPORTED = frozenset({(3, 11), (3, 12), (3, 13), (3, 14)})
HEROKU_PYTHON_DEPRECATED = frozenset({(3, 10)})

SUPPORT_WARNING_DAYS = 90

# Files that pin every dependency, transitive ones included, when present.
LOCK_FILES = ("uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock")
