"""Posting webhooks: all at once, retried, and over within a few seconds whatever the receivers do.

A webhook's URL is a secret, so requests go through http.client, which logs nothing: urllib3
writes a request's path (a Slack webhook's secret part) to its log when it retries, and at
DEBUG level on every request. No reason logged here ever quotes the URL or an exception's text.
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils import translation

from deploycheck.core.connection_errors import failure_reason
from deploycheck.core.version import __version__

logger = logging.getLogger("deploycheck")

# Seconds that delivering every webhook of a run may take, together: the command exits after.
DELIVERY_BUDGET = 5.0
ATTEMPTS = 3
# The wait before the first retry, doubled before each next one.
BACKOFF = 0.25
# The least time an attempt is given; less than that left, no retry is made.
MIN_ATTEMPT = 0.5
RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# An answer's body is not used: a little of it is read so the connection ends cleanly.
ANSWER_LIMIT = 4096


@dataclass
class Delivery:
    """One message to one webhook, and how its delivery went."""

    name: str
    url: str = field(repr=False)
    body: bytes = field(repr=False)
    delivered: bool = False
    # Why the last attempt failed, in English, never quoting the URL.
    failure: str = ""


class _OpenConnections:
    """The connections under way, so that those still open at the deadline can be cut."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: set[http.client.HTTPConnection] = set()
        self.stop = threading.Event()

    def add(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._connections.add(connection)

    def discard(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._connections.discard(connection)

    def cut(self) -> None:
        # Shutting a socket down ends a read blocked on it in another thread; close() would not.
        self.stop.set()
        with self._lock:
            for connection in self._connections:
                if connection.sock is not None:
                    with suppress(OSError):
                        socket.socket.shutdown(connection.sock, socket.SHUT_RDWR)


def deliver(deliveries: Sequence[Delivery], budget: float = DELIVERY_BUDGET) -> None:
    """Post every delivery concurrently, each retried, all over within ``budget`` seconds.

    A delivery that fails is logged on one line (logger "deploycheck", warning); none raises.
    """
    if not deliveries:
        return
    deadline = time.monotonic() + budget
    connections = _OpenConnections()
    threads = [
        threading.Thread(
            target=_post_with_retries, args=(delivery, deadline, connections), name="deploycheck-webhook", daemon=True
        )
        for delivery in deliveries
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    connections.cut()
    for thread, delivery in zip(threads, deliveries, strict=True):
        if not delivery.delivered:
            late = thread.is_alive() or not delivery.failure
            reason = f"no answer within the {budget:g} s given to webhooks" if late else delivery.failure
            logger.warning("deploycheck could not deliver %s: %s", delivery.name, reason)


def _post_with_retries(delivery: Delivery, deadline: float, connections: _OpenConnections) -> None:
    wait = BACKOFF
    for attempt in range(1, ATTEMPTS + 1):
        try:
            status = _post(delivery, deadline, connections)
        except (OSError, http.client.HTTPException) as exc:
            if connections.stop.is_set() or time.monotonic() >= deadline:
                return  # cut at the deadline: deliver() says so
            # English whatever the site's language: a log line for whoever runs the site.
            with translation.override(None):
                delivery.failure = str(failure_reason(exc))
            retried = True
        else:
            if 200 <= status < 300:
                delivery.delivered = True
                return
            delivery.failure = f"answered HTTP {status}"
            retried = status in RETRIED_STATUSES
        if attempt == ATTEMPTS or not retried or time.monotonic() + wait + MIN_ATTEMPT > deadline:
            return
        if connections.stop.wait(wait):
            return
        wait *= 2


def _post(delivery: Delivery, deadline: float, connections: _OpenConnections) -> int:
    timeout = deadline - time.monotonic()
    if timeout <= 0:
        raise TimeoutError
    parts = urlsplit(delivery.url)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=timeout, context=context)
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"deploycheck/{__version__}",
    }
    connections.add(connection)
    try:
        connection.request("POST", target, body=delivery.body, headers=headers)
        answer = connection.getresponse()
        answer.read(ANSWER_LIMIT)
        return answer.status
    finally:
        connections.discard(connection)
        connection.close()
