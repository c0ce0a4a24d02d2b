"""A real HTTP/1.1 server on loopback for a fake API whose answers come late, cheap per request.

pytest-httpserver (werkzeug) gives every connection a thread of its own and parses each request
with the email package: over a millisecond of CPU a request, so that against 181 requests at
once the fake, not the client, sets the pace. Here one asyncio loop, on one thread, serves every
connection, and an answer's latency is a timer on that loop rather than a sleeping thread.
Requests and answers are werkzeug's, so a fake's handler is the one it gives pytest-httpserver,
split in two: how late the answer comes, then the answer (see tests.heroku_fake.FakeHeroku.plan).
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Callable
from email.utils import formatdate
from typing import Any
from urllib.parse import unquote_to_bytes

from werkzeug import Request, Response

# A request's delay before its answer, and the answer, made once the delay is over.
Plan = tuple[float, Callable[[], Response]]
Planner = Callable[[Request], Plan]


class LoopbackServer:
    """Serves ``planner``'s answers on 127.0.0.1, on a port of its own, from a daemon thread."""

    def __init__(self, planner: Planner | None = None):
        self.planner = planner
        self.host = "127.0.0.1"
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def serve(self, planner: Planner) -> None:
        """Answer every request with ``planner`` from now on."""
        self.planner = planner

    def url_for(self, suffix: str) -> str:
        return f"http://{self.host}:{self.port}/{suffix.lstrip('/')}"

    def start(self) -> None:
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            # A backlog for every connection a run opens at once: none waits to be accepted.
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._connection, self.host, 0, backlog=1024)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            started.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="loopback-server", daemon=True)
        self._thread.start()
        started.wait()

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            # Connections kept alive end here, rather than with the loop.
            for writer in self._writers:
                writer.transport.abort()
            while self._writers:
                await asyncio.sleep(0.01)

        asyncio.run_coroutine_threadsafe(close(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join()
        self._loop.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while await self._exchange(reader, writer):
                pass
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
            pass  # the client went away, or sent no HTTP
        finally:
            writer.close()
            self._writers.discard(writer)

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """One request and its answer; whether the connection stays open for another."""
        head = await reader.readuntil(b"\r\n\r\n")  # at most the reader's 64 KiB
        request_line, *lines = head.decode("latin-1").split("\r\n")[:-2]
        method, target, version = request_line.split(" ", 2)
        headers = [(name.strip(), value.strip()) for name, _, value in (line.partition(":") for line in lines)]
        length = int(next((value for name, value in headers if name.lower() == "content-length"), "0") or 0)
        body = await reader.readexactly(length) if length else b""
        request = Request(self._environ(method, target, version, headers, body, writer))
        assert self.planner is not None, "nothing serves this server's requests yet"
        delay, answer = self.planner(request)
        if delay > 0:
            await asyncio.sleep(delay)
        response = answer()
        keep_alive = version == "HTTP/1.1" and request.headers.get("Connection", "").lower() != "close"
        writer.write(_serialise(response, keep_alive))
        await writer.drain()
        return keep_alive

    def _environ(
        self,
        method: str,
        target: str,
        version: str,
        headers: list[tuple[str, str]],
        body: bytes,
        writer: asyncio.StreamWriter,
    ) -> dict[str, Any]:
        """The WSGI environ werkzeug's own server would make of this request."""
        path, _, query = target.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "SERVER_NAME": self.host,
            "SERVER_PORT": str(self.port),
            "SERVER_PROTOCOL": version,
            "REMOTE_ADDR": (writer.get_extra_info("peername") or ("", 0))[0],
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        for name, value in headers:
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = f"HTTP_{key}"
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ


def _serialise(response: Response, keep_alive: bool) -> bytes:
    """The answer's bytes on the wire, with the Date and Server headers werkzeug's server adds."""
    body = response.get_data()
    lines = [f"HTTP/1.1 {response.status}"]
    headers = response.headers.to_wsgi_list()
    names = {name.lower() for name, _ in headers}
    if "content-length" not in names:
        headers.append(("Content-Length", str(len(body))))
    headers += [("Server", "loopback-server"), ("Date", formatdate(usegmt=True))]
    if not keep_alive:
        headers.append(("Connection", "close"))
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
