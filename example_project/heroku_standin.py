"""A stand-in of the Heroku Platform API for `make demo-admin`: two apps' answers, on loopback only.

It answers what deploycheck's ``heroku`` family reads (GET /stacks, /apps/{app} and its formation,
add-ons, log drains, telemetry drains, config vars, domains, SNI endpoints and features) as Heroku's
v3 API does: JSON, the v3 Accept header required, a Bearer token, errors as ``{"id", "message"}``
with a Request-Id. Lists come whole, never paginated: they are a few items long.

``weareone-staging`` passes every check; ``weareone-production`` has the problems a team meets: an
end-of-life stack, Basic and Eco dynos, one web dyno, an Essential database without a standby and
no log drain. :func:`release_v121` then changes production as a deploy would. Not part of the
deploycheck package, and not the test suite's fake (tests/heroku_fake.py, which injects faults).
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Not a real token: the stand-in accepts this one only, so a real one is never needed or sent.
TOKEN = "HRKU-demo-stand-in-not-a-real-token"
ACCEPT = "application/vnd.heroku+json; version=3"
PRODUCTION = "weareone-production"
STAGING = "weareone-staging"

STACKS = [
    {"id": "stack-22", "name": "heroku-22", "state": "deprecated", "default": False},
    {"id": "stack-24", "name": "heroku-24", "state": "public", "default": True},
    {"id": "stack-26", "name": "heroku-26", "state": "public", "default": False},
]

# Values are invented: deploycheck keeps config var names only, and drain URLs as host names.
PAGES = {
    "ERROR_PAGE_URL": "https://pages.weareone.example/error.html",
    "MAINTENANCE_PAGE_URL": "https://pages.weareone.example/maintenance.html",
}


def _app(name: str, stack: str, *, acm: bool) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{name}.herokuapp.com")),
        "name": name,
        "stack": {"id": f"stack-{stack}", "name": stack},
        "build_stack": {"id": f"stack-{stack}", "name": stack},
        "generation": {"id": "gen-cedar", "name": "cedar"},
        "acm": acm,
        "maintenance": False,
        "region": {"name": "eu"},
        "space": None,
        "web_url": f"https://{name}.herokuapp.com/",
    }


def _addon(service: str, plan: str) -> dict[str, Any]:
    return {"id": f"addon-{plan}", "addon_service": {"name": service}, "plan": {"name": plan}, "state": "provisioned"}


def _domain(hostname: str, *, acm_status: str | None = None) -> dict[str, Any]:
    if hostname.endswith(".herokuapp.com"):
        return {"id": f"domain-{hostname}", "hostname": hostname, "kind": "heroku", "cname": None, "status": "none"}
    return {
        "id": f"domain-{hostname}",
        "hostname": hostname,
        "kind": "custom",
        "cname": f"{hostname.split('.')[0]}-demo.herokudns.com",
        "status": "succeeded",
        "acm_status": acm_status,
        "sni_endpoint": None,
    }


def _papertrail(name: str) -> list[dict[str, Any]]:
    return [{"id": f"drain-{name}", "addon": {"name": f"papertrail-{name}"}, "url": "syslog+tls://logs.example.net:1"}]


def _resources(name: str, **by_kind: Any) -> dict[str, Any]:
    """The answers for one app, by path: ``by_kind`` maps "formation", "config_vars"... to answers."""
    paths = {f"/apps/{name}": by_kind.pop("app")}
    paths.update({f"/apps/{name}/{kind.replace('_', '-')}": answer for kind, answer in by_kind.items()})
    return paths


def staging() -> dict[str, Any]:
    """weareone-staging: Standard dynos, two web, Premium Postgres, logs and monitoring, a certified domain."""
    return _resources(
        STAGING,
        app=_app(STAGING, "heroku-24", acm=True),
        formation=[
            {"id": "web", "type": "web", "quantity": 2, "dyno_size": {"name": "Standard-1X"}},
            {"id": "worker", "type": "worker", "quantity": 1, "dyno_size": {"name": "Standard-1X"}},
        ],
        addons=[
            _addon("heroku-postgresql", "heroku-postgresql:premium-0"),
            _addon("papertrail", "papertrail:choklad"),
            _addon("newrelic", "newrelic:wayne"),
        ],
        log_drains=_papertrail(STAGING),
        telemetry_drains=[],
        config_vars={"DATABASE_URL": "postgres://demo@db.example.net/staging", "SECRET_KEY": "demo", **PAGES},
        domains=[_domain(f"{STAGING}.herokuapp.com"), _domain("staging.weareone.example", acm_status="cert issued")],
        sni_endpoints=[],
        features=[{"id": "preboot", "name": "preboot", "enabled": True}],
    )


def production() -> dict[str, Any]:
    """weareone-production as release v120 left it: what fails is what the module docstring lists."""
    return _resources(
        PRODUCTION,
        app=_app(PRODUCTION, "heroku-20", acm=False),
        formation=[
            {"id": "web", "type": "web", "quantity": 1, "dyno_size": {"name": "Basic"}},
            {"id": "worker", "type": "worker", "quantity": 1, "dyno_size": {"name": "Eco"}},
        ],
        addons=[_addon("heroku-postgresql", "heroku-postgresql:essential-0")],
        log_drains=[],
        telemetry_drains=[],
        config_vars={"DATABASE_URL": "postgres://demo@db.example.net/production", "SENTRY_DSN": "demo", **PAGES},
        domains=[_domain(f"{PRODUCTION}.herokuapp.com")],
        sni_endpoints=[],
        features=[{"id": "preboot", "name": "preboot", "enabled": False}],
    )


def release_v121() -> dict[str, Any]:
    """What release v121 changed on production: Papertrail added (a fix), and www.weareone.example
    added with ACM on, whose certificate Heroku failed to issue (a regression)."""
    return _resources(
        PRODUCTION,
        app=_app(PRODUCTION, "heroku-20", acm=True),
        addons=[
            _addon("heroku-postgresql", "heroku-postgresql:essential-0"),
            _addon("papertrail", "papertrail:choklad"),
        ],
        log_drains=_papertrail(PRODUCTION),
        domains=[_domain(f"{PRODUCTION}.herokuapp.com"), _domain("www.weareone.example", acm_status="failing")],
    )


class StandIn:
    """The stand-in, served on 127.0.0.1 on a free port from a daemon thread."""

    def __init__(self) -> None:
        self.resources: dict[str, Any] = {"/stacks": STACKS, **production(), **staging()}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, name="heroku-stand-in", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> StandIn:
        self._thread.start()
        return self

    def change(self, resources: dict[str, Any]) -> None:
        # Each answer is replaced whole, between runs: a request sees the old answer or the new.
        self.resources.update(resources)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, accept: str | None, authorization: str | None) -> tuple[int, Any]:
        """The status and JSON body Heroku would give to a GET of ``path`` with these headers."""
        if accept != ACCEPT:
            return 406, {
                "id": "not_acceptable",
                "message": "Please specify a version along with Heroku's API MIME type.",
            }
        if authorization != f"Bearer {TOKEN}":
            return 401, {"id": "unauthorized", "message": "Invalid credentials provided."}
        if path not in self.resources:
            return 404, {"id": "not_found", "message": "Couldn't find that app."}
        return 200, self.resources[path]


def _handler(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            status, body = standin.answer(path, self.headers.get("Accept"), self.headers.get("Authorization"))
            content = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Request-Id", str(uuid.uuid4()))
            self.send_header("RateLimit-Remaining", "4500")
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: Any) -> None:
            # runserver's log follows in the same terminal: the stand-in keeps quiet.
            pass

    return Handler
