"""A small client for Heroku's Platform API v3: GET only, retried, paginated, within a deadline.

Errors become :class:`HerokuAPIError`, carrying what Heroku support asks for (the HTTP status,
Heroku's error id and the Request-Id). The token is held in the session's headers only: it is
never part of a ``repr``, an exception, a log line or anything this module returns.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import requests
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from deploycheck import __version__
from deploycheck.network import failure_reason

ACCEPT = "application/vnd.heroku+json; version=3"
# A list answers 206 with Next-Range while it has more; ask for the largest pages Heroku allows.
FIRST_RANGE = "id ..; max=1000"
MAX_PAGES = 50
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


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
    """A request that did not give a usable answer."""

    def __init__(
        self,
        path: str,
        reason: str,
        *,
        status: int | None = None,
        error_id: str | None = None,
        request_id: str | None = None,
    ):
        self.path = path
        self.reason = reason
        self.status = status
        self.error_id = error_id
        self.request_id = request_id
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [f"GET {self.path}:"]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.error_id:
            parts.append(f"({self.error_id})")
        parts.append(self.reason)
        text = " ".join(parts)
        if self.request_id:
            text += f" [Request-Id {self.request_id}]"
        return text


class BoundedRetry(Retry):
    """urllib3's Retry, never sleeping past the run's deadline nor longer than max_wait."""

    deadline: float | None = None
    max_wait: float = 10.0

    def new(self, **kwargs: Any) -> BoundedRetry:
        retry = super().new(**kwargs)
        retry.deadline, retry.max_wait = self.deadline, self.max_wait
        return retry

    def get_retry_after(self, response: Any) -> float | None:
        wait = super().get_retry_after(response)
        return None if wait is None else min(wait, self._time_left())

    def get_backoff_time(self) -> float:
        return min(super().get_backoff_time(), self._time_left())

    def _time_left(self) -> float:
        left = self.max_wait if self.deadline is None else self.deadline - time.monotonic()
        return max(0.0, min(self.max_wait, left))


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
    ):
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline
        self.timeout = (connect_timeout, read_timeout)
        self.requests_made = 0
        retry = BoundedRetry(
            total=retries,
            backoff_factor=backoff,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.deadline = deadline
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=pool_size)
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

    def get(self, path: str) -> Any:
        """The decoded JSON at ``path``; every page of it when it is a list."""
        response = self._request(path, FIRST_RANGE)
        body = self._decode(path, response)
        pages = 1
        while response.status_code == 206 and response.headers.get("Next-Range"):
            if pages >= MAX_PAGES:
                raise HerokuAPIError(path, _("more than %(pages)d pages") % {"pages": MAX_PAGES}, status=206)
            response = self._request(path, response.headers["Next-Range"])
            page = self._decode(path, response)
            if not isinstance(body, list) or not isinstance(page, list):
                raise HerokuAPIError(path, _("a paginated answer that is not a list"), status=response.status_code)
            body.extend(page)
            pages += 1
        return body

    def _request(self, path: str, range_header: str) -> requests.Response:
        timeout: tuple[float, float] = self.timeout
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise HerokuAPIError(path, _("the run's time budget was spent before this request"))
            timeout = (min(timeout[0], left), min(timeout[1], left))
        self.requests_made += 1
        try:
            response = self.session.get(self.base_url + path, headers={"Range": range_header}, timeout=timeout)
        except requests.exceptions.ConnectTimeout:
            raise HerokuAPIError(path, _("connection timed out")) from None
        except requests.exceptions.ReadTimeout:
            raise HerokuAPIError(path, _("no answer within the read timeout")) from None
        except requests.exceptions.RetryError as exc:
            raise HerokuAPIError(
                path, _("still failing after retries (%(last)s)") % {"last": _last_status(exc)}
            ) from None
        except requests.exceptions.ConnectionError as exc:
            # With retries on, requests reports a read timeout as a ConnectionError whose cause says so.
            if isinstance(getattr(exc.args[0] if exc.args else None, "reason", None), ReadTimeoutError):
                raise HerokuAPIError(path, _("no answer within the read timeout")) from None
            reason = _("cannot connect to %(url)s: %(error)s") % {"url": self.base_url, "error": failure_reason(exc)}
            raise HerokuAPIError(path, reason) from None
        except requests.exceptions.RequestException as exc:
            raise HerokuAPIError(path, type(exc).__name__) from None
        if response.status_code >= 400:
            raise _error_from(path, response)
        return response

    @staticmethod
    def _decode(path: str, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise HerokuAPIError(
                path,
                _("the answer is not JSON (%(type)s)") % {"type": _content_type(response)},
                status=response.status_code,
                request_id=response.headers.get("Request-Id"),
            ) from None


def _content_type(response: requests.Response) -> str:
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    return content_type or _("no content type")


def _last_status(exc: requests.exceptions.RetryError) -> str:
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return str(reason).split(" (Caused by")[0] if reason else _("too many retries")


def _error_from(path: str, response: requests.Response) -> HerokuAPIError:
    request_id = response.headers.get("Request-Id")
    try:
        body = response.json()
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
        _("an error page that is not Heroku's JSON (%(type)s)") % {"type": _content_type(response)},
        status=response.status_code,
        request_id=request_id,
    )
