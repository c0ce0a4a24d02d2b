"""Rules for the values people give deploycheck: numbers in range, Heroku app names, web URLs.

Settings (deploycheck.conf), the command's options and the Python API's arguments are refused
by the same rules, with the same words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from django.utils.translation import gettext, gettext_noop

from deploycheck.core.deferred_text import Message


@dataclass(frozen=True)
class Range:
    """The values a numeric setting takes; bounded above, so that NaN, infinities and 10**400 are refused."""

    minimum: float
    maximum: float
    # Whether the minimum itself is allowed, and whether only whole numbers are.
    inclusive: bool = False
    integer: bool = False

    def allows(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int if self.integer else (int, float)):
            return False
        # A huge int compares fine with floats; NaN and infinities are refused before comparing.
        if isinstance(value, float) and not math.isfinite(value):
            return False
        return (self.minimum <= value if self.inclusive else self.minimum < value) and value <= self.maximum

    def explain(self, name: str, value: Any) -> str:
        values = {"name": name, "value": shown(value), "minimum": self.minimum, "maximum": self.maximum}
        if self.integer:
            sentence = gettext("%(name)s is %(value)r; use a whole number from %(minimum)s to %(maximum)s.")
        elif self.inclusive:
            sentence = gettext("%(name)s is %(value)r; use a number from %(minimum)s to %(maximum)s.")
        else:
            sentence = gettext("%(name)s is %(value)r; use a number above %(minimum)s and at most %(maximum)s.")
        return sentence % values


def shown(value: Any) -> Any:
    """The value as a message shows it: repr() of an int of thousands of digits raises ValueError."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return _Literal(f"{'-' if value < 0 else ''}10**{int(math.log10(abs(value)))}")
    return value


class _Literal(str):
    def __repr__(self) -> str:
        return str(self)


# Numeric settings. A budget or timeout of hours is a mistake, not a choice: a release phase would
# hang that long. 10 retries with the back-off capped at 10 s already span minutes.
TIME_BUDGET_RANGE = Range(0, 3600)
NUMBERS: Mapping[str, Range] = {
    "TIME_BUDGET": TIME_BUDGET_RANGE,
    "HEROKU_READ_TIMEOUT": Range(0, 300),
    "HEROKU_RETRIES": Range(0, 10, inclusive=True, integer=True),
    "HEROKU_BACKOFF": Range(0, 10, inclusive=True),
    "HTTP_TIMEOUT": Range(0, 300),
}
# A century: enough for any retention policy, and far from the dates datetime cannot hold.
RETENTION_DAYS_RANGE = Range(1, 36500, inclusive=True, integer=True)

# Heroku's own rule for an app name (the Platform API schema's app name pattern), and an app id.
APP_NAME = re.compile(r"[a-z][a-z0-9-]{1,28}[a-z0-9]")
APP_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def is_app_identity(value: Any) -> bool:
    """Whether ``value`` is a Heroku app name or id, so it can be put in an API path as it is."""
    return isinstance(value, str) and bool(APP_NAME.fullmatch(value) or APP_ID.fullmatch(value))


def app_rule() -> Message:
    """The rule, translated when read: it also explains a bad HEROKU_APP_NAME in a stored result."""
    return Message(
        gettext_noop(
            "a Heroku app name is 3 to 30 lowercase letters, digits and dashes, starting with a letter "
            "and not ending with a dash; an app id is a UUID"
        )
    )


def apps_problem(option: str, apps: Iterable[Any]) -> str | None:
    """Why the apps given to ``option`` (--app, or the Python API's ``apps``) cannot be used, or None."""
    bad = [app for app in apps if not is_app_identity(app)]
    if not bad:
        return None
    return gettext("%(option)s takes Heroku app names or ids, not %(apps)s (%(rule)s).") % {
        "option": option,
        "apps": ", ".join(map(repr, bad)),
        "rule": app_rule(),
    }


def time_budget_problem(value: Any) -> str | None:
    """Why a time budget given to the Python API cannot be used, or None."""
    return None if TIME_BUDGET_RANGE.allows(value) else TIME_BUDGET_RANGE.explain("time_budget", value)


def is_web_url(url: Any, schemes: Iterable[str]) -> bool:
    """Whether ``url`` is an absolute URL with one of ``schemes``, a host and a valid port; never raises."""
    if not isinstance(url, str) or not url.isprintable() or any(character.isspace() for character in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a port out of range
    except ValueError:  # an unclosed IPv6 bracket, a port that is not a number
        return False
    return parts.scheme in set(schemes) and bool(parts.hostname)


def is_https_url(url: Any) -> bool:
    return is_web_url(url, {"https"})


# An OSV advisory id as the databases write them: GHSA-xxxx-xxxx-xxxx, CVE-2024-12345, PYSEC-2024-1.
ADVISORY_ID = re.compile(r"[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")


def is_advisory_id(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and ADVISORY_ID.fullmatch(value) is not None
