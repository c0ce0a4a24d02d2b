"""The ``release`` family's check of known vulnerabilities in what is installed, from the OSV database.

A pure function of the ``advisories.scan`` fact (deploycheck.families.advisories.gather). Declared on the
family of deploycheck.families.release.family; deploycheck.families.release.checks imports this module, so that the
catalogue, which loads that one, finds it.
"""

from __future__ import annotations

from collections.abc import Mapping

from packaging.utils import canonicalize_name
from packaging.version import Version

from deploycheck.core.check import Facts, Finding, failed, passed, skipped
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import later as _
from deploycheck.core.deferred_text import plural_later as ngettext
from deploycheck.families.advisories.gather import Scan, VulnerablePackage
from deploycheck.families.advisories.records import Advisory
from deploycheck.families.release.family import FAMILY

# Ratings that fail at ERROR whatever the package; any advisory of Django itself does too.
SERIOUS = frozenset({"HIGH", "CRITICAL"})


def _named(advisory: Advisory) -> str:
    """``GHSA-... (CVE-..., PYSEC-...) https://osv.dev/vulnerability/GHSA-...``: its ids and its page."""
    aliases = f" ({', '.join(advisory.aliases)})" if advisory.aliases else ""
    return f"{advisory.id}{aliases} {advisory.url}"


def _acceptance(advisory: Advisory, accepted: Mapping[str, str]) -> tuple[str, str] | None:
    """(accepted id, reason) when the team accepted the advisory under any of its ids."""
    matches = (advisory_id for advisory_id in advisory.ids if advisory_id.casefold() in accepted)
    return next(((advisory_id, accepted[advisory_id.casefold()]) for advisory_id in matches), None)


def _vulnerable(package: VulnerablePackage, advisories: list[Advisory]) -> Finding:
    # Every advisory listed is fixed from its own version on: the latest of those fixes them all.
    fixed = max((advisory.fixed for advisory in advisories if advisory.fixed), key=Version)
    serious = canonicalize_name(package.name) == "django" or any(a.severity in SERIOUS for a in advisories)
    message = ngettext(
        "%(package)s %(version)s has %(count)d known vulnerability, fixed in %(fixed)s: %(advisories)s.",
        "%(package)s %(version)s has %(count)d known vulnerabilities, all fixed in %(fixed)s: %(advisories)s.",
        len(advisories),
    )
    values = {
        "package": package.name,
        "version": package.version,
        "count": len(advisories),
        "fixed": fixed,
        "advisories": ", ".join(_named(advisory) for advisory in advisories),
    }
    details = {
        "package": package.name,
        "installed": package.version,
        "fixed": fixed,
        "advisories": [
            {
                "id": advisory.id,
                "aliases": list(advisory.aliases),
                "severity": advisory.severity,
                "fixed": advisory.fixed,
                "url": advisory.url,
            }
            for advisory in advisories
        ],
    }
    level = Level.ERROR if serious else Level.WARNING
    return failed(message % values, level=level, obj=package.name, details=details)


@FAMILY.check(
    "release.security_advisories",
    title=_("No installed package has a known vulnerability that an upgrade fixes"),
    level=Level.WARNING,
    hint=_(
        "Upgrade the package to the fixed version and pin it; or, once weighed, list the advisory in "
        "DEPLOYCHECK['ACCEPTED_ADVISORIES'] with the reason."
    ),
    doc="https://osv.dev/",
    requires=("advisories.scan",),
)
def check_security_advisories(facts: Facts) -> Finding | list[Finding]:
    """Each installed distribution against the OSV database: ERROR for Django and for HIGH or CRITICAL
    advisories, WARNING for the others; accepted advisories and those no release fixes yet pass, named."""
    scan: Scan = facts["advisories.scan"]
    if scan.source is None:
        return skipped(_("DEPLOYCHECK['OSV_API_URL'] is None: the OSV database is not asked."))
    accepted = {advisory_id.casefold(): reason for advisory_id, reason in scan.accepted}
    problems: list[Finding] = []
    noted: list[Finding] = []
    for package in scan.vulnerable:
        values = {"package": package.name, "version": package.version}
        unfixed = [advisory for advisory in package.advisories if not advisory.fixed]
        open_advisories = []
        for advisory in package.advisories:
            acceptance = _acceptance(advisory, accepted) if advisory.fixed else None
            if acceptance is not None:
                message = _("%(package)s %(version)s: %(advisory)s is accepted: %(reason)s")
                reason = {"advisory": _named(advisory), "reason": acceptance[1]}
                noted.append(passed(message % {**values, **reason}, obj=package.name))
            elif advisory.fixed:
                open_advisories.append(advisory)
        if open_advisories:
            problems.append(_vulnerable(package, open_advisories))
        if unfixed:
            message = _("%(package)s %(version)s is affected by %(advisories)s, which no release fixes yet.")
            advisories = ", ".join(_named(advisory) for advisory in unfixed)
            noted.append(passed(message % {**values, "advisories": advisories}, obj=package.name))
    if problems:
        return problems + noted
    summary = ngettext(
        "%(count)d installed distribution checked: none has a known vulnerability that an upgrade fixes.",
        "%(count)d installed distributions checked: none has a known vulnerability that an upgrade fixes.",
        scan.checked,
    )
    return [passed(summary % {"count": scan.checked}), *noted]
