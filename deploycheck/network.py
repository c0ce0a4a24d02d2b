"""Why a connection failed, said in the reader's language rather than in urllib3's words."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

from deploycheck.text import Message
from deploycheck.text import later as _

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

    A :class:`~deploycheck.text.Message`, translated when read; the exception's class name
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
        if isinstance(cause, ConnectionResetError):
            return _("the connection was reset")
        if isinstance(cause, TimeoutError | socket.timeout):
            return _("the connection timed out")
    return type(causes[-1]).__name__ if causes else type(exc).__name__
