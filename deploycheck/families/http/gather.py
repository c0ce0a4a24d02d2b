"""The ``http`` facts: for each configured URL, three requests and a TLS handshake made at once.

The HTTPS page itself (following redirects within the site, at most five), the same address
over plain HTTP (not followed: its redirect is what is checked), a page that does not exist
(to see what an error shows), and the certificate the URL's host serves (see
deploycheck.families.http.certificate). Responses are reduced to status, headers and cookie
attributes; bodies are not kept.

A redirect stays within the site when it goes to the same host, between a domain and its
``www.`` form, or to a host the project serves (``ALLOWED_HOSTS``, as Django matches hosts: a
site on Heroku must list its custom domains there). Any other host is refused.
"""

from __future__ import annotations

import secrets
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3
from django.conf import settings
from django.http.request import validate_host

from deploycheck import conf
from deploycheck.core.check import FactError
from deploycheck.core.connection_errors import failure_reason
from deploycheck.core.deadline import DeadlineAdapter, Watchdog
from deploycheck.core.deferred_text import later as _
from deploycheck.core.family import Targets
from deploycheck.core.gathering import GatherRequest, run_concurrently
from deploycheck.core.version import __version__
from deploycheck.families.http.certificate import Certificate, read_certificate, trusted_context

TARGET = "http.urls"
CERTIFICATES = "http.certificates"
MAX_REDIRECTS = 5
# Django's technical 404 and 500 pages say so (the apostrophe before it varies between versions).
DEBUG_PAGE_MARKER = "seeing this error because you have <code>DEBUG = True</code>"


class ProbeError(FactError):
    """Why a URL could not be fetched; its reason is safe to show."""


@dataclass(frozen=True)
class Cookie:
    name: str
    secure: bool
    httponly: bool
    samesite: str | None


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    headers: dict[str, str]  # lower-cased names
    cookies: tuple[Cookie, ...]
    location: str | None
    shows_debug_page: bool
    # The address first asked for, when redirects led to ``url``.
    redirected_from: str | None = None


def within_site(start: str, target: str, allowed_hosts: list[str]) -> bool:
    """Whether a redirect from host ``start`` to host ``target`` stays on the same site."""
    start, target = start.lower().rstrip("."), target.lower().rstrip(".")
    if target == start or target.removeprefix("www.") == start.removeprefix("www."):
        return True
    # "*" lets Django answer any host; it says nothing of which hosts are the site's own.
    return validate_host(target, [host for host in allowed_hosts if host != "*"])


def _parse_cookies(raw_headers: list[str]) -> tuple[Cookie, ...]:
    cookies = []
    for header in raw_headers:
        name = header.split("=", 1)[0].strip()
        attributes = {part.strip().split("=", 1)[0].lower(): part for part in header.split(";")[1:]}
        samesite = attributes.get("samesite")
        cookies.append(
            Cookie(
                name=name,
                secure="secure" in attributes,
                httponly="httponly" in attributes,
                samesite=samesite.split("=", 1)[1].strip().lower() if samesite and "=" in samesite else None,
            )
        )
    return tuple(cookies)


def _fetch(session: requests.Session, url: str, timeout: float, watchdog: Watchdog, *, follow: bool) -> Page:
    seen: list[str] = []
    current = url
    allowed_hosts = list(getattr(settings, "ALLOWED_HOSTS", []))
    while True:
        # The session's adapter shuts the socket down at this time (see deploycheck.core.deadline).
        cut_at = watchdog.cut_time(timeout)
        late = ProbeError(
            _("no answer from %(url)s within %(timeout)s s") % {"url": current, "timeout": round(timeout, 1)}
        )
        try:
            response = session.get(current, allow_redirects=False, timeout=timeout, stream=True)
            with response:
                head = response.raw.read(64 * 1024, decode_content=True) if response.status_code >= 400 else b""
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            if watchdog.was_cut(cut_at):
                raise late from None
            raise _probe_error(current, timeout, exc) from None
        # Headers cut short end like complete ones for http.client: only the time tells them apart.
        if watchdog.was_cut(cut_at):
            raise late
        location = response.headers.get("Location")
        if follow and response.is_redirect and location:
            target = urljoin(current, location)
            seen.append(current)
            chain = " -> ".join([*seen, target])
            if target in seen:
                raise ProbeError(_("redirect loop from %(url)s (%(chain)s)") % {"url": url, "chain": chain})
            if len(seen) > MAX_REDIRECTS:
                raise ProbeError(
                    _("too many redirects from %(url)s: more than %(count)d (%(chain)s)")
                    % {"url": url, "count": MAX_REDIRECTS, "chain": chain}
                )
            if not within_site(urlsplit(url).hostname or "", urlsplit(target).hostname or "", allowed_hosts):
                raise ProbeError(_("%(url)s redirects to another host: %(target)s") % {"url": url, "target": target})
            current = target
            continue
        return Page(
            url=current,
            status=response.status_code,
            headers={name.lower(): value for name, value in response.headers.items()},
            cookies=_parse_cookies(response.raw.headers.getlist("Set-Cookie")),
            location=location,
            shows_debug_page=DEBUG_PAGE_MARKER in head.decode("utf-8", "replace"),
            redirected_from=url if current != url else None,
        )


