"""A small client for Heroku's Platform API v3: GET only, paginated, on deploycheck.core.json_client.

Errors become :class:`HerokuAPIError`, carrying what Heroku support asks for (the HTTP status,
Heroku's error id and the Request-Id). The token is held in the session's headers only: it is
never part of a ``repr``, an exception, a log line or anything this module returns.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from deploycheck.core.connection_errors import content_type
from deploycheck.core.deadline import Watchdog
from deploycheck.core.deferred_text import Message, Text
from deploycheck.core.deferred_text import later as _
from deploycheck.core.json_client import CONNECT_TIMEOUT, JSONClient, json_message

ACCEPT = "application/vnd.heroku+json; version=3"
# A list answers 206 with Next-Range while it has more; ask for the largest pages Heroku allows.
FIRST_RANGE = "id ..; max=1000"
MAX_PAGES = 50
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


class HerokuClient(JSONClient):
    max_body = MAX_BODY

    def __init__(
        self,
        token: str,
        base_url: str = "https://api.heroku.com",
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        deadline: float | None = None,
        pool_size: int = 32,
        watchdog: Watchdog | None = None,
    ):
        # A run's watchdog ends its requests when the run ends; a client of its own closes its own.
        self._own_watchdog = watchdog is None
        super().__init__(
            base_url,
            watchdog=Watchdog(deadline, name="deploycheck-heroku-watchdog") if watchdog is None else watchdog,
            deadline=deadline,
            headers={"Accept": ACCEPT, "Authorization": f"Bearer {token}"},
            retried_methods=frozenset({"GET"}),
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries=retries,
            backoff=backoff,
            pool_connections=4,
            pool_size=pool_size,
        )

    def close(self) -> None:
        super().close()
        if self._own_watchdog:
            self.watchdog.close()

    def get(self, path: str) -> Any:
        """The decoded JSON at ``path``; every page of it when it is a list."""
        response, content = self.fetch("GET", path, headers={"Range": FIRST_RANGE})
        body = self.decode("GET", path, response, content)
        pages = 1
        while response.status_code == 206 and response.headers.get("Next-Range"):
            if pages >= MAX_PAGES:
                raise HerokuAPIError(path, _("more than %(pages)d pages") % {"pages": MAX_PAGES}, status=206)
            response, content = self.fetch("GET", path, headers={"Range": response.headers["Next-Range"]})
            page = self.decode("GET", path, response, content)
            if not isinstance(body, list) or not isinstance(page, list):
                raise HerokuAPIError(path, _("a paginated answer that is not a list"), status=response.status_code)
            body.extend(page)
            pages += 1
        return body

    def failure(self, method: str, path: str, detail: Text, response: requests.Response | None = None) -> Exception:
        if response is None:
            return HerokuAPIError(path, detail)
        return HerokuAPIError(path, detail, status=response.status_code, request_id=response.headers.get("Request-Id"))

    def error_answer(self, method: str, path: str, response: requests.Response, content: bytes) -> Exception:
        request_id = response.headers.get("Request-Id")
        found = json_message(content)
        if found is not None:
            message, body = found
            return HerokuAPIError(
                path,
                " ".join(message.split())[:300],
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
