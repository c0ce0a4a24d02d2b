"""The ``http`` family: what the deployed site really sends, for each URL in ``DEPLOYCHECK["URLS"]``.

Settings promise headers that a proxy, a missing ``SECURE_PROXY_SSL_HEADER`` or a CDN can take
away; these checks read the responses. Each is a pure function of one URL's probes (a
:class:`Probes`); the :func:`http_check` decorator skips when no URL is configured and reports
``error`` for a URL that could not be fetched. Every finding's object is its URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deploycheck.checks.base import Facts, Family, Finding, Text, as_findings, error, failed, passed, skipped
from deploycheck.choices import Level
from deploycheck.probes.gather import TARGET, Page, ProbeError

FAMILY = Family("http", tags={"live"})
CHECKS = FAMILY.checks
ONE_YEAR = 31_536_000
MDN = "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/"


@dataclass(frozen=True)
class Probes:
    url: str
    page: Page | None  # the HTTPS page, redirects followed
    plain: Page | None  # the same address over plain HTTP
    missing: Page | None  # a page that does not exist


UrlCheck = TypeVar("UrlCheck", bound=Callable[[Probes], "Finding | Iterable[Finding]"])
PROBE_FACTS = {"page": "http.pages", "plain": "http.plain", "missing": "http.missing"}


def http_check(
    check_id: str, *, title: Text, level: int, hint: Text, doc_url: str, needs: tuple[str, ...] = ("page",)
) -> Callable[[UrlCheck], UrlCheck]:
    def decorator(evaluate_url: UrlCheck) -> UrlCheck:
        def evaluate(facts: Facts) -> list[Finding]:
            urls: tuple[str, ...] = facts[TARGET]
            if not urls:
                return [skipped(_("No URL to probe: set DEPLOYCHECK['URLS'] or use --url."))]
            findings: list[Finding] = []
            for url in urls:
                probes = {kind: facts[PROBE_FACTS[kind]].get(url) for kind in needs}
                problem = next((probe for probe in probes.values() if isinstance(probe, ProbeError)), None)
                if problem is not None:
                    findings.append(replace(error(str(problem)), obj=url))
                    continue
                produced = evaluate_url(Probes(url, **{"page": None, "plain": None, "missing": None, **probes}))
                findings.extend(replace(finding, obj=finding.obj or url) for finding in as_findings(produced))
            return findings

        FAMILY.add(
            check_id,
            evaluate,
            title=title,
            level=level,
            hint=hint,
            doc_url=doc_url,
            requires=(TARGET, *(PROBE_FACTS[kind] for kind in needs)),
        )
        return evaluate_url

    return decorator


def _page(probes: Probes) -> Page:
    assert probes.page is not None
    return probes.page


@http_check(
    "http.https_redirect",
    title=gettext_lazy("Plain HTTP redirects permanently to HTTPS on the same host"),
    level=Level.ERROR,
    hint=gettext_lazy("Set SECURE_SSL_REDIRECT = True (with SECURE_PROXY_SSL_HEADER on Heroku)."),
    doc_url="https://docs.djangoproject.com/en/stable/ref/middleware/#ssl-redirect",
    needs=("plain",),
)
def check_https_redirect(probes: Probes) -> Finding:
    plain = probes.plain
    assert plain is not None
    target = urlsplit(plain.location or "")
    if plain.status not in (301, 302, 303, 307, 308) or not plain.location:
        return failed(
            _("%(url)s answers %(status)d over plain HTTP instead of redirecting.")
            % {"url": plain.url, "status": plain.status}
        )
    if target.scheme != "https" or target.hostname != urlsplit(probes.url).hostname:
        return failed(
            _("Plain HTTP redirects to %(location)s, not to HTTPS on the same host.") % {"location": plain.location}
        )
    if plain.status not in (301, 308):
        return failed(
            _("The redirect to HTTPS is temporary (%(status)d); browsers will keep trying HTTP.")
            % {"status": plain.status},
            level=Level.WARNING,
        )
    return passed(f"{plain.status} -> {plain.location}")


@http_check(
    "http.hsts",
    title=gettext_lazy("Strict-Transport-Security is sent for at least a year"),
    level=Level.WARNING,
    hint=gettext_lazy("Set SECURE_HSTS_SECONDS = 31536000, and SECURE_PROXY_SSL_HEADER so that Django sees HTTPS."),
    doc_url=MDN + "Strict-Transport-Security",
)
def check_hsts(probes: Probes) -> Finding:
    header = _page(probes).headers.get("strict-transport-security")
    if not header:
        return failed(_("No Strict-Transport-Security header."))
    match = re.search(r"max-age\s*=\s*\"?(\d+)", header, re.IGNORECASE)
    if not match or int(match.group(1)) < ONE_YEAR:
        return failed(_("Strict-Transport-Security is %(value)r: max-age is under a year.") % {"value": header})
    return passed(header)


def _header_check(name: str, valid: Callable[[str], bool]) -> Callable[[Probes], Finding]:
    def evaluate(probes: Probes) -> Finding:
        value = _page(probes).headers.get(name.lower())
        if value is None:
            return failed(_("No %(header)s header.") % {"header": name})
        if not valid(value):
            return failed(_("%(header)s is %(value)r.") % {"header": name, "value": value})
        return passed(value)

    return evaluate


http_check(
    "http.nosniff",
    title=gettext_lazy("X-Content-Type-Options: nosniff is sent"),
    level=Level.WARNING,
    hint=gettext_lazy("Set SECURE_CONTENT_TYPE_NOSNIFF = True."),
    doc_url=MDN + "X-Content-Type-Options",
)(_header_check("X-Content-Type-Options", lambda value: value.strip().lower() == "nosniff"))

http_check(
    "http.referrer_policy",
    title=gettext_lazy("A Referrer-Policy is sent"),
    level=Level.WARNING,
    hint=gettext_lazy("Set SECURE_REFERRER_POLICY, for example to 'same-origin'."),
    doc_url=MDN + "Referrer-Policy",
)(_header_check("Referrer-Policy", lambda value: value.strip().lower() not in {"", "unsafe-url"}))

http_check(
    "http.cross_origin_opener_policy",
    title=gettext_lazy("A Cross-Origin-Opener-Policy is sent"),
    level=Level.WARNING,
    hint=gettext_lazy("Keep SECURE_CROSS_ORIGIN_OPENER_POLICY = 'same-origin' (Django's default)."),
    doc_url=MDN + "Cross-Origin-Opener-Policy",
)(_header_check("Cross-Origin-Opener-Policy", lambda value: value.strip().lower() != "unsafe-none"))


@http_check(
    "http.framing",
    title=gettext_lazy("Pages cannot be framed by other sites"),
    level=Level.WARNING,
    hint=gettext_lazy("Keep XFrameOptionsMiddleware with X_FRAME_OPTIONS = 'DENY', or send CSP frame-ancestors."),
    doc_url=MDN + "X-Frame-Options",
)
def check_framing(probes: Probes) -> Finding:
    headers = _page(probes).headers
    frame_options = headers.get("x-frame-options", "").strip().upper()
    csp = headers.get("content-security-policy", "")
    if frame_options in {"DENY", "SAMEORIGIN"}:
        return passed(f"X-Frame-Options: {frame_options}")
    if re.search(r"(^|;)\s*frame-ancestors\s", csp, re.IGNORECASE):
        return passed(_("CSP frame-ancestors"))
    return failed(_("Neither X-Frame-Options nor a CSP frame-ancestors directive."))


@http_check(
    "http.cookies",
    title=gettext_lazy("Cookies set over HTTPS carry the flags the settings promise"),
    level=Level.WARNING,
    hint=gettext_lazy("Set SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE to True, and check the proxy keeps the flags."),
    doc_url="https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure",
)
def check_cookies(probes: Probes) -> Finding | list[Finding]:
    cookies = _page(probes).cookies
    if not cookies:
        return passed(_("The page sets no cookie."))
    findings = []
    for cookie in cookies:
        problems = []
        if not cookie.secure:
            problems.append(_("not Secure"))
        expected = _promised_flags(cookie.name)
        if expected is not None:
            httponly, samesite = expected
            if httponly and not cookie.httponly:
                problems.append(_("not HttpOnly"))
            if samesite and (cookie.samesite or "").lower() != samesite.lower():
                problems.append(
                    _("SameSite is %(actual)s, not %(expected)s")
                    % {"actual": cookie.samesite or "-", "expected": samesite}
                )
        if problems:
            findings.append(
                failed(
                    _("Cookie %(name)s: %(problems)s.") % {"name": cookie.name, "problems": ", ".join(problems)},
                    obj=cookie.name,
                )
            )
    return findings or passed(", ".join(cookie.name for cookie in cookies))


def _promised_flags(name: str) -> tuple[bool, str | None] | None:
    """(HttpOnly, SameSite) that the settings promise for Django's own cookies; None for others."""
    if name == settings.SESSION_COOKIE_NAME:
        return settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE or None
    if name == settings.CSRF_COOKIE_NAME:
        return settings.CSRF_COOKIE_HTTPONLY, settings.CSRF_COOKIE_SAMESITE or None
    return None


