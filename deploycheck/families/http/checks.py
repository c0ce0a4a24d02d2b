"""The ``http`` family: what the deployed site really sends, for each URL in ``DEPLOYCHECK["URLS"]``.

Settings promise headers that a proxy, a missing ``SECURE_PROXY_SSL_HEADER`` or a CDN can take
away; these checks read the responses. Each is a pure function of one URL's probes (a
:class:`Probes`), checked URL by URL through :data:`LIVE_URLS`: every check is skipped when no
URL is configured, reports ``error`` for a URL that could not be fetched, and every finding's
object is its URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from deploycheck.core import csp
from deploycheck.core.check import Finding, failed, passed, skipped
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import Message, joined
from deploycheck.core.deferred_text import later as _
from deploycheck.core.sanitising import one_line
from deploycheck.families.http import checks_certificate as http_certificate
from deploycheck.families.http import checks_policy as http_policy
from deploycheck.families.http.family import FAMILY, LIVE_URLS, MDN, LiveUrls, Probes, promised_flags
from deploycheck.families.http.gather import Page

# The family the catalogue loads; importing http_policy and http_certificate declared their checks on it too.
__all__ = ["FAMILY", "LIVE_URLS", "LiveUrls", "Probes", "http_certificate", "http_policy", "promised_flags"]

ONE_YEAR = 31_536_000
# Settings that say which flags Django's own cookies are sent with.
COOKIE_SETTINGS = tuple(
    f"settings.{prefix}_COOKIE_{flag}" for prefix in ("SESSION", "CSRF") for flag in ("NAME", "HTTPONLY", "SAMESITE")
)


def _page(probes: Probes) -> Page:
    assert probes.page is not None
    return probes.page


@FAMILY.check(
    "http.https_redirect",
    title=_("Plain HTTP redirects permanently to HTTPS on the same host"),
    level=Level.ERROR,
    hint=_("Set SECURE_SSL_REDIRECT = True (with SECURE_PROXY_SSL_HEADER on Heroku)."),
    doc="https://docs.djangoproject.com/en/stable/ref/middleware/#ssl-redirect",
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


@FAMILY.check(
    "http.hsts",
    title=_("Strict-Transport-Security is sent for at least a year"),
    level=Level.WARNING,
    hint=_("Set SECURE_HSTS_SECONDS = 31536000, and SECURE_PROXY_SSL_HEADER so that Django sees HTTPS."),
    doc=MDN + "Strict-Transport-Security",
    needs=("page",),
)
def check_hsts(probes: Probes) -> Finding:
    header = _page(probes).headers.get("strict-transport-security")
    if not header:
        return failed(_("No Strict-Transport-Security header."))
    match = re.search(r"max-age\s*=\s*\"?(\d+)", header, re.IGNORECASE)
    if not match or int(match.group(1)) < ONE_YEAR:
        return failed(_("Strict-Transport-Security is %(value)r: max-age is under a year.") % {"value": header})
    return passed(header)


def _header(probes: Probes, name: str, valid: Callable[[str], bool]) -> Finding:
    value = _page(probes).headers.get(name.lower())
    if value is None:
        return failed(_("No %(header)s header.") % {"header": name})
    if not valid(value):
        return failed(_("%(header)s is %(value)r.") % {"header": name, "value": value})
    return passed(value)


@FAMILY.check(
    "http.nosniff",
    title=_("X-Content-Type-Options: nosniff is sent"),
    level=Level.WARNING,
    hint=_("Set SECURE_CONTENT_TYPE_NOSNIFF = True."),
    doc=MDN + "X-Content-Type-Options",
    needs=("page",),
)
def check_nosniff(probes: Probes) -> Finding:
    return _header(probes, "X-Content-Type-Options", lambda value: value.strip().lower() == "nosniff")


@FAMILY.check(
    "http.referrer_policy",
    title=_("A Referrer-Policy is sent"),
    level=Level.WARNING,
    hint=_("Set SECURE_REFERRER_POLICY, for example to 'same-origin'."),
    doc=MDN + "Referrer-Policy",
    needs=("page",),
)
def check_referrer_policy(probes: Probes) -> Finding:
    return _header(probes, "Referrer-Policy", lambda value: value.strip().lower() not in {"", "unsafe-url"})


@FAMILY.check(
    "http.cross_origin_opener_policy",
    title=_("A Cross-Origin-Opener-Policy is sent"),
    level=Level.WARNING,
    hint=_("Keep SECURE_CROSS_ORIGIN_OPENER_POLICY = 'same-origin' (Django's default)."),
    doc=MDN + "Cross-Origin-Opener-Policy",
    needs=("page",),
)
def check_cross_origin_opener_policy(probes: Probes) -> Finding:
    return _header(probes, "Cross-Origin-Opener-Policy", lambda value: value.strip().lower() != "unsafe-none")


@FAMILY.check(
    "http.framing",
    title=_("Pages cannot be framed by other sites"),
    level=Level.WARNING,
    hint=_("Keep XFrameOptionsMiddleware with X_FRAME_OPTIONS = 'DENY', or send CSP frame-ancestors."),
    doc=MDN + "X-Frame-Options",
    needs=("page",),
)
def check_framing(probes: Probes) -> Finding:
    headers = _page(probes).headers
    frame_options = headers.get("x-frame-options", "").strip().upper()
    # Browsers obey an enforced CSP frame-ancestors over X-Frame-Options, so it is judged first.
    ancestors = csp.frame_ancestors(csp.parse_header(headers.get("content-security-policy", "")))
    if ancestors is not None:
        protects, directive = ancestors
        if protects:
            return passed(one_line(directive))
        return failed(
            _("CSP %(directive)s lets any site frame the pages (browsers then ignore X-Frame-Options).")
            % {"directive": one_line(directive)}
        )
    if frame_options in {"DENY", "SAMEORIGIN"}:
        return passed(f"X-Frame-Options: {frame_options}")
    return failed(_("Neither X-Frame-Options nor a CSP frame-ancestors directive."))


@FAMILY.check(
    "http.cookies",
    title=_("Cookies set over HTTPS carry the flags the settings promise"),
    level=Level.WARNING,
    hint=_("Set SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE to True, and check the proxy keeps the flags."),
    doc="https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure",
    requires=COOKIE_SETTINGS,
    needs=("page",),
)
def check_cookies(probes: Probes) -> Finding | list[Finding]:
    cookies = _page(probes).cookies
    if not cookies:
        return skipped(_("The page sets no cookie: nothing to judge."))
    findings = []
    for cookie in cookies:
        problems: list[Message | str] = []
        if not cookie.secure:
            problems.append(_("not Secure"))
        expected = probes.promised.get(cookie.name)
        if expected is not None:
            httponly, samesite = expected
            if httponly and not cookie.httponly:
                problems.append(_("not HttpOnly"))
            if samesite and not cookie.samesite:
                problems.append(
                    _("no SameSite attribute, where the settings say %(expected)s") % {"expected": samesite}
                )
            elif samesite and (cookie.samesite or "").lower() != samesite.lower():
                problems.append(
                    _("SameSite is %(actual)s, not %(expected)s") % {"actual": cookie.samesite, "expected": samesite}
                )
        if problems:
            findings.append(
                failed(
                    _("Cookie %(name)s: %(problems)s.") % {"name": cookie.name, "problems": joined(problems)},
                    obj=cookie.name,
                )
            )
    return findings or passed(", ".join(cookie.name for cookie in cookies))


@FAMILY.check(
    "http.debug_page",
    title=_("A missing page does not show Django's debug page"),
    level=Level.ERROR,
    hint=_("Set DEBUG = False on the deployed site."),
    doc="https://docs.djangoproject.com/en/stable/ref/settings/#debug",
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


@FAMILY.check(
    "http.server_versions",
    title=_("The server does not reveal software versions"),
    level=Level.WARNING,
    hint=_("Configure the web server (gunicorn, a proxy) to send no version in Server or X-Powered-By."),
    doc=MDN + "Server",
    needs=("page",),
)
def check_server_versions(probes: Probes) -> Finding:
    headers = _page(probes).headers
    leaking = {name: headers[name] for name in ("server", "x-powered-by") if re.search(r"\d", headers.get(name, ""))}
    if leaking:
        shown = "; ".join(f"{name.title()}: {value}" for name, value in leaking.items())
        return failed(_("Versions are public: %(headers)s.") % {"headers": shown})
    return passed()
