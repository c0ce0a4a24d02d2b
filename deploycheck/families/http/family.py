"""The ``http`` family, declared once for the modules that declare its checks.

deploycheck.families.http.checks holds the checks of the headers, cookies and error pages;
deploycheck.families.http.checks_policy the Content Security Policy the site sends, and
deploycheck.families.http.checks_certificate the certificate it serves. The first imports the others,
so the catalogue, which loads the first, finds them all. Each check is a pure function of one
URL's probes (a :class:`Probes`), checked URL by URL through :data:`LIVE_URLS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from deploycheck.core.check import Check, Facts, Finding
from deploycheck.core.deferred_text import later as _
from deploycheck.core.family import Family
from deploycheck.families.http.certificate import Certificate
from deploycheck.families.http.gather import CERTIFICATES, TARGET, Page, gather_http

MDN = "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/"


@dataclass(frozen=True)
class Probes:
    url: str
    page: Page | None  # the HTTPS page, redirects followed
    plain: Page | None  # the same address over plain HTTP
    missing: Page | None  # a page that does not exist
    # Cookie name -> (HttpOnly, SameSite) the settings promise, for Django's own cookies.
    promised: Mapping[str, tuple[bool, str | None]] = field(default_factory=dict)
    # The certificate the URL's host serves; None for a plain http:// URL or when not gathered.
    certificate: Certificate | None = None


def promised_flags(facts: Facts) -> dict[str, tuple[bool, str | None]]:
    """(HttpOnly, SameSite) the settings promise for Django's session and CSRF cookies, by name.

    Empty unless the cookie settings were gathered (only the checks that need them ask for them).
    """
    promised: dict[str, tuple[bool, str | None]] = {}
    for prefix in ("CSRF", "SESSION"):
        name = facts.get(f"settings.{prefix}_COOKIE_NAME")
        if name:
            httponly = bool(facts.get(f"settings.{prefix}_COOKIE_HTTPONLY"))
            promised[name] = (httponly, facts.get(f"settings.{prefix}_COOKIE_SAMESITE") or None)
    return promised


class LiveUrls:
    """The http family's checks see one URL's probes at a time; findings name the URL."""

    targets_fact = TARGET
    FACTS = {"page": "http.pages", "plain": "http.plain", "missing": "http.missing", "certificate": CERTIFICATES}

    def fact_name(self, need: str) -> str:
        return self.FACTS[need]

    def view(self, facts: Facts, target: str, gathered: Mapping[str, Any]) -> Probes:
        return Probes(
            target,
            gathered.get("page"),
            gathered.get("plain"),
            gathered.get("missing"),
            promised_flags(facts),
            gathered.get("certificate"),
        )

    def tag(self, finding: Finding, target: str, check: Check, view: Probes | None) -> Finding:
        page = view.page if view is not None else None
        if page is not None and page.redirected_from and finding.message:
            # The checks judged the page the site redirected to: say which.
            where = _("%(message)s (at %(page)s, where %(url)s redirects)")
            finding = replace(finding, message=where % {"message": finding.message, "page": page.url, "url": target})
        return finding if finding.obj else replace(finding, obj=target)


LIVE_URLS = LiveUrls()
FAMILY = Family("http", tags={"live"}, providers={"http": gather_http}, per=LIVE_URLS)
