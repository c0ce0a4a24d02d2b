"""A small client for the OSV API (https://google.github.io/osv.dev/api/): JSON in, JSON out, within a deadline.

Built on deploycheck.core.json_client, which holds each request to the run's deadline and retries it
while a retry fits; OSV's queries are reads, so a POST is retried like a GET. Whatever goes wrong
becomes an :class:`OSVError` whose reason is one safe line.
"""

from __future__ import annotations

from typing import Any

import requests

from deploycheck.core.connection_errors import content_type
from deploycheck.core.deadline import Watchdog
from deploycheck.core.deferred_text import Message, Text
from deploycheck.core.deferred_text import later as _
from deploycheck.core.json_client import JSONClient, json_message
from deploycheck.core.sanitising import one_line

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


class OSVClient(JSONClient):
    max_body = MAX_BODY

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
        super().__init__(
            base_url,
            watchdog=watchdog,
            deadline=deadline,
            headers={"Accept": "application/json"},
            # OSV's queries are reads: a POST is retried like a GET.
            retried_methods=frozenset({"GET", "POST"}),
            read_timeout=read_timeout,
            retries=retries,
            backoff=backoff,
            pool_size=pool_size,
        )

    def post(self, path: str, body: Any) -> Any:
        return self.decode("POST", path, *self.fetch("POST", path, body=body))

    def get(self, path: str) -> Any:
        return self.decode("GET", path, *self.fetch("GET", path))

    def failure(self, method: str, path: str, detail: Text, response: requests.Response | None = None) -> Exception:
        return OSVError(f"{method} {path}", detail, status=None if response is None else response.status_code)

    def error_answer(self, method: str, path: str, response: requests.Response, content: bytes) -> Exception:
        return OSVError(f"{method} {path}", _error_detail(response, content), status=response.status_code)


def _error_detail(response: requests.Response, content: bytes) -> Text:
    """OSV's own words for an error ({"code": 3, "message": "..."}), else what the answer holds."""
    found = json_message(content)
    if found is not None and found[0].strip():
        return one_line(found[0], 200)
    return _("an error answer that is not OSV's JSON (%(type)s)") % {"type": content_type(response)}
