"""A run ends within its time budget whatever a peer does, and nothing of it outlives it.

The peers are real servers on loopback, each misbehaving in one way: silence, a trickle of one
byte a second in the headers or the body, a huge body. Whole processes are timed from start to
exit: a report printed on time is not enough when the process then waits for its threads.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from deploycheck.families.heroku.client import HerokuAPIError, HerokuClient
from tests.conftest import cli_environment
from tests.heroku_fake import TOKEN, Fault

pytestmark = pytest.mark.slow

BUDGET = 3.0
# Python and Django start in a second or two on a loaded machine; the run itself must end by its budget.
SLACK = 3.0

JSON_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n"
# Larger than any answer the Heroku client reads; sent at once, which a slow loop would hide.
HUGE = 20 * 1024 * 1024
HUGE_CHUNK = b'{"name": "web"},' * 4096
HUGE_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (
    HUGE // len(HUGE_CHUNK) * len(HUGE_CHUNK)
)


class Peer:
    """A TCP server on 127.0.0.1 that reads a request and then behaves as ``behaviour`` says.

    ``stall``: never answers. ``headers``: a status line, then header bytes, one a second.
    ``body``: whole headers, then the body one byte a second. ``huge``: 20 MB of JSON, at once.
    ``redirects``: a redirect to a new address of its own, every time.
    """

    def __init__(self, behaviour: str, *, tls: ssl.SSLContext | None = None, head: bytes = JSON_HEAD):
        self.behaviour, self.tls, self.head = behaviour, tls, head
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, name="peer", daemon=True).start()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()
        for sock in self.sockets:
            with suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                sock, _address = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self.sockets.append(sock)
            threading.Thread(target=self._serve, args=(sock,), name="peer-connection", daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        with suppress(OSError), closing(sock):
            if self.behaviour == "stall":
                self.stopped.wait()
                return
            if self.tls is not None:
                sock = self.tls.wrap_socket(sock, server_side=True)
                self.sockets.append(sock)
            sock.recv(65536)
            if self.behaviour == "headers":
                sock.sendall(b"HTTP/1.1 200 OK\r\n")
                self._trickle(sock, b"X-Slow: ")
            elif self.behaviour == "body":
                sock.sendall(self.head)
                self._trickle(sock, b"[")
            elif self.behaviour == "redirects":
                # Always somewhere new, a little slowly: no loop to detect, only the deadline.
                self.stopped.wait(0.6)
                location = f"/hop-{self.connections}".encode()
                sock.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n")
            elif self.behaviour == "huge":
                sock.sendall(HUGE_HEAD)
                for _chunk in range(HUGE // len(HUGE_CHUNK)):
                    sock.sendall(HUGE_CHUNK)
                self.stopped.wait()

    def _trickle(self, sock: socket.socket, first: bytes) -> None:
        sock.sendall(first)
        while not self.stopped.wait(1.0):
            sock.sendall(b"a")


@pytest.fixture
def peer() -> Iterator[Callable[..., Peer]]:
    peers: list[Peer] = []

    def start(behaviour: str, **options: Any) -> Peer:
        peers.append(Peer(behaviour, **options))
        return peers[-1]

    yield start
    for started in peers:
        started.stop()


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path]:
    """A server context for 127.0.0.1, and the CA bundle that trusts it."""
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    bundle = tmp_path_factory.mktemp("deadline-tls") / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context, bundle


@pytest.fixture
def start(
    spawn: Callable[..., subprocess.Popen[str]], tmp_path: Path, migrated_template: Path
) -> Callable[..., subprocess.Popen[str]]:
    """Start `python -m django deploycheck --format json ...` on a migrated SQLite file of its own."""
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(migrated_template, database)

    def run(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
        environment = cli_environment(database, **{"CLI_PROFILE": "deadline", "CLI_TIME_BUDGET": str(BUDGET), **env})
        return spawn(["deploycheck", "--format", "json", *args], environment)

    return run


def finish(process: subprocess.Popen[str], started: float, limit: float) -> tuple[float, dict[str, Any], str]:
    """Seconds from start to exit, the JSON report and stderr; fails when the process outlives ``limit``."""
    try:
        stdout, stderr = process.communicate(timeout=limit + 5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"the process was still running {limit + 5:.0f} s after it started")
    elapsed = time.monotonic() - started
    assert elapsed < limit, f"exited after {elapsed:.1f} s"
    assert "Traceback" not in stderr, stderr
    return elapsed, json.loads(stdout), stderr


def stored_outcome(process_env_database: Path, run_id: int) -> str:
    with closing(sqlite3.connect(process_env_database)) as connection:
        row = connection.execute("SELECT outcome FROM deploycheck_checkrun WHERE id = ?", (run_id,)).fetchone()
    return str(row[0])


def results_of(document: dict[str, Any], family: str) -> list[dict[str, Any]]:
    return [result for result in document["results"] if result["family"] == family]


# Silence is covered below: a per-read timeout already ended it, and the Heroku API case proves the exit.
@pytest.mark.parametrize("behaviour", ["headers", "body"])
def test_a_slow_site_probed_with_url_ends_the_process_within_the_budget(start, peer, tls, tmp_path, behaviour):
    context, bundle = tls
    # A 500 so that the probe reads the body, where the trickle is.
    site = peer(behaviour, tls=context, head=b"HTTP/1.1 500 Oops\r\nContent-Length: 100000\r\n\r\n")
    document = probed_within_the_budget(start, site, bundle)
    assert stored_outcome(tmp_path / "db.sqlite3", document["run"]["id"]) == "error"
    http = results_of(document, "http")
    assert http
    # The certificate comes with the TLS handshake, in time; every answer after it is late.
    by_status = {result["id"]: result["status"] for result in http}
    assert by_status.pop("http.certificate") == "passed"
    assert set(by_status.values()) == {"error"}
    late = next(result for result in http if result["id"] == "http.hsts")
    assert f"no answer from {site.url}/ within" in late["message"]
    # What was gathered in time is kept: Django's own checks were evaluated.
    assert {"passed", "failed"} & {result["status"] for result in results_of(document, "django")}


def probed_within_the_budget(start: Any, site: Any, bundle: Any) -> dict[str, Any]:
    """Run the command on ``site``, which misbehaves; it ends within the budget and saves the run."""
    began = time.monotonic()
    process = start("--url", f"{site.url}/", env={"REQUESTS_CA_BUNDLE": str(bundle)})
    _elapsed, document, _stderr = finish(process, began, BUDGET + SLACK)
    assert document["run"]["saved"] is True
    return document


def test_endless_redirects_end_the_process_within_the_budget(start, peer, tls, tmp_path):
    context, bundle = tls
    site = peer("redirects", tls=context)
    document = probed_within_the_budget(start, site, bundle)
    late = next(result for result in results_of(document, "http") if result["id"] == "http.hsts")
    assert late["status"] == "error"


@pytest.mark.parametrize("behaviour", ["headers", "body", "stall", "huge"])
def test_a_slow_heroku_api_ends_the_process_within_the_budget(start, peer, tmp_path, behaviour):
    api = peer(behaviour)
    began = time.monotonic()
    process = start("--tag", "heroku", env={"CLI_HEROKU_API_URL": api.url, "HEROKU_API_KEY": TOKEN})
    _elapsed, document, _stderr = finish(process, began, BUDGET + SLACK)
    assert document["run"]["saved"] is True
    assert stored_outcome(tmp_path / "db.sqlite3", document["run"]["id"]) == "error"
    heroku = results_of(document, "heroku")
    assert heroku
    assert {result["status"] for result in heroku} == {"error"}
    expected = "larger than" if behaviour == "huge" else "time budget"
    assert all(expected in result["message"] for result in heroku), [result["message"] for result in heroku]


def test_sigterm_with_a_stalled_heroku_api_exits_within_seconds_and_stores_the_run(start, peer, tmp_path):
    api = peer("stall")
    process = start(
        "--tag",
        "heroku",
        env={"CLI_HEROKU_API_URL": api.url, "HEROKU_API_KEY": TOKEN, "CLI_TIME_BUDGET": "60"},
    )
    waited = time.monotonic()
    while api.connections == 0:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() - waited < 30, "the run never called the API"
        time.sleep(0.05)
    time.sleep(0.5)  # every request in flight
    process.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    stdout, stderr = process.communicate(timeout=30)
    assert time.monotonic() - sent < 3, f"exited {time.monotonic() - sent:.1f} s after SIGTERM"
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    document = json.loads(stdout)
    assert document["run"]["outcome"] == "interrupted"
    assert stored_outcome(tmp_path / "db.sqlite3", document["run"]["id"]) == "interrupted"


def deploycheck_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name.startswith("deploycheck")]


@pytest.mark.django_db
def test_five_admin_runs_against_a_trickling_site_leave_no_thread(peer, tls, secure_settings, monkeypatch):
    from django.contrib.auth.models import User

    context, bundle = tls
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    site = peer("headers", tls=context)
    secure_settings.DEPLOYCHECK = {**secure_settings.DEPLOYCHECK, "TIME_BUDGET": 2.0, "URLS": [f"{site.url}/"]}
    client = Client()
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", "x"))
    before = set(deploycheck_threads())
    for _run in range(5):
        began = time.monotonic()
        response = client.post(reverse("admin:deploycheck_run_now"), secure=True)
        assert response.status_code == 302
        assert time.monotonic() - began < 2.0 + 1.5
    waited = time.monotonic()
    while set(deploycheck_threads()) - before and time.monotonic() - waited < 5:
        time.sleep(0.1)
    assert not set(deploycheck_threads()) - before


def test_a_retry_after_longer_than_the_time_left_gives_up_at_once(heroku):
    heroku.fail(
        "/apps/weareone", Fault(503, {"id": "unavailable", "message": "Later."}, {"Retry-After": "5"}, times=None)
    )
    client = HerokuClient(TOKEN, heroku.url, retries=3, deadline=time.monotonic() + 3)
    began = time.monotonic()
    with pytest.raises(HerokuAPIError, match="HTTP 503"):
        client.get("/apps/weareone")
    client.close()
    assert time.monotonic() - began < 1
    assert heroku.count()["/apps/weareone"] == 1


def test_a_backoff_that_leaves_no_time_for_the_attempt_gives_up_at_once(heroku):
    heroku.fail("/apps/weareone", Fault(503, {"id": "unavailable", "message": "Later."}, times=None))
    # The first retry is immediate; the second would wait 0.8 s and leave no time for its attempt.
    client = HerokuClient(TOKEN, heroku.url, retries=3, backoff=0.4, deadline=time.monotonic() + 1.0)
    began = time.monotonic()
    with pytest.raises(HerokuAPIError, match="HTTP 503"):
        client.get("/apps/weareone")
    client.close()
    assert time.monotonic() - began < 0.5