@http_check(
    "http.debug_page",
    title=gettext_lazy("A missing page does not show Django's debug page"),
    level=Level.ERROR,
    hint=gettext_lazy("Set DEBUG = False on the deployed site."),
    doc_url="https://docs.djangoproject.com/en/stable/ref/settings/#debug",
    needs=("missing",),
)
def check_debug_page(probes: Probes) -> Finding:
    missing = probes.missing
    assert missing is not None
    if missing.shows_debug_page:
        return failed(
            _("%(url)s shows Django's debug page: settings and URL patterns are public.") % {"url": missing.url}
        )
    return passed(_("%(status)d without debug details") % {"status": missing.status})


@http_check(
    "http.server_versions",
    title=gettext_lazy("The server does not reveal software versions"),
    level=Level.WARNING,
    hint=gettext_lazy("Configure the web server (gunicorn, a proxy) to send no version in Server or X-Powered-By."),
    doc_url=MDN + "Server",
)
def check_server_versions(probes: Probes) -> Finding:
    headers = _page(probes).headers
    leaking = {name: headers[name] for name in ("server", "x-powered-by") if re.search(r"\d", headers.get(name, ""))}
    if leaking:
        shown = "; ".join(f"{name.title()}: {value}" for name, value in leaking.items())
        return failed(_("Versions are public: %(headers)s.") % {"headers": shown})
    return passed()
