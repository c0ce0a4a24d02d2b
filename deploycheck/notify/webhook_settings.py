"""The WEBHOOKS and SITE_URL settings: their rules, and webhooks as records.

A webhook's URL is a secret (whoever has it can post to the channel), so no message here
ever shows it, nor anything else from a webhook's dict: a webhook is named by its index.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext

from deploycheck.core.input_rules import is_https_url, is_web_url
from deploycheck.core.sanitising import redact_url

FORMATS = ("slack", "json")
# "regression": a check that passed in the app's previous run fails; "failed": a run whose outcome
# is not passed; "run": every saved run.
EVENTS = ("regression", "failed", "run")
DEFAULT_FORMAT = "slack"
DEFAULT_EVENTS = ("regression", "failed")
KEYS = ("url", "format", "events")


@dataclass(frozen=True)
class Webhook:
    index: int
    url: str = field(repr=False)
    format: str
    events: frozenset[str]

    @property
    def name(self) -> str:
        """How messages and logs name the webhook: by its place in the setting, never by its URL."""
        return f"DEPLOYCHECK['WEBHOOKS'][{self.index}]"


def is_webhook_url(url: Any) -> bool:
    """https, or http to this machine only: a secret URL is not sent in clear over a network."""
    if is_https_url(url):
        return True
    if not is_web_url(url, {"http"}):
        return False
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_site_url(url: Any) -> bool:
    """An https origin: the admin's own path, script prefix included, is added by reverse()."""
    if not is_https_url(url):
        return False
    parts = urlsplit(url)
    return parts.path in ("", "/") and not (parts.query or parts.fragment or parts.username or parts.password)


def webhook_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(error id, explanation) for WEBHOOKS and SITE_URL; no explanation quotes a webhook's values."""
    found = []
    site_url = raw.get("SITE_URL")
    if site_url is not None and not is_site_url(site_url):
        explanation = gettext(
            "DEPLOYCHECK['SITE_URL'] is %(value)r; use the site's https:// address without a path, "
            "such as 'https://weareone.example', or None."
        )
        shown = redact_url(site_url) if isinstance(site_url, str) else site_url
        found.append(("deploycheck.E035", explanation % {"value": shown}))
    hooks = raw.get("WEBHOOKS", ())
    if isinstance(hooks, str | bytes | Mapping) or not _is_iterable(hooks):
        message = gettext("DEPLOYCHECK['WEBHOOKS'] must be a list of dicts, each with a 'url'.")
        return [("deploycheck.E030", message), *found]
    for index, hook in enumerate(hooks):
        found.extend(_hook_problems(f"DEPLOYCHECK['WEBHOOKS'][{index}]", hook))
    return found


def _hook_problems(name: str, hook: Any) -> list[tuple[str, str]]:
    if not isinstance(hook, Mapping):
        return [("deploycheck.E030", gettext("%(name)s must be a dict with a 'url'.") % {"name": name})]
    found = []
    if set(hook) - set(KEYS):
        # The unknown keys are not named: a URL pasted as a key would be shown.
        explanation = gettext("%(name)s has unknown keys; a webhook takes 'url', 'format' and 'events'.")
        found.append(("deploycheck.E031", explanation % {"name": name}))
    if not is_webhook_url(hook.get("url")):
        explanation = gettext(
            "%(name)s['url'] must be a well-formed https:// URL (http:// only to this machine); "
            "it is not shown, being a secret."
        )
        found.append(("deploycheck.E032", explanation % {"name": name}))
    if hook.get("format", DEFAULT_FORMAT) not in FORMATS:
        found.append(("deploycheck.E033", gettext("%(name)s['format'] must be 'slack' or 'json'.") % {"name": name}))
    events = hook.get("events", DEFAULT_EVENTS)
    if (
        isinstance(events, str)
        or not _is_iterable(events)
        or not events
        or not all(isinstance(event, str) and event in EVENTS for event in events)
    ):
        explanation = gettext("%(name)s['events'] must be a non-empty list among 'regression', 'failed' and 'run'.")
        found.append(("deploycheck.E034", explanation % {"name": name}))
    return found


def _is_iterable(value: Any) -> bool:
    try:
        iter(value)
    except TypeError:
        return False
    return True


def webhooks_of(hooks: Iterable[Mapping[str, Any]]) -> tuple[Webhook, ...]:
    """Valid settings (see webhook_problems) as records."""
    return tuple(
        Webhook(
            index=index,
            url=hook["url"],
            format=hook.get("format", DEFAULT_FORMAT),
            events=frozenset(hook.get("events", DEFAULT_EVENTS)),
        )
        for index, hook in enumerate(hooks)
    )
