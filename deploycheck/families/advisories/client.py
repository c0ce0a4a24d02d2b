"""A small client for the OSV API (https://google.github.io/osv.dev/api/): JSON in, JSON out, within a deadline.

Every request is held to the run's deadline by its watchdog (deploycheck.core.deadline) and retried
on 429, 5xx and lost connections only while a retry fits in the time left
(deploycheck.core.retry.BoundedRetry). OSV's queries are reads, so a POST is retried like a GET.
Whatever goes wrong becomes an :class:`OSVError` whose reason is one safe line.
"""

from __future__ import annotations

import json
import time
from typing import Any

import requests
import urllib3

from deploycheck.core.connection_errors import content_type, request_failure
from deploycheck.core.deadline import DeadlineAdapter, Watchdog
from deploycheck.core.deferred_text import Message, Text
from deploycheck.core.deferred_text import later as _
from deploycheck.core.retry import BoundedRetry
from deploycheck.core.sanitising import one_line
from deploycheck.core.version import __version__

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# The largest answer read: a batch of a thousand packages' ids, or one record, is far smaller.
MAX_BODY = 8 * 1024 * 1024


class OSVError(Exception):
    """A request to the OSV API that gave no usable answer; :attr:`reason` says which and why."""

    def __init__(self, request: str, detail: Text, *, status: int | None = None):
        self.request = request
        self.detail = detail
        self.status = status
        super().__init__(str(self))

    @property
    def reason(self) -> Message:
        """``POST /v1/querybatch: HTTP <status> <detail>``, translated when read."""
        request = f"{self.request}:" + (f" HTTP {self.status}" if self.status is not None else "")
        # No words of its own, so not a msgid: its detail is translated.
        return Message("%(request)s %(detail)s") % {"request": request, "detail": self.detail}

    def __str__(self) -> str:
        return str(self.reason)


class OSVClient:
    def __init__(
        self,
        base_url: str,
        *,
        deadline: float,
        watchdog: Watchdog,
        read_timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.25,
        pool_size: int = 8,
    ):
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline
        self.watchdog = watchdog
        self.timeout = (3.05, read_timeout)
        self.requests_made = 0
        retry = BoundedRetry(
            total=retries,
            backoff_factor=backoff,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "POST"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.deadline, retry.watchdog = deadline, watchdog
        self.session = requests.Session()
        adapter = DeadlineAdapter(watchdog, sum(self.timeout), max_retries=retry, pool_maxsize=pool_size)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers.update({"Accept": "application/json", "User-Agent": f"deploycheck/{__version__}"})

    def __repr__(self) -> str:
        return f"<OSVClient {self.base_url}>"

    def close(self) -> None:
        self.session.close()

    def post(self, path: str, body: Any) -> Any:
        return self._json("POST", path, body)

    def get(self, path: str) -> Any:
        return self._json("GET", path, None)

    def _json(self, method: str, path: str, body: Any) -> Any:
        """The decoded JSON answer, read whole within the read timeout and the run's deadline."""
        request = f"{method} {path}"
        left = min(self.deadline, self.watchdog.deadline) - time.monotonic()
        if left <= 0 or self.watchdog.closed.is_set():
            raise OSVError(request, _("the run's time budget was spent before this request"))
        timeout = (min(self.timeout[0], left), min(self.timeout[1], left))
        cut_at = self.watchdog.cut_time(sum(self.timeout))
        self.requests_made += 1
        try:
            response = self.session.request(method, self.base_url + path, json=body, timeout=timeout, stream=True)
            with response:
                content = response.raw.read(MAX_BODY + 1, decode_content=True)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            late = self._late_reason if self.watchdog.was_cut(cut_at) else None
            raise OSVError(request, request_failure(exc, self.base_url, late)) from None
        if self.watchdog.was_cut(cut_at):
            raise OSVError(request, self._late_reason())
        status = response.status_code
        if len(content) > MAX_BODY:
            detail = _("an answer larger than %(size)d MB") % {"size": MAX_BODY // (1024 * 1024)}
            raise OSVError(request, detail, status=status)
        if status >= 400:
            raise OSVError(request, _error_detail(response, content), status=status)
        try:
            return json.loads(content)
        except ValueError:
            detail = _("the answer is not JSON (%(type)s)") % {"type": content_type(response)}
            raise OSVError(request, detail, status=status) from None

    def _late_reason(self) -> Message:
        if self.watchdog.was_cut(self.watchdog.deadline):
            return _("no answer within the run's time budget")
        return _("no answer within the read timeout")


def _error_detail(response: requests.Response, content: bytes) -> Text:
    """OSV's own words for an error ({"code": 3, "message": "..."}), else what the answer holds."""
    try:
        body = json.loads(content)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str) and body["message"].strip():
        return one_line(body["message"], 200)
    return _("an error answer that is not OSV's JSON (%(type)s)") % {"type": content_type(response)}
