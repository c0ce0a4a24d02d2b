"""status.json, metrics and badge.svg: each app's latest verdict, read from the stored runs.

None of them runs a check, starts a session or needs a CSRF token; access.refusal() decides who
may read them before anything is read. Wired by ``path("deploycheck/", include("deploycheck.urls"))``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from deploycheck import conf
from deploycheck.store.saving import database_error_text, history_alias, read_guard
from deploycheck.web.access import private, refusal
from deploycheck.web.badge import badge_of
from deploycheck.web.metrics import OPENMETRICS, PROMETHEUS_TEXT, exposition, wants_openmetrics
from deploycheck.web.status import all_passed, status_document, verdict_of, verdicts

logger = logging.getLogger("deploycheck")

# A public badge may be cached a little: a README shows it through an image proxy.
PUBLIC_BADGE_MAX_AGE = 60
# An SVG opened on its own is a document: nothing in it may run or load.
BADGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def status_view(
    public: Callable[[], bool] = lambda: False,
) -> Callable[[Callable[[HttpRequest], HttpResponse]], Callable[[HttpRequest], HttpResponse]]:
    """The three views' common frame: exempt from CSRF, so that a POST is told 405 rather than a
    CSRF failure (they only read); the access rules applied before anything is read (``public``:
    whether no token is needed); and 503 when the runs cannot be read (the database down, the
    tables missing), so that a monitor sees "not sound" and nobody a traceback. The driver's words
    go to the log, on one line."""

    def decorate(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def answer(request: HttpRequest) -> HttpResponse:
            refused = refusal(request, public=public())
            if refused is not None:
                return refused
            try:
                with read_guard(history_alias()):
                    return view(request)
            except DatabaseError as exc:
                logger.error("deploycheck could not read the run history: %s", database_error_text(exc))
                unavailable = HttpResponse(
                    "The run history cannot be read.\n", status=503, content_type="text/plain; charset=utf-8"
                )
                unavailable["Retry-After"] = "60"
                return private(unavailable)

        return answer

    return decorate


def public_badge() -> bool:
    return conf.get_settings().public_badge


@status_view()
def status_json(request: HttpRequest) -> HttpResponse:
    found = verdicts()
    body = json.dumps(status_document(found), indent=2) + "\n"
    status = 200 if all_passed(found) else 503
    return private(HttpResponse(body, status=status, content_type="application/json"))


@status_view()
def metrics(request: HttpRequest) -> HttpResponse:
    openmetrics = wants_openmetrics(request.headers.get("Accept", ""))
    body = exposition(verdicts(), timezone.now(), openmetrics)
    response = HttpResponse(body, content_type=OPENMETRICS if openmetrics else PROMETHEUS_TEXT)
    response["Vary"] = "Accept"
    return private(response)


@status_view(public=public_badge)
def badge_svg(request: HttpRequest) -> HttpResponse:
    # No app, or an empty one: this site's runs (those with no Heroku app).
    badge = badge_of(verdict_of(request.GET.get("app", "")))
    response = HttpResponse(badge.svg(), content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = BADGE_CSP
    if public_badge():
        response["Cache-Control"] = f"public, max-age={PUBLIC_BADGE_MAX_AGE}"
        return response
    return private(response)
