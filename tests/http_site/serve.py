"""Serve the test site on HOST:443 (TLS) and HOST:80 (plain HTTP), as a deployed site would be.

python -m tests.http_site.serve HOST CERT_FILE KEY_FILE  (serves until its stdin is closed)
"""

from __future__ import annotations

import os
import sys
import threading

import django
from django.core.wsgi import get_wsgi_application
from werkzeug.serving import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


class VersionlessHandler(QuietHandler):
    """What a well-configured server sends: no software version in the Server header."""

    server_version = "weareone"
    sys_version = ""


def main(host: str, cert: str, key: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.http_site.settings")
    django.setup()
    from tests.http_site import settings

    application = get_wsgi_application()
    handler = VersionlessHandler if settings.SECURE else QuietHandler
    servers = [
        make_server(host, 443, application, threaded=True, request_handler=handler, ssl_context=(cert, key)),
        make_server(host, 80, application, threaded=True, request_handler=handler),
    ]
    threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    # Until the test session closes its end of stdin, or dies: a server left behind would hold
    # ports 443 and 80 of its address against the next session.
    sys.stdin.read()


if __name__ == "__main__":
    main(*sys.argv[1:4])
