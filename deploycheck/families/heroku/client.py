"""A small client for Heroku's Platform API v3: GET only, retried, paginated, within a deadline.

Errors become :class:`HerokuAPIError`, carrying what Heroku support asks for (the HTTP status,
Heroku's error id and the Request-Id). The token is held in the session's headers only: it is
never part of a ``repr``, an exception, a log line or anything this module returns.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any
from urllib.parse import quote

import requests
import urllib3

from deploycheck.core.connection_errors import content_type, request_failure
from deploycheck.core.deadline import DeadlineAdapter, Watchdog
from deploycheck.core.deferred_text import Message, Text
from deploycheck.core.deferred_text import later as _
from deploycheck.core.retry import BoundedRetry
from deploycheck.core.version import __version__

ACCEPT = "application/vnd.heroku+json; version=3"
# A list answers 206 with Next-Range while it has more; ask for the largest pages Heroku allows.
FIRST_RANGE = "id ..; max=1000"
MAX_PAGES = 50
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# The largest answer read: the biggest lists Heroku sends are far smaller.
MAX_BODY = 16 * 1024 * 1024


def api_path(template: str, **segments: str) -> str:
    """``template`` with each ``{name}`` replaced by its value quoted as one path segment.

    App names are validated before they get here; quoting is the second line of defence, so
    that no value can reach another resource ("../account") or add a query ("?x=").
    """
    quoted = {}
    for name, value in segments.items():
        # A dot segment survives quoting and is resolved away by the URL parser.
        if value in ("", ".", ".."):
            raise ValueError(f"{value!r} cannot be a path segment")
        quoted[name] = quote(value, safe="")
    return template.format(**quoted)


class HerokuAPIError(Exception):
    """A request that did not give a usable answer.

    ``detail`` says what went wrong, in Heroku's words or deploycheck's; :attr:`reason` is the
    whole error, untranslated until read, as findings quote it.
    """

    def __init__(
        self,
        path: str,
        detail: Text,
        *,
        status: int | None = None,
        error_id: str | None = None,
        request_id: str | None = None,
    ):
        self.path = path
        self.detail = detail
        self.status = status
        self.error_id = error_id
        self.request_id = request_id
        super().__init__(str(self))

    @property
    def reason(self) -> Message:
        """``GET <path>: HTTP <status> (<Heroku's error id>) <detail> [Request-Id <id>]``."""
        request = f"GET {self.path}:"
        if self.status is not None:
            request += f" HTTP {self.status}"
        if self.error_id:
            request += f" ({self.error_id})"
        request_id = f" [Request-Id {self.request_id}]" if self.request_id else ""
        # No words of its own, so not a msgid: it reads the same in every language, its detail translated.
        return Message("%(request)s %(detail)s%(request_id)s") % {
            "request": request,
            "detail": self.detail,
            "request_id": request_id,
        }

    def __str__(self) -> str:
        return str(self.reason)


class HerokuClient:
    def __init__(
        self,
        token: str,
        base_url: str = "https://api.heroku.com",
        *,
        connect_timeout: float = 3.05,
        read_timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        deadline: float | None = None,
        pool_size: int = 32,
        watchdog: Watchdog | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline
        self.timeout = (connect_timeout, read_timeout)
        # A run's watchdog ends its requests when the run ends; a client of its own closes its own.
        self._own_watchdog = watchdog is None
        self.watchdog = Watchdog(deadline, name="deploycheck-heroku-watchdog") if watchdog is None else watchdog
        self.requests_made = 0
        retry = BoundedRetry(
            total=retries,
            backoff_factor=backoff,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.deadline, retry.watchdog = deadline, self.watchdog
        self.session = requests.Session()
        # read_timeout bounds the whole answer, not each read: a trickle does not stretch it.
        adapter = DeadlineAdapter(
            self.watchdog, connect_timeout + read_timeout, max_retries=retry, pool_connections=4, pool_maxsize=pool_size
        )
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers.update(
            {
                "Accept": ACCEPT,
                "Authorization": f"Bearer {token}",
                "User-Agent": f"deploycheck/{__version__}",
            }
        )

    def __repr__(self) -> str:
        return f"<HerokuClient {self.base_url}>"

    def close(self) -> None:
        self.session.close()
        if self._own_watchdog:
            self.watchdog.close()

    def get(self, path: str) -> Any:
        """The decoded JSON at ``path``; every page of it when it is a list."""
        response, content = self._request(path, FIRST_RANGE)
        body = self._decode(path, response, content)
        pages = 1
        while response.status_code == 206 and response.headers.get("Next-Range"):
            if pages >= MAX_PAGES:
                raise HerokuAPIError(path, _("more than %(pages)d pages") % {"pages": MAX_PAGES}, status=206)
            response, content = self._request(path, response.headers["Next-Range"])
            page = self._decode(path, response, content)
            if not isinstance(body, list) or not isinstance(page, list):
                raise HerokuAPIError(path, _("a paginated answer that is not a list"), status=response.status_code)
            body.extend(page)
            pages += 1
        return body

    def _request(self, path: str, range_header: str) -> tuple[requests.Response, bytes]:
        """The response and its body, read whole within the read timeout and the run's deadline."""
        timeout: tuple[float, float] = self.timeout
        # A run that is over, interrupted or not, makes no more requests.
        left = min(self.watchdog.deadline, math.inf if self.deadline is None else self.deadline) - time.monotonic()
        if left <= 0 or self.watchdog.closed.is_set():
            raise HerokuAPIError(path, _("the run's time budget was spent before this request"))
        if left < math.inf:
            timeout = (min(timeout[0], left), min(timeout[1], left))
        cut_at = self.watchdog.cut_time(sum(self.timeout))
        self.requests_made += 1
        try:
            response = self.session.get(
                self.base_url + path, headers={"Range": range_header}, timeout=timeout, stream=True
            )
            with response:
                content = response.raw.read(MAX_BODY + 1, decode_content=True)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            late = self._late_reason if self.watchdog.was_cut(cut_at) else None
            raise HerokuAPIError(path, request_failure(exc, self.base_url, late)) from None
        # Headers cut short end like complete ones for http.client: only the time tells them apart.
        if self.watchdog.was_cut(cut_at):
            raise HerokuAPIError(path, self._late_reason())
        if len(content) > MAX_BODY:
            raise HerokuAPIError(
                path,
                _("an answer larger than %(size)d MB") % {"size": MAX_BODY // (1024 * 1024)},
                status=response.status_code,
                request_id=response.headers.get("Request-Id"),
            )
        if response.status_code >= 400:
            raise _error_from(path, response, content)
        return response, content

    def _late_reason(self) -> Message:
        if self.watchdog.was_cut(self.watchdog.deadline):
            return _("no answer within the run's time budget")
        return _("no answer within the read timeout")

    @staticmethod
    def _decode(path: str, response: requests.Response, content: bytes) -> Any:
        try:
            return json.loads(content)
        except ValueError:
            raise HerokuAPIError(
                path,
                _("the answer is not JSON (%(type)s)") % {"type": content_type(response)},
                status=response.status_code,
                request_id=response.headers.get("Request-Id"),
            ) from None


def _error_from(path: str, response: requests.Response, content: bytes) -> HerokuAPIError:
    request_id = response.headers.get("Request-Id")
    try:
        body = json.loads(content)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return HerokuAPIError(
            path,
            " ".join(body["message"].split())[:300],
            status=response.status_code,
            error_id=body.get("id") if isinstance(body.get("id"), str) else None,
            request_id=request_id,
        )
    return HerokuAPIError(
        path,
        _("an error page that is not Heroku's JSON (%(type)s)") % {"type": content_type(response)},
        status=response.status_code,
        request_id=request_id,
    )
