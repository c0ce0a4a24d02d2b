"""A hard deadline for every request a run makes.

Socket timeouts bound each read, not a request: a peer that sends a byte a second, in its
headers or its body, keeps a read going for ever. The one way to end a read blocked in another
thread at a chosen time is to shut its socket down, so every socket a run opens is handed to its
:class:`Watchdog`, which shuts it down when the request's deadline passes, or at once when the
run is over. The blocked read then returns, its thread ends, and nothing of the run outlives it.
"""

from __future__ import annotations

import math
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class Watch:
    """One socket under watch, shut down at ``deadline``."""

    def __init__(self, watchdog: Watchdog, sock: socket.socket, deadline: float):
        # While TLS is negotiated the socket object urllib3 made has handed its descriptor over to
        # the TLS one, which does not exist yet: a duplicate descriptor stands in for it until then.
        self._socket: socket.socket | None = sock.dup()
        self._duplicate = True
        self._watchdog = watchdog
        self.deadline = deadline

    def connected(self, sock: socket.socket | None) -> None:
        """Connected (TLS included), or failed to: watch the socket requests read from."""
        self._watchdog._connected(self, sock)

    def rearm(self, deadline: float) -> None:
        """A new request on a kept-alive connection: its own deadline applies."""
        self._watchdog._rearm(self, deadline)

    def _cut(self) -> None:
        if self._socket is None:
            return
        # The plain socket's shutdown, whatever the object: it ends a read blocked in another
        # thread. Closed, a socket object has no descriptor left, so no other one is ever hit.
        with suppress(OSError):
            socket.socket.shutdown(self._socket, socket.SHUT_RDWR)
        self._drop()

    def _drop(self) -> None:
        if self._duplicate and self._socket is not None:
            self._socket.close()
        self._socket = None


class Watchdog:
    """Shuts sockets down when their deadline passes, or all of them when it is closed.

    Its thread runs only while there is something to watch, and a closed watchdog shuts down at
    once any socket handed to it later, so that a retry started after the run fails straight away.
    It is woken only when a socket is due before the time it sleeps until: waking it for every
    socket of a run's hundreds of requests would cost each of them a switch of threads.
    """

    def __init__(self, deadline: float | None = None, name: str = "deploycheck-watchdog"):
        self.deadline = math.inf if deadline is None else deadline
        self.name = name
        self.closed = threading.Event()
        self._condition = threading.Condition()
        self._watches: set[Watch] = set()
        self._thread: threading.Thread | None = None
        # When the thread wakes next, unless woken earlier.
        self._wakes_at = math.inf

    def watch(self, sock: socket.socket, deadline: float) -> Watch:
        """Shut ``sock`` down at ``deadline``, or when the watchdog closes, whichever comes first."""
        watch = Watch(self, sock, min(deadline, self.deadline))
        thread = None
        with self._condition:
            if self.closed.is_set():
                watch._cut()
                return watch
            self._watches.add(watch)
            if self._thread is None:
                self._wakes_at = watch.deadline
                self._thread = thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            elif watch.deadline < self._wakes_at:
                self._condition.notify()
        # Started without the lock: starting a thread waits until it runs, and every other
        # connection of the run would wait for the lock as long.
        if thread is not None:
            thread.start()
        return watch

    def cut_time(self, seconds: float) -> float:
        """When a request starting now with ``seconds`` to run has its socket shut down."""
        return min(time.monotonic() + seconds, self.deadline)

    def was_cut(self, cut_time: float) -> bool:
        """Whether a request due to be cut at ``cut_time`` was: a read that ended with a shut socket
        fails however the connection's state makes it fail, so only the time tells."""
        return time.monotonic() >= cut_time or self.closed.is_set()

    def close(self) -> None:
        """End every request still under way, now."""
        with self._condition:
            self.closed.set()
            for watch in self._watches:
                watch._cut()
            self._watches.clear()
            self._condition.notify()

    def _rearm(self, watch: Watch, deadline: float) -> None:
        with self._condition:
            if watch in self._watches:
                watch.deadline = min(deadline, self.deadline)
                # A later deadline needs no waking: the thread finds it when it wakes.
                if watch.deadline < self._wakes_at:
                    self._condition.notify()

    def _connected(self, watch: Watch, sock: socket.socket | None) -> None:
        with self._condition:
            if watch not in self._watches:  # cut already
                return
            watch._drop()
            if sock is None:
                self._watches.discard(watch)
            else:
                watch._socket, watch._duplicate = sock, False

    def _run(self) -> None:
        with self._condition:
            while self._watches and not self.closed.is_set():
                now = time.monotonic()
                for watch in [watch for watch in self._watches if watch.deadline <= now]:
                    self._watches.discard(watch)
                    watch._cut()
                if self._watches:
                    self._wakes_at = min(watch.deadline for watch in self._watches)
                    self._condition.wait(self._wakes_at - now)
            self._thread = None


