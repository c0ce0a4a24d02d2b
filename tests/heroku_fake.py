"""A fake Heroku Platform API, served over real HTTP on loopback by pytest-httpserver (the tests)
or tests.loopback_server (the benchmark), answering the same on either.

It speaks the protocol deploycheck relies on: the v3 Accept header (406 without it), Bearer
tokens (401 for a wrong one), JSON error bodies with ids, Request-Id and RateLimit-Remaining
on every answer, Range pagination (206 + Next-Range), and it can add latency or inject faults
per path: a status with a JSON or HTML body, a body that is not JSON, or a slow answer. It can
also answer any JSON at all, in shapes Heroku does not document (:func:`wrong_shapes`).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.loopback_server import LoopbackServer, Plan

TOKEN = "HRKU-00000000-test-token-never-shown-0000"
ACCEPT = "application/vnd.heroku+json; version=3"


@dataclass
class Fault:
    status: int = 500
    body: Any = None  # dict -> JSON, str -> sent as text/html
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # How many requests it answers; None for every one.
    times: int | None = 1


def healthy_app(name: str) -> dict[str, Any]:
    """The resources of an app that passes every Heroku check (mixed case, as Heroku answers)."""
    return {
        f"/apps/{name}": {
            "id": str(uuid.uuid4()),
            "name": name,
            "stack": {"id": "s1", "name": "heroku-24"},
            "build_stack": {"id": "s1", "name": "heroku-24"},
            "generation": {"id": "g1", "name": "cedar"},
            "acm": True,
            "maintenance": False,
            "region": {"name": "eu"},
            "space": None,
            "web_url": f"https://{name}.herokuapp.com/",
        },
        f"/apps/{name}/formation": [
            {"id": "f1", "type": "web", "quantity": 2, "dyno_size": {"name": "Standard-2X"}, "size": "Standard-2X"},
            {"id": "f2", "type": "worker", "quantity": 1, "dyno_size": {"name": "Standard-1X"}},
        ],
        f"/apps/{name}/addons": [
            {
                "id": "a1",
                "addon_service": {"name": "heroku-postgresql"},
                "plan": {"name": "heroku-postgresql:premium-0"},
                "state": "provisioned",
                "config_vars": ["DATABASE_URL"],
            },
            {"id": "a2", "addon_service": {"name": "papertrail"}, "plan": {"name": "papertrail:choklad"}},
            {"id": "a3", "addon_service": {"name": "newrelic"}, "plan": {"name": "newrelic:wayne"}},
        ],
        f"/apps/{name}/log-drains": [
            {"id": "d1", "addon": {"name": "papertrail-a1"}, "url": "syslog+tls://logs.example.net:123", "token": "t"}
        ],
        f"/apps/{name}/telemetry-drains": [],
        f"/apps/{name}/config-vars": {
            "DATABASE_URL": "postgres://u:secret-db-password@db.example.net/d",
            "SECRET_KEY": "super-secret-django-key",
            "NEW_RELIC_LICENSE_KEY": "secret-license",
            "ERROR_PAGE_URL": "https://pages.example.net/error.html",
            "MAINTENANCE_PAGE_URL": "https://pages.example.net/maintenance.html",
        },
        f"/apps/{name}/domains": [
            {"id": "w1", "hostname": f"{name}.herokuapp.com", "kind": "heroku", "cname": None, "status": "none"},
            {
                "id": "w2",
                "hostname": "www.WeAreOne.example",
                "kind": "custom",
                "cname": "fuzzy-1234.herokudns.com",
                "status": "succeeded",
                "acm_status": "cert issued",
                "sni_endpoint": {"name": "sni-1"},
            },
        ],
        f"/apps/{name}/sni-endpoints": [],
        f"/apps/{name}/features": [
            {"id": "p1", "name": "preboot", "enabled": True},
            {"id": "p2", "name": "runtime-dyno-metadata", "enabled": False},
        ],
    }


def fir_app(name: str, *, space: str) -> dict[str, Any]:
    """The resources of a Fir app in the Private Space ``space``, whose logs leave by the space's drain only.

    Fir answers as the schema says: the generation and the space as objects, the stack ``cnb``.
    The app has no drain of its own, and no log drains at all (a Cedar feature): that path is 404.
    """
    cedar = healthy_app(name)
    return {
        f"/apps/{name}": {
            **cedar[f"/apps/{name}"],
            "stack": {"id": "s2", "name": "cnb"},
            "build_stack": {"id": "s2", "name": "cnb"},
            "generation": {"id": "g2", "name": "fir"},
            "region": {"name": "virginia"},
            "space": {"id": str(uuid.uuid4()), "name": space, "shield": False},
        },
        f"/apps/{name}/formation": [
            {"id": "f1", "type": "web", "quantity": 2, "dyno_size": {"name": "dyno-1c-4gb"}},
        ],
        f"/apps/{name}/addons": [addon for addon in cedar[f"/apps/{name}/addons"] if addon["id"] != "a2"],
        f"/apps/{name}/telemetry-drains": [],
        f"/apps/{name}/config-vars": {"DATABASE_URL": "postgres://u:secret-db-password@db.example.net/d"},
        f"/apps/{name}/domains": [],
        f"/apps/{name}/sni-endpoints": [],
        f"/apps/{name}/features": [],
        f"/spaces/{space}/telemetry-drains": [
            {
                "id": "t1",
                "owner": {"id": "sp1", "type": "space"},
                "signals": ["traces", "logs"],
                "exporter": {
                    "type": "otlphttp",
                    "endpoint": "https://otel.example.net/v1",
                    "headers": {"x-api-key": "secret-otel-key"},
                },
            }
        ],
    }


STACKS = [
    {"id": "k1", "name": "heroku-22", "state": "deprecated", "default": False},
    {"id": "k2", "name": "heroku-24", "state": "public", "default": True},
    {"id": "k3", "name": "heroku-26", "state": "public", "default": False},
]

# One good answer of each resource, by the last part of its path ("" for the app itself), and a key
# its checks read with a value of another type than Heroku documents. A list is given by one item.
SHAPES: dict[str, tuple[Any, str, Any]] = {
    "": (healthy_app("weareone")["/apps/weareone"], "acm", "true"),
    "formation": ({"id": "f1", "type": "web", "quantity": 2, "dyno_size": {"name": "Standard-2X"}}, "quantity", "2"),
    "addons": (
        {"id": "a1", "addon_service": {"name": "papertrail"}, "plan": {"name": "papertrail:choklad"}},
        "plan",
        "papertrail:choklad",
    ),
    "log-drains": ({"id": "d1", "addon": None, "url": "syslog+tls://logs.example.net:123"}, "url", None),
    "telemetry-drains": (
        {"id": "t1", "signals": ["logs"], "exporter": {"type": "otlphttp", "endpoint": "https://otel.example.net"}},
        "signals",
        "logs",
    ),
    "config-vars": (healthy_app("weareone")["/apps/weareone/config-vars"], "ERROR_PAGE_URL", ["https://e.example"]),
    "domains": (healthy_app("weareone")["/apps/weareone/domains"][1], "status", 200),
    "sni-endpoints": (
        {
            "id": "e1",
            "name": "sni-1",
            "ssl_cert": {"cert_domains": ["www.weareone.example"], "expires_at": "2027-06-01"},
        },
        "ssl_cert",
        [],
    ),
    "features": ({"id": "p1", "name": "preboot", "enabled": True}, "enabled", "on"),
    "stacks": (STACKS[1], "state", {"name": "public"}),
}
# Answers whose values are named by the peer (config var names): no key is required of them.
KEYED_BY_PEER = {"config-vars"}


def wrong_shapes(resource: str) -> dict[str, Any]:
    """Answers of ``resource`` (a key of SHAPES) in every other shape than Heroku documents, by name.

    An object resource gets a list, a list resource one of its items alone; then an item (or the
    object) without a key its checks read, with that key of another type, a string, and null.
    """
    good, key, wrong_value = SHAPES[resource]
    is_list = resource not in ("", "config-vars")
    missing = {name: value for name, value in good.items() if name != key}
    wrong_type = {**good, key: wrong_value}
    shapes: dict[str, Any] = {
        "an object for a list" if is_list else "a list for an object": good if is_list else [good],
        "a key missing": [missing] if is_list else missing,
        "a key of another type": [wrong_type] if is_list else wrong_type,
        "a string": "heroku-postgresql",
        "null": None,
    }
    if resource in KEYED_BY_PEER:
        del shapes["a key missing"]  # no config var is required: an app may have none
    return shapes


class FakeHeroku:
    def __init__(self, server: HTTPServer | LoopbackServer):
        self.server = server
        self.resources: dict[str, Any] = {"/stacks": STACKS}
        self.faults: dict[str, list[Fault]] = {}
        self.latency = 0.0
        self.page_size: int | None = None
        self.requests: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()
        if isinstance(server, LoopbackServer):
            server.serve(self.plan)
        else:
            server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def add_app(self, name: str, **changes: Any) -> None:
        """Add an app that passes everything; ``changes`` replace resources by their last path part."""
        resources = healthy_app(name)
        for key, value in changes.items():
            path = f"/apps/{name}" if key == "app" else f"/apps/{name}/{key.replace('_', '-')}"
            resources[path] = value
        self.resources.update(resources)

    def add_fir_app(self, name: str, *, space: str) -> None:
        """Add a Fir app in ``space`` (see fir_app)."""
        self.resources.update(fir_app(name, space=space))

    def answer(self, path: str, body: Any) -> None:
        """Answer ``path`` with ``body`` as JSON, with status 200, whatever its shape: null, a string, a
        list where Heroku documents an object (see wrong_shapes)."""
        self.resources[path] = body

    def fail(self, path: str, fault: Fault) -> None:
        self.faults.setdefault(path, []).append(fault)

    def count(self) -> Counter[str]:
        return Counter(path for path, _range in self.requests)

    def handle(self, request: Request) -> Response:
        delay, answer = self.plan(request)
        time.sleep(delay)
        return answer()

    def plan(self, request: Request) -> Plan:
        """How late the answer to ``request`` comes, and the answer: a request is counted, and meets
        its fault, when it arrives."""
        with self._lock:
            self.requests.append((request.path, request.headers.get("Range")))
            fault = self._next_fault(request.path)
        return self.latency + (fault.delay if fault else 0), partial(self._answer, request, fault)

    def _answer(self, request: Request, fault: Fault | None) -> Response:
        path = request.path
        headers = {"Request-Id": str(uuid.uuid4()), "RateLimit-Remaining": "4321"}
        if request.headers.get("Accept") != ACCEPT:
            return self._error(
                406, "not_acceptable", "Please specify a version along with Heroku's API MIME type.", headers
            )
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._error(401, "unauthorized", "Invalid credentials provided.", headers)
        if fault is not None and fault.status:
            headers.update(fault.headers)
            if isinstance(fault.body, str):
                return Response(fault.body, status=fault.status, headers=headers, content_type="text/html")
            return Response(
                json.dumps(fault.body or {}), status=fault.status, headers=headers, content_type="application/json"
            )
        if path not in self.resources:
            return self._error(404, "not_found", "Couldn't find that app.", headers)
        return self._page(self.resources[path], request.headers.get("Range"), headers)

    def _next_fault(self, path: str) -> Fault | None:
        return next_fault(self.faults, path)

    def _page(self, body: Any, range_header: str | None, headers: dict[str, str]) -> Response:
        if not isinstance(body, list) or self.page_size is None:
            return Response(json.dumps(body), status=200, headers=headers, content_type="application/json")
        start = 0
        match = re.match(r"\]([^.]+)\.\.", range_header or "")
        if match:
            start = next(index for index, item in enumerate(body) if item["id"] == match.group(1)) + 1
        page = body[start : start + self.page_size]
        status = 200
        if start + self.page_size < len(body):
            status = 206
            headers["Next-Range"] = f"]{page[-1]['id']}..; max={self.page_size}"
        return Response(json.dumps(page), status=status, headers=headers, content_type="application/json")

    @staticmethod
    def _error(status: int, error_id: str, message: str, headers: dict[str, str]) -> Response:
        body = json.dumps({"id": error_id, "message": message})
        return Response(body, status=status, headers=headers, content_type="application/json")


def next_fault(faults: dict[str, list[Fault]], path: str) -> Fault | None:
    """The fault the next request to ``path`` meets, counted as used; the fakes of several APIs share this."""
    queue = faults.get(path)
    if not queue:
        return None
    fault = queue[0]
    if fault.times is not None:
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
    return fault


def refused_url() -> str:
    """A loopback URL where nothing listens, so connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
