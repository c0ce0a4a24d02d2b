"""The one JSON-over-HTTP client every family's API client is built on.

It holds each request to the run's deadline (the watchdog of deploycheck.core.deadline ends a
read that would outlive it), retries on 429, 5xx and lost connections only while a retry fits
in the time left (deploycheck.core.retry.BoundedRetry), reads at most ``max_body`` bytes, and
words whatever goes wrong as one safe line: a family's client says how that line becomes its own
exception (:meth:`JSONClient.failure`) and how it reads its API's error answers
(:meth:`JSONClient.error_answer`). Headers given to it (a token among them) live in the session
only: never in a ``repr``, an exception or anything it returns.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from deploycheck.core.connection_errors import content_type, request_failure
from deploycheck.core.deadline import DeadlineAdapter, Turns, Watchdog
from deploycheck.core.deferred_text import Message, Text
from deploycheck.core.deferred_text import later as _
from deploycheck.core.retry import BoundedRetry
from deploycheck.core.version import __version__

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CONNECT_TIMEOUT = 3.05


class RunSession(requests.Session):
    """requests' Session, preparing once what every request of a client shares.

    For each request, requests reads the environment (proxies and CA bundle, walking os.environ
    twice), looks for a .netrc, and merges the session's headers, cookies and hooks: more CPU than
    the rest of the request, spent while the run's other requests wait for the GIL. None of it
    changes during a run, so it is done once per method and origin, and each request starts from a
    copy. A request that could come out otherwise goes requests' own way: once an answer has set a
    cookie, or when a .netrc has credentials for the host.
    """

    def __init__(self) -> None:
        super().__init__()
        self._templates: dict[tuple[str, str], requests.PreparedRequest | None] = {}
        self._environment: dict[str, Mapping[str, Any]] = {}
        # The run's first requests all arrive at once: one prepares, the others wait for it.
        self._preparing = threading.Lock()

    def send_as_prepared(
        self, method: str, url: str, *, headers: Mapping[str, str] | None, body: Any, timeout: tuple[float, float]
    ) -> requests.Response:
        """What ``request(method, url, headers=headers, json=body, timeout=timeout, stream=True)`` answers."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        key = (method.upper(), origin)
        if key not in self._templates or origin not in self._environment:
            with self._preparing:
                self._prepare(key, url)
        template = self._templates[key]
        if template is None or len(self.cookies):
            return self.request(method, url, headers=headers, json=body, timeout=timeout, stream=True)
        prepared = template.copy()
        prepared.prepare_url(url, None)
        for name, value in (headers or {}).items():
            requests.utils.check_header_validity((name, value))
            prepared.headers[name] = value
        if body is not None:
            prepared.prepare_body({}, None, body)
        settings = self._environment[origin]
        return self.send(
            prepared,
            timeout=timeout,
            allow_redirects=True,
            stream=settings["stream"],
            verify=settings["verify"],
            cert=settings["cert"],
            proxies=dict(settings["proxies"]),
        )

    def _prepare(self, key: tuple[str, str], url: str) -> None:
        """Where each request of ``key``'s method to its origin starts from, None when a .netrc has
        a say; and the environment's settings for the origin, as requests reads them for ``url``."""
        method, origin = key
        if key not in self._templates:
            template = self.prepare_request(requests.Request(method, f"{origin}/", data={}))
            # A .netrc entry for the host replaces the Authorization header the session sends.
            netrc = template.headers.get("Authorization") != self.headers.get("Authorization")
            self._templates[key] = None if netrc else template
        if origin not in self._environment:
            self._environment[origin] = self.merge_environment_settings(url, {}, True, None, None)


class JSONClient:
    """Requests to one API's ``base_url``, each answered with its response and body, read whole."""

    max_body = 16 * 1024 * 1024

    def __init__(
        self,
        base_url: str,
        *,
        watchdog: Watchdog,
        deadline: float | None,
        headers: Mapping[str, str],
        retried_methods: frozenset[str],
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        pool_connections: int = 10,
        pool_size: int = 10,
    ):
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline
        self.watchdog = watchdog
        self.timeout = (connect_timeout, read_timeout)
        self.requests_made = 0
        retry = BoundedRetry(
            total=retries,
            backoff_factor=backoff,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=retried_methods,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.deadline, retry.watchdog = deadline, watchdog
        self.turns = Turns()
        self.session = RunSession()
        # The read timeout bounds the whole answer, not each read: a trickle does not stretch it.
        adapter = DeadlineAdapter(
            watchdog,
            connect_timeout + read_timeout,
            max_retries=retry,
            pool_connections=pool_connections,
            pool_maxsize=pool_size,
        )
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers.update({**headers, "User-Agent": f"deploycheck/{__version__}"})

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url}>"

    def close(self) -> None:
        self.session.close()

    def failure(self, method: str, path: str, detail: Text, response: requests.Response | None = None) -> Exception:
        """The family's exception for a request that gave no usable answer (``response``, if one came)."""
        raise NotImplementedError

    def error_answer(self, method: str, path: str, response: requests.Response, content: bytes) -> Exception:
        """The family's exception for an answer of status 400 or more, in the API's own words if it has them."""
        raise NotImplementedError

    def fetch(
        self, method: str, path: str, *, headers: Mapping[str, str] | None = None, body: Any = None
    ) -> tuple[requests.Response, bytes]:
        """The response and its body, read whole within the read timeout and the run's deadline."""
        timeout: tuple[float, float] = self.timeout
        # A run that is over, interrupted or not, makes no more requests.
        left = min(self.watchdog.deadline, math.inf if self.deadline is None else self.deadline) - time.monotonic()
        if left <= 0 or self.watchdog.closed.is_set():
            raise self.failure(method, path, _("the run's time budget was spent before this request"))
        if left < math.inf:
            timeout = (min(timeout[0], left), min(timeout[1], left))
        cut_at = self.watchdog.cut_time(sum(self.timeout))
        self.requests_made += 1
        try:
            with self.turns.turn(left):
                response = self.session.send_as_prepared(
                    method, self.base_url + path, headers=headers, body=body, timeout=timeout
                )
            with response:
                content = response.raw.read(self.max_body + 1, decode_content=True)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            late = self._late_reason if self.watchdog.was_cut(cut_at) else None
            raise self.failure(method, path, request_failure(exc, self.base_url, late)) from None
        # Headers cut short end like complete ones for http.client: only the time tells them apart.
        if self.watchdog.was_cut(cut_at):
            raise self.failure(method, path, self._late_reason())
        if len(content) > self.max_body:
            detail = _("an answer larger than %(size)d MB") % {"size": self.max_body // (1024 * 1024)}
            raise self.failure(method, path, detail, response)
        if response.status_code >= 400:
            raise self.error_answer(method, path, response, content)
        return response, content

    def decode(self, method: str, path: str, response: requests.Response, content: bytes) -> Any:
        try:
            return json.loads(content)
        except ValueError:
            detail = _("the answer is not JSON (%(type)s)") % {"type": content_type(response)}
            raise self.failure(method, path, detail, response) from None

    def _late_reason(self) -> Message:
        if self.watchdog.was_cut(self.watchdog.deadline):
            return _("no answer within the run's time budget")
        return _("no answer within the read timeout")


def json_message(content: bytes) -> tuple[str, dict[str, Any]] | None:
    """An error answer's ``message`` and its whole JSON object, when it is one with a message."""
    try:
        body = json.loads(content)
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"], body
    return None
