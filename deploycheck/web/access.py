"""Who may read the status endpoint, the metrics and the badge: the token rules, in one place.

In order, whatever the history holds and before reading it (so an answer says nothing of it):
no STATUS_TOKEN (and, for the badge, not PUBLIC_BADGE) -> 404, as if the URL did not exist;
a method other than GET or HEAD -> 405; no ``Authorization: Bearer`` credentials -> 401 with
``WWW-Authenticate: Bearer``; another token -> 403. The token is compared in constant time,
its length included, and never written anywhere.
"""

from __future__ import annotations

import hashlib
import hmac

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import patch_vary_headers

from deploycheck import conf

ALLOWED_METHODS = ("GET", "HEAD")
REALM = 'Bearer realm="deploycheck"'


def refusal(request: HttpRequest, public: bool = False) -> HttpResponse | None:
    """The answer to a request that may not read, or None when it may. ``public``: no token needed."""
    settings = conf.get_settings()
    if settings.status_token is None and not public:
        raise Http404
    if request.method not in ALLOWED_METHODS:
        return private(HttpResponseNotAllowed(ALLOWED_METHODS))
    if public:
        return None
    scheme, _, given = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        refused = HttpResponse("Authentication required.\n", status=401, content_type="text/plain; charset=utf-8")
        refused["WWW-Authenticate"] = REALM
        return private(refused)
    if not same_token(given.strip(), settings.status_token or ""):
        refused = HttpResponse("Forbidden.\n", status=403, content_type="text/plain; charset=utf-8")
        return private(refused)
    return None


def same_token(given: str, expected: str) -> bool:
    """Compared as digests, so the time taken says nothing of the token, not even its length."""
    given_digest = hashlib.sha256(given.encode("utf-8", "surrogateescape")).digest()
    expected_digest = hashlib.sha256(expected.encode("utf-8")).digest()
    return hmac.compare_digest(given_digest, expected_digest) and bool(expected)


def private(response: HttpResponse) -> HttpResponse:
    """Never stored by a cache, and told apart by the credentials it was asked with."""
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ("Authorization",))
    return response
