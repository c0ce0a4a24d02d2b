"""The certificate a URL's host really serves, read in a TLS handshake of its own.

The handshake trusts what the probes' requests session trusts (``REQUESTS_CA_BUNDLE``, else
certifi's bundle), checks the host name as a browser does, and runs under the run's watchdog
with the same timeout as the other probes. A certificate that fails verification is a fact
(OpenSSL's code and words say why), not a failure to gather: a site that serves an expired
certificate has been looked at and found wanting.
"""

from __future__ import annotations

import os
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.utils

from deploycheck.core.check import FactError
from deploycheck.core.connection_errors import failure_reason
from deploycheck.core.deadline import Watchdog
from deploycheck.core.deferred_text import later as _


@dataclass(frozen=True)
class Certificate:
    host: str
    # When the handshake happened: the check counts the days left from here, not from its own clock.
    checked_at: datetime
    not_after: datetime | None = None
    issuer: str = ""
    # The subjectAltName entries, as "DNS:www.example.com" or "IP Address:127.0.0.1".
    names: tuple[str, ...] = ()
    # Why it could not be verified (OpenSSL's X509_V_ERR_* code and message); None when verified.
    verify_code: int | None = None
    verify_message: str | None = None


def trusted_context(session: requests.Session, url: str) -> ssl.SSLContext:
    """A verifying context that trusts the certificate authorities ``session`` trusts for ``url``."""
    verify = session.merge_environment_settings(url, {}, None, session.verify, None)["verify"]
    bundle = verify if isinstance(verify, str) else requests.utils.DEFAULT_CA_BUNDLE_PATH
    if os.path.isdir(bundle):
        return ssl.create_default_context(capath=bundle)
    return ssl.create_default_context(cafile=bundle)


def _issuer(peer: Mapping[str, Any]) -> str:
    fields = {key: value for entry in peer.get("issuer", ()) for key, value in entry}
    organization, common_name = fields.get("organizationName"), fields.get("commonName")
    if organization and common_name and organization != common_name:
        return f"{common_name} ({organization})"
    return str(common_name or organization or "")


def _described(peer: Mapping[str, Any], host: str, checked_at: datetime) -> Certificate:
    not_after = peer.get("notAfter")
    return Certificate(
        host=host,
        checked_at=checked_at,
        not_after=datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), timezone.utc)
        if isinstance(not_after, str)
        else None,
        issuer=_issuer(peer),
        names=tuple(f"{kind}:{value}" for kind, value in peer.get("subjectAltName", ())),
    )


def read_certificate(url: str, context: ssl.SSLContext, timeout: float, watchdog: Watchdog) -> Certificate | None:
    """The certificate ``url``'s host serves, verified; None for a plain http:// URL.

    Raises FactError (its reason safe to show) when no handshake could be made at all.
    """
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    host, port = parts.hostname, parts.port or 443
    cut_at = watchdog.cut_time(timeout)
    late = FactError(_("no answer from %(url)s within %(timeout)s s") % {"url": url, "timeout": round(timeout, 1)})
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        if watchdog.was_cut(cut_at) or isinstance(exc, TimeoutError):
            raise late from None
        unreachable = _("cannot connect to %(url)s: %(error)s") % {"url": url, "error": failure_reason(exc)}
        raise FactError(unreachable) from None
    # The handshake is a read like any other: the watchdog shuts it down at the deadline.
    watch = watchdog.watch(sock, cut_at)
    checked_at = datetime.now(timezone.utc)
    try:
        with context.wrap_socket(sock, server_hostname=host) as tls:
            watch.connected(tls)
            peer = tls.getpeercert() or {}
    except ssl.SSLCertVerificationError as exc:
        return Certificate(host, checked_at, verify_code=exc.verify_code, verify_message=exc.verify_message or str(exc))
    except OSError as exc:
        if watchdog.was_cut(cut_at) or isinstance(exc, TimeoutError):
            raise late from None
        message = _("TLS error on %(url)s: %(error)s") if isinstance(exc, ssl.SSLError) else None
        message = message or _("cannot connect to %(url)s: %(error)s")
        raise FactError(message % {"url": url, "error": failure_reason(exc)}) from None
    finally:
        watch.connected(None)
        sock.close()
    return _described(peer, host, checked_at)
