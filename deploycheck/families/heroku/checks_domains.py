"""The ``heroku`` family's checks of an app's custom domains: certificates and DNS targets.

Declared on the family of deploycheck.families.heroku.family; deploycheck.families.heroku.checks imports this
module, so that the catalogue, which loads that one, finds these checks too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.utils.dateparse import parse_datetime

from deploycheck.core.check import Finding, failed, passed, skipped
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import later as _
from deploycheck.core.deferred_text import plural_later as ngettext
from deploycheck.families.heroku import reference
from deploycheck.families.heroku.family import ANY_APP, FAMILY, AppFacts


def _as_date(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


@FAMILY.check(
    "heroku.ssl",
    title=_("Every custom domain has a valid certificate"),
    level=Level.ERROR,
    hint=_("Let Heroku manage certificates: `heroku certs:auto:enable -a %(app)s`.") % ANY_APP,
    doc="automated-certificate-management",
    needs=("app", "domains", "sni_endpoints"),
)
def check_ssl(app: AppFacts) -> Finding | list[Finding]:
    domains = app.custom_domains()
    if not domains:
        return skipped(_("No custom domain: the herokuapp.com domain always has TLS."))
    if app["app"]["acm"]:
        return [
            failed(
                _("ACM has not issued a certificate for %(domain)s (status: %(status)s).")
                % {"domain": domain["hostname"], "status": domain["acm_status"] or _("none")},
                obj=domain["hostname"],
            )
            for domain in domains
            if domain["acm_status"] not in reference.ACM_GOOD_STATUSES
        ] or passed(
            ngettext(
                "Automated Certificate Management covers %(count)d domain.",
                "Automated Certificate Management covers %(count)d domains.",
                len(domains),
            )
            % {"count": len(domains)}
        )
    findings = [_certificate_problem(app, domain["hostname"]) for domain in domains]
    return [finding for finding in findings if finding is not None] or passed()


def _certificate_problem(app: AppFacts, hostname: str) -> Finding | None:
    limit = app.today + timedelta(days=reference.SSL_EXPIRY_MARGIN_DAYS)
    covering = [endpoint for endpoint in app["sni_endpoints"] if _covers(endpoint["domains"], hostname)]
    if not covering:
        return failed(_("No certificate covers %(domain)s.") % {"domain": hostname}, obj=hostname)
    expiries = [_as_date(endpoint["expires_at"]) for endpoint in covering]
    latest = max((expiry for expiry in expiries if expiry is not None), default=None)
    if latest is None or latest.date() <= limit:
        return failed(
            _("The certificate for %(domain)s expires on %(date)s.")
            % {"domain": hostname, "date": latest.date() if latest else _("an unknown date")},
            obj=hostname,
        )
    return None


def _covers(cert_domains: Iterable[str], hostname: str) -> bool:
    for pattern in cert_domains:
        if pattern == hostname:
            return True
        if pattern.startswith("*.") and hostname.count(".") == pattern.count(".") and hostname.endswith(pattern[1:]):
            return True
    return False


@FAMILY.check(
    "heroku.dns",
    title=_("Custom domains point at Heroku's DNS targets"),
    level=Level.WARNING,
    hint=_(
        "Point each domain by CNAME (or ALIAS) at the target `heroku domains -a %(app)s` shows, never at an IP address."
    )
    % ANY_APP,
    doc="custom-domains",
    needs=("domains",),
)
def check_dns(app: AppFacts) -> Finding | list[Finding]:
    domains = app.custom_domains()
    if not domains:
        return skipped(_("The app has no custom domain."))
    findings = []
    # Each problem of each domain: a domain may lack its target and be unverified too.
    for domain in domains:
        if not domain["cname"].endswith(reference.DNS_TARGET_SUFFIXES):
            findings.append(
                failed(
                    _("%(domain)s has no Heroku DNS target.") % {"domain": domain["hostname"]}, obj=domain["hostname"]
                )
            )
        if domain["status"] != "succeeded":
            findings.append(
                failed(
                    _("%(domain)s is not verified by Heroku (status: %(status)s).")
                    % {"domain": domain["hostname"], "status": domain["status"] or _("none")},
                    obj=domain["hostname"],
                )
            )
    return findings or passed(
        ngettext("%(count)d custom domain", "%(count)d custom domains", len(domains)) % {"count": len(domains)}
    )
