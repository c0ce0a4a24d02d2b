"""The ``release`` family, declared once for the modules that declare its checks.

deploycheck.checks.release holds the checks of migrations, versions, reference data and settings;
deploycheck.checks.release_files those of the files Heroku builds from (requirements, Python
version), deploycheck.checks.release_csp the Content Security Policy the settings build; the first
imports the others, so the catalogue, which loads the first, finds them all.
"""

from __future__ import annotations

from deploycheck.checks.family import Family
from deploycheck.release.gather import gather_release

FAMILY = Family("release", tags={"deploy"}, providers={"release": gather_release})

DJANGO_DOCS = "https://docs.djangoproject.com/en/stable/"


def dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)
