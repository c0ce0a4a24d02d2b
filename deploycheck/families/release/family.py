"""The ``release`` family, declared once for the modules that declare its checks.

deploycheck.families.release.checks holds the checks of migrations, versions, reference data and settings;
deploycheck.families.release.checks_files those of the files Heroku builds from (requirements, Python
version), deploycheck.families.advisories.checks the one of known vulnerabilities and
deploycheck.families.release.checks_csp that of the Content Security Policy the settings build; the first
imports the others, so the catalogue, which loads the first, finds them all. The ``advisories``
facts have a provider of their own so that OSV's answers are awaited while the rest is gathered.
"""

from __future__ import annotations

from deploycheck.core.family import Family
from deploycheck.families.advisories.gather import gather_advisories
from deploycheck.families.release.gather import gather_release

FAMILY = Family("release", tags={"deploy"}, providers={"release": gather_release, "advisories": gather_advisories})

DJANGO_DOCS = "https://docs.djangoproject.com/en/stable/"


def dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)
