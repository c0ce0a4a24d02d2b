"""The fake Heroku answers on tests.loopback_server as it does on pytest-httpserver.

The benchmark (bench/heroku.py) serves the fake from tests.loopback_server: its figures are
measured against the API the tests hold deploycheck to, statuses, headers, pages and latency.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.heroku_fake import ACCEPT, TOKEN, FakeHeroku, Fault
from tests.loopback_server import LoopbackServer

HEADERS = {"Accept": ACCEPT, "Authorization": f"Bearer {TOKEN}"}
# The headers a client reads; Request-Id is new every time, so only its presence is compared.
COMPARED = ("Content-Type", "Content-Length", "Next-Range", "RateLimit-Remaining", "Retry-After")


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fakes(heroku_server, loopback) -> Iterator[list[FakeHeroku]]:
    heroku_server.clear()
    made = [FakeHeroku(heroku_server), FakeHeroku(loopback)]
    made[0].add_app("weareone", domains=[{"id": f"d{index}", "hostname": f"h{index}"} for index in range(5)])
    for fake in made:
        fake.resources = made[0].resources  # the app's id is made anew by add_app
        fake.page_size = 2
        fake.fail("/apps/weareone/addons", Fault(429, {"id": "rate_limit", "message": "Slow."}, {"Retry-After": "1"}))
        fake.fail("/apps/weareone/features", Fault(502, "<html>Bad gateway</html>"))
    yield made
    heroku_server.clear()


def answer(fake: FakeHeroku, path: str, headers: dict[str, str]) -> tuple[Any, ...]:
    response = requests.get(f"{fake.url}{path}", headers=headers, timeout=5)
    compared = {name: response.headers.get(name) for name in COMPARED}
    return response.status_code, compared, bool(response.headers.get("Request-Id")), response.content


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/apps/weareone", HEADERS),
        ("/stacks", HEADERS),
        ("/apps/weareone/domains", HEADERS),
        ("/apps/weareone/domains", {**HEADERS, "Range": "]d1..; max=2"}),
        ("/apps/weareone/domains", {**HEADERS, "Range": "]d3..; max=2"}),
        ("/apps/weareone/addons", HEADERS),
        ("/apps/weareone/features", HEADERS),
        ("/apps/unknown", HEADERS),
        ("/apps/weareone", {"Authorization": f"Bearer {TOKEN}"}),
        ("/apps/weareone", {"Accept": ACCEPT, "Authorization": "Bearer wrong"}),
    ],
)
def test_the_same_answer_on_either_server(fakes, path, headers):
    werkzeug, loopback = fakes
    assert answer(loopback, path, headers) == answer(werkzeug, path, headers)
    assert loopback.requests == werkzeug.requests


def test_every_answer_comes_after_the_latency(loopback):
    fake = FakeHeroku(loopback)
    fake.add_app("weareone")
    fake.latency = 0.2
    began = time.monotonic()
    assert answer(fake, "/apps/weareone", HEADERS)[0] == 200
    assert time.monotonic() - began >= 0.2


def test_a_connection_is_kept_for_the_next_request(loopback):
    fake = FakeHeroku(loopback)
    fake.add_app("weareone")
    with socket.create_connection((loopback.host, loopback.port), timeout=5) as sock:
        for _ in range(2):
            sock.sendall(f"GET /stacks HTTP/1.1\r\nHost: x\r\nAccept: {ACCEPT}\r\n\r\n".encode())
            assert sock.recv(65536).startswith(b"HTTP/1.1 401 UNAUTHORIZED\r\n")
