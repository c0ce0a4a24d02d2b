"""A fake OSV API, served over real HTTP on loopback by pytest-httpserver.

It speaks what deploycheck relies on: POST /v1/querybatch (at most 1000 queries, answers in the
order asked, ids and modified dates only, a ``next_page_token`` when a package has more than
``page_size`` advisories, continued by a query with ``page_token``), GET /v1/vulns/<id> (the
record, or OSV's JSON 404), and OSV's JSON errors. It matches versions as OSV does, against the
ECOSYSTEM ranges of each record, and can add latency or inject faults per path, or answer any JSON
at all at a path, in shapes OSV does not document.
"""

from __future__ import annotations

import json
import re
import threading
import time
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import Version
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.heroku_fake import Fault, next_fault

BATCH_LIMIT = 1000


def record(
    advisory_id: str,
    package: str,
    *,
    fixed: str | None = "999.0",
    introduced: str = "0",
    aliases: tuple[str, ...] = (),
    severity: str | None = None,
    cvss: str | None = None,
    withdrawn: bool = False,
) -> dict[str, Any]:
    """An OSV record of ``package`` affecting [introduced, fixed), as GitHub or PyPA publish them."""
    events: list[dict[str, str]] = [{"introduced": introduced}]
    if fixed is not None:
        events.append({"fixed": fixed})
    body: dict[str, Any] = {
        "id": advisory_id,
        "modified": "2025-01-01T00:00:00Z",
        "aliases": list(aliases),
        "summary": f"A vulnerability in {package}",
        "affected": [
            {"package": {"ecosystem": "PyPI", "name": package}, "ranges": [{"type": "ECOSYSTEM", "events": events}]}
        ],
    }
    if severity is not None:
        body["database_specific"] = {"severity": severity}
    if cvss is not None:
        body["severity"] = [{"type": "CVSS_V3", "score": cvss}]
    if withdrawn:
        body["withdrawn"] = "2025-02-01T00:00:00Z"
    return body


def _affects(body: dict[str, Any], name: str, version: str) -> bool:
    for affected in body.get("affected", []):
        if canonicalize_name(affected["package"]["name"]) != name:
            continue
        for ecosystem_range in affected.get("ranges", []):
            introduced, fixed = Version("0"), None
            for event in ecosystem_range["events"]:
                introduced = Version(event.get("introduced", str(introduced)))
                fixed = Version(event["fixed"]) if "fixed" in event else fixed
            if introduced <= Version(version) and (fixed is None or Version(version) < fixed):
                return True
    return False


class FakeOSV:
    def __init__(self, server: HTTPServer):
        self.server = server
        self.records: dict[str, dict[str, Any]] = {}
        # Answers given as they are, whatever their shape, by path.
        self.answers: dict[str, Any] = {}
        self.faults: dict[str, list[Fault]] = {}
        self.latency = 0.0
        self.page_size = 1000
        self.requests: list[tuple[str, str, Any]] = []
        self._lock = threading.Lock()
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def add(self, *bodies: dict[str, Any]) -> None:
        for body in bodies:
            self.records[body["id"]] = body

    def fail(self, path: str, fault: Fault) -> None:
        self.faults.setdefault(path, []).append(fault)

    def answer(self, path: str, body: Any) -> None:
        """Answer ``path`` with ``body`` as JSON, with status 200, whatever its shape; the batch still
        matches versions against the records added."""
        self.answers[path] = body

    def batches(self) -> list[Any]:
        return [body for method, path, body in self.requests if path == "/v1/querybatch"]

    def handle(self, request: Request) -> Response:
        body = request.get_json(silent=True) if request.method == "POST" else None
        with self._lock:
            self.requests.append((request.method, request.path, body))
            fault = next_fault(self.faults, request.path)
        time.sleep(self.latency + (fault.delay if fault else 0))
        if fault is not None and fault.status:
            # A fault's body: a dict is sent as JSON, text as an HTML page, bytes as they are.
            if isinstance(fault.body, bytes):
                return Response(fault.body, status=fault.status, content_type="application/json")
            if isinstance(fault.body, str):
                return Response(fault.body, status=fault.status, content_type="text/html")
            return self._json(fault.body or {}, fault.status)
        if request.path in self.answers:
            return self._json(self.answers[request.path])
        if request.method == "POST" and request.path == "/v1/querybatch":
            return self._batch(body)
        match = re.fullmatch(r"/v1/vulns/([^/]+)", request.path)
        if request.method == "GET" and match and match.group(1) in self.records:
            return self._json(self.records[match.group(1)])
        return self._json({"code": 5, "message": "Bug not found."}, 404)

    def _batch(self, body: Any) -> Response:
        queries = body.get("queries") if isinstance(body, dict) else None
        if not isinstance(queries, list):
            return self._json({"code": 3, "message": "Invalid query."}, 400)
        if len(queries) > BATCH_LIMIT:
            return self._json({"code": 3, "message": "Too many queries."}, 400)
        return self._json({"results": [self._result(query) for query in queries]})

    def _result(self, query: dict[str, Any]) -> dict[str, Any]:
        name = canonicalize_name(query["package"]["name"])
        assert query["package"]["ecosystem"] == "PyPI"
        found = [
            {"id": advisory_id, "modified": body["modified"]}
            for advisory_id, body in sorted(self.records.items())
            if _affects(body, name, query["version"])
        ]
        start = int(query.get("page_token", "0:0").split(":")[1])
        result: dict[str, Any] = {"vulns": found[start : start + self.page_size]} if found else {}
        if start + self.page_size < len(found):
            result["next_page_token"] = f"{name}:{start + self.page_size}"
        return result

    @staticmethod
    def _json(body: Any, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")
