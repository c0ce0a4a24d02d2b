"""The ``release`` family, declared once for the modules that declare its checks.

deploycheck.checks.release holds the checks of migrations, versions, reference data and settings;
deploycheck.checks.release_files those of the files Heroku builds from (requirements, Python
version), deploycheck.checks.release_advisories the one of known vulnerabilities and
deploycheck.checks.release_csp that of the Content Security Policy the settings build; the first
imports the others, so the catalogue, which loads the first, finds them all. The ``advisories``
facts have a provider of their own so that OSV's answers are awaited while the rest is gathered.
"""

from __future__ import annotations

from deploycheck.advisories.gather import gather_advisories
from deploycheck.checks.family import Family
from deploycheck.release.gather import gather_release

FAMILY = Family("release", tags={"deploy"}, providers={"release": gather_release, "advisories": gather_advisories})

DJANGO_DOCS = "https://docs.djangoproject.com/en/stable/"


def dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)