def _probe_error(url: str, timeout: float, exc: Exception) -> ProbeError:
    if isinstance(exc, requests.exceptions.SSLError | urllib3.exceptions.SSLError):
        return ProbeError(_("TLS error on %(url)s: %(error)s") % {"url": url, "error": failure_reason(exc)})
    if isinstance(exc, requests.exceptions.Timeout | urllib3.exceptions.TimeoutError):
        return ProbeError(_("no answer from %(url)s within %(timeout)s s") % {"url": url, "timeout": round(timeout, 1)})
    if isinstance(exc, requests.exceptions.ConnectionError):
        return ProbeError(_("cannot connect to %(url)s: %(error)s") % {"url": url, "error": failure_reason(exc)})
    return ProbeError(_("cannot fetch %(url)s: %(error)s") % {"url": url, "error": failure_reason(exc)})


def _plain_http(url: str) -> str:
    """The same address over plain HTTP: host, port (an IPv6 literal in its brackets), path and query."""
    parts = urlsplit(url)
    return urlunsplit(("http", parts.netloc, parts.path or "/", parts.query, ""))


def _missing_page(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/deploycheck-missing-{secrets.token_hex(6)}/", "", ""))


# Fact name -> (address to fetch for a configured URL, whether redirects are followed).
_KINDS: dict[str, Callable[[str], tuple[str, bool]]] = {
    "http.pages": lambda url: (url, True),
    "http.plain": lambda url: (_plain_http(url), False),
    "http.missing": lambda url: (_missing_page(url), False),
}


def gather_http(request: GatherRequest) -> dict[str, Any]:
    """The ``http`` facts: the URLs to probe (a Targets) and, per probe kind, URL -> Page or ProbeError.

    ``http.certificates`` holds URL -> Certificate (None for a plain http:// URL) or FactError.
    """
    urls = request.targets.urls
    facts: dict[str, Any] = {
        TARGET: Targets(urls)
        if urls
        else Targets((), not_configured=_("No URL to probe: set DEPLOYCHECK['URLS'] or use --url."))
    }
    wanted = [name for name in sorted(request.names) if name in _KINDS or name == CERTIFICATES]
    if not urls:
        return {**facts, **{name: {} for name in wanted}}
    timeout = max(0.1, min(conf.get_settings().http_timeout, request.seconds_left))
    session = _session(request.watchdog, timeout)
    # The handshake that reads a certificate trusts what the session's requests trust.
    tls_context = trusted_context(session, urls[0]) if CERTIFICATES in wanted else None
    try:
        fetched = run_concurrently(
            {
                (name, url): _probe(name, url, session, tls_context, timeout, request.watchdog)
                for name in wanted
                for url in urls
            },
            request.seconds_left,
            late=lambda task: ProbeError(_("no answer from %(url)s within the run's time budget") % {"url": task[1]}),
            thread_name="deploycheck-http",
            max_workers=16,
        )
    finally:
        session.close()
    results: dict[str, dict[str, Any]] = {name: {} for name in wanted}
    for (name, url), value in fetched.items():
        results[name][url] = value
    return {**facts, **results}


def _session(watchdog: Watchdog, timeout: float) -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = f"deploycheck/{__version__}"
    # HTTP_TIMEOUT bounds each whole answer, not each read: a trickle does not stretch it.
    adapter = DeadlineAdapter(watchdog, timeout)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _probe(
    name: str,
    url: str,
    session: requests.Session,
    tls_context: ssl.SSLContext | None,
    timeout: float,
    watchdog: Watchdog,
) -> Callable[[], Page | Certificate | FactError | None]:
    """The job that gathers the fact ``name`` for ``url``; what goes wrong is its answer, not raised."""

    def certificate() -> Certificate | FactError | None:
        assert tls_context is not None
        try:
            return read_certificate(url, tls_context, timeout, watchdog)
        except FactError as exc:
            return exc

    if name == CERTIFICATES:
        return certificate
    target, follow = _KINDS[name](url)

    def page() -> Page | ProbeError:
        try:
            return _fetch(session, target, timeout, watchdog, follow=follow)
        except ProbeError as exc:
            return exc

    return page