# The watchdog and deadline of the request this thread is making, and how its turn ends (see
# Turns): urllib3 creates connections deep inside requests' call, where nothing else can reach them.
_current = threading.local()


class Turns:
    """The requests of one client, taking turns to be made ready until each goes on the wire.

    Under the GIL, a run's hundreds of requests made ready all at once share the CPU: all go out
    at about the same time, late, and their answers all arrive together and wait for one another
    to be read. In turns, each request goes out as soon as it is ready, the answers arrive spread
    out and are read as they come. A turn ends as the request opens its connection or starts
    writing, so that no request holds it while it waits on the network: only while it computes.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @contextmanager
    def turn(self, timeout: float) -> Iterator[None]:
        """This thread's turn, waited for ``timeout`` s at most (then the request goes without it)."""
        held = self._lock.acquire(timeout=min(max(timeout, 0.0), threading.TIMEOUT_MAX))
        _current.end_turn = self._lock.release if held else None
        try:
            yield
        finally:
            _end_turn()


def _end_turn() -> None:
    """The request this thread is making goes on the wire, or is over: its turn, if any, ends."""
    release = getattr(_current, "end_turn", None)
    if release is not None:
        _current.end_turn = None
        release()


if TYPE_CHECKING:
    _Connection = HTTPConnection
else:
    _Connection = object


class _WatchedConnection(_Connection):
    _watch: Watch | None = None

    def _new_conn(self) -> socket.socket:
        _end_turn()  # the connection is opened: DNS, TCP and TLS wait on the network
        sock = super()._new_conn()
        armed: tuple[Watchdog, float] | None = getattr(_current, "armed", None)
        if armed is not None:
            self._watch = armed[0].watch(sock, armed[1])
        return sock

    def connect(self) -> None:
        try:
            super().connect()
        finally:
            if self._watch is not None:
                self._watch.connected(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        armed: tuple[Watchdog, float] | None = getattr(_current, "armed", None)
        if armed is not None and self._watch is not None:
            self._watch.rearm(armed[1])
        super().request(*args, **kwargs)

    def send(self, data: Any) -> None:
        _end_turn()  # the request is written out, on a connection it opens (above) or keeps
        super().send(data)

    # close() leaves the watch on: http.client closes a connection whose answer ends with the
    # connection while that answer's body is still to be read, through the same socket object.


class WatchedHTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter, each request of which ends within ``total`` seconds, body included.

    The deadline is the earlier of ``total`` seconds after the request starts and the
    watchdog's own; at that moment the socket is shut down, whatever the peer is doing.
    """

    def __init__(self, watchdog: Watchdog, total: float, **kwargs: Any):
        self.watchdog = watchdog
        self.total = total
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": WatchedHTTPConnectionPool,
            "https": WatchedHTTPSConnectionPool,
        }

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        previous = getattr(_current, "armed", None)
        _current.armed = (self.watchdog, time.monotonic() + self.total)
        try:
            return super().send(request, *args, **kwargs)
        finally:
            _current.armed = previous
