"""Why a connection failed, said in the reader's language rather than in urllib3's words."""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Callable, Iterator

import requests
from urllib3.exceptions import ReadTimeoutError

from deploycheck.core.deferred_text import Message, Text
from deploycheck.core.deferred_text import later as _

# OpenSSL's verification codes (X509_V_ERR_*) worth telling apart.
X509_EXPIRED = 10
X509_HOSTNAME_MISMATCH = 62


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it wraps: requests and urllib3 nest the socket's error several levels deep."""
    seen: set[int] = set()
    pending: list[object] = [exc]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None), *current.args[:1]])


def failure_reason(exc: BaseException) -> Message | str:
    """A short reason for a failed connection, such as "the connection was refused".

    A :class:`~deploycheck.core.deferred_text.Message`, translated when read; the exception's class name
    when the failure is none of those told apart.
    """
    causes = list(_causes(exc))
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            if cause.verify_code == X509_EXPIRED:
                return _("its certificate has expired")
            if cause.verify_code == X509_HOSTNAME_MISMATCH:
                return _("its certificate is for another host name")
            return _("its certificate is not trusted")
        if isinstance(cause, ssl.SSLError):
            return _("the TLS handshake failed")
        if isinstance(cause, socket.gaierror):
            return _("the host name does not resolve")
        if isinstance(cause, ConnectionRefusedError):
            return _("the connection was refused")
        if isinstance(cause, http.client.RemoteDisconnected):
            return _("the server closed the connection without answering")
        if isinstance(cause, http.client.BadStatusLine):
            return _("the server answered something that is not HTTP")
        if isinstance(cause, ConnectionResetError):
            return _("the connection was reset")
        if isinstance(cause, TimeoutError | socket.timeout):
            return _("the connection timed out")
    return type(causes[-1]).__name__ if causes else type(exc).__name__


def request_failure(exc: Exception, base_url: str, late: Callable[[], Text] | None = None) -> Text:
    """Why an API request made with requests (retried by urllib3) got no answer, on one line.

    ``late`` gives the reason when the run's watchdog cut the request (see deploycheck.core.deadline):
    a read ended by a shut socket fails in ways that only the time tells apart.
    """
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return _("connection timed out")
    if isinstance(exc, requests.exceptions.RetryError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        last = str(reason).split(" (Caused by")[0] if reason else _("too many retries")
        return _("still failing after retries (%(last)s)") % {"last": last}
    if late is not None:
        return late()
    if isinstance(exc, requests.exceptions.ReadTimeout | ReadTimeoutError) or isinstance(
        getattr(exc.args[0] if exc.args else None, "reason", None), ReadTimeoutError
    ):
        # With retries on, requests reports a read timeout as a ConnectionError whose cause says so.
        return _("no answer within the read timeout")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return _("cannot connect to %(url)s: %(error)s") % {"url": base_url, "error": failure_reason(exc)}
    return type(exc).__name__


def content_type(response: requests.Response) -> Text:
    """The media type an answer says it holds, for a reason that quotes it."""
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    return media_type or _("no content type")
