"""The settings of the status endpoint, the metrics and the badge, and what is wrong with them.

STATUS_TOKEN is a secret: no message here ever shows its value, nor its length.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

STATUS_TOKEN_MINIMUM_LENGTH = 32
# What a bearer token may hold (RFC 6750's b64token): a token with anything else could never be
# sent in an Authorization header, so it would lock every client out.
BEARER_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")

STATUS_DEFAULTS: Mapping[str, Any] = {
    # The bearer token that opens status.json, metrics and the private badge; None keeps them closed.
    "STATUS_TOKEN": None,
    # Serve badge.svg to anyone, without the token.
    "PUBLIC_BADGE": False,
}


def status_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(error id, explanation) for each problem of STATUS_TOKEN and PUBLIC_BADGE."""
    found = []
    token = raw.get("STATUS_TOKEN", STATUS_DEFAULTS["STATUS_TOKEN"])
    if token is not None and not isinstance(token, str):
        found.append(("deploycheck.E040", gettext("DEPLOYCHECK['STATUS_TOKEN'] must be a string or None.")))
    elif isinstance(token, str) and len(token) < STATUS_TOKEN_MINIMUM_LENGTH:
        explanation = gettext(
            "DEPLOYCHECK['STATUS_TOKEN'] is too short: use at least %(minimum)d characters, "
            "as secrets.token_urlsafe(32) gives."
        )
        found.append(("deploycheck.E041", explanation % {"minimum": STATUS_TOKEN_MINIMUM_LENGTH}))
    elif isinstance(token, str) and not BEARER_TOKEN.fullmatch(token):
        explanation = gettext(
            "DEPLOYCHECK['STATUS_TOKEN'] has characters an Authorization header cannot carry: "
            "use letters, digits and - . _ ~ + / only."
        )
        found.append(("deploycheck.E042", explanation))
    if not isinstance(raw.get("PUBLIC_BADGE", STATUS_DEFAULTS["PUBLIC_BADGE"]), bool):
        found.append(("deploycheck.E043", gettext("DEPLOYCHECK['PUBLIC_BADGE'] must be True or False.")))
    return found
