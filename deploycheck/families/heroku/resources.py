"""The Heroku resources the checks read: where each is, the shape its answer must have, and the
few fields kept of it.

An answer is held to its shape before it is reduced (deploycheck.families.heroku.gather): one of
another shape makes the checks that read it not evaluated, never failed. Answers are reduced on
arrival: config var values and drain URLs, which hold secrets, are dropped here and never reach a
check, a result or a log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from deploycheck.core.deferred_text import Message
from deploycheck.core.deferred_text import later as _
from deploycheck.core.shapes import (
    BOOLEAN,
    INTEGER,
    NULL,
    STRING,
    Shape,
    either,
    items,
    nullable,
    optional,
    record,
    values,
)
from deploycheck.families.heroku.reference import ERROR_PAGE_VARS


@dataclass(frozen=True)
class ConfigVars:
    """Config var names, and which error-page variables hold an HTTPS URL. No values."""

    names: frozenset[str]
    https_pages: frozenset[str]


def _lower(value: Any) -> str:
    return value.lower() if isinstance(value, str) else ""


def _name(value: Any) -> str:
    return _lower(value.get("name")) if isinstance(value, dict) else ""


def _host(url: Any) -> str:
    # Drain URLs may carry credentials or tokens: keep the host alone.
    if not isinstance(url, str):
        return ""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # Heroku passes on whatever was configured, an unclosed "[" included
        return ""


def _items(body: Any) -> list[dict[str, Any]]:
    return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []


def _generation(value: Any) -> str:
    """The app's generation, ``fir`` or ``cedar``, read as Heroku's CLI reads it (lib/apps/generation.ts).

    The schema gives an object with a ``name``; some answers give the name itself. Whatever does
    not say Fir is Cedar, the generation of every app created before Fir.
    """
    name = _lower(value) or _name(value)
    return "fir" if "fir" in name else "cedar"


def _space(value: Any) -> str | None:
    """The Private Space the app runs in, by name (or id), as GET /spaces/{space} takes it; None outside one."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("id")
    return value.lower() if isinstance(value, str) and value else None


def _app(body: Any) -> dict[str, Any]:
    body = body if isinstance(body, dict) else {}
    return {
        "name": body.get("name"),
        "stack": _name(body.get("stack")),
        "build_stack": _name(body.get("build_stack")),
        "generation": _generation(body.get("generation")),
        "acm": bool(body.get("acm")),
        "maintenance": bool(body.get("maintenance")),
        "space": _space(body.get("space")),
    }


def _formation(body: Any) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "type": _lower(item.get("type")),
            "quantity": item.get("quantity") if isinstance(item.get("quantity"), int) else 0,
            "size": _name(item.get("dyno_size")) or _lower(item.get("size")),
        }
        for item in _items(body)
    )


def _addons(body: Any) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            # The add-on's own name: what a finding about one database is about, whatever its plan.
            "name": _name(item),
            "service": _name(item.get("addon_service")),
            "plan": _name(item.get("plan")),
            "state": _lower(item.get("state")),
        }
        for item in _items(body)
    )


def _log_drains(body: Any) -> tuple[dict[str, Any], ...]:
    return tuple({"addon": _name(item.get("addon")) or None, "host": _host(item.get("url"))} for item in _items(body))


def _telemetry_drains(body: Any) -> tuple[dict[str, Any], ...]:
    # The exporter's headers usually hold an API key: only the signals and the host are kept.
    return tuple(
        {
            "signals": tuple(_lower(signal) for signal in item.get("signals") or ()),
            "host": _host((item.get("exporter") or {}).get("endpoint")),
        }
        for item in _items(body)
    )


def _config_vars(body: Any) -> ConfigVars:
    body = body if isinstance(body, dict) else {}
    https = frozenset(
        name
        for name in ERROR_PAGE_VARS
        if isinstance(body.get(name), str) and body[name].lower().startswith("https://")
    )
    return ConfigVars(names=frozenset(body), https_pages=https)


def _domains(body: Any) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "hostname": _lower(item.get("hostname")),
            "kind": _lower(item.get("kind")),
            "cname": _lower(item.get("cname")),
            "status": _lower(item.get("status")),
            "acm_status": _lower(item.get("acm_status")) or None,
            "sni_endpoint": _name(item.get("sni_endpoint")) or None,
        }
        for item in _items(body)
    )


def _sni_endpoints(body: Any) -> tuple[dict[str, Any], ...]:
    endpoints = []
    for item in _items(body):
        cert: dict[str, Any] = item["ssl_cert"] if isinstance(item.get("ssl_cert"), dict) else {}
        endpoints.append(
            {
                "name": _lower(item.get("name")),
                "domains": tuple(_lower(domain) for domain in cert.get("cert_domains") or ()),
                "expires_at": cert.get("expires_at"),
            }
        )
    return tuple(endpoints)


def _features(body: Any) -> dict[str, bool]:
    return {_lower(item.get("name")): bool(item.get("enabled")) for item in _items(body)}


def _stacks(body: Any) -> dict[str, str]:
    return {_lower(item.get("name")): _lower(item.get("state")) for item in _items(body)}


@dataclass(frozen=True)
class Resource:
    path: str
    # What the answer must hold for the checks to read it (deploycheck.core.shapes).
    shape: Shape
    reduce: Callable[[Any], Any]
    # How a sentence names it: "cannot read the add-ons of weareone".
    label: Message


# Heroku's embedded references: {"id": ..., "name": ...}, read by name.
NAMED = record(name=STRING)
TELEMETRY_DRAINS = items(record(signals=items(STRING), exporter=record(endpoint=STRING)))

# Fact name -> where it is read, the keys and types its checks read (Heroku's Platform API
# reference; a key is optional where some answers leave it out, such as a Cedar app's generation
# before Fir, or an add-on's state), how it is reduced and what it is called. "{app}" marks
# per-app resources, "{space}" those of the Private Space a Fir app runs in (read once per
# space, after the apps).
RESOURCES: Mapping[str, Resource] = {
    "heroku.app": Resource(
        "/apps/{app}",
        record(
            name=optional(STRING),
            stack=NAMED,
            build_stack=optional(nullable(NAMED)),
            generation=optional(either(NAMED, STRING, NULL)),
            acm=BOOLEAN,
            maintenance=optional(BOOLEAN),
            space=optional(either(record(name=optional(STRING), id=optional(STRING)), STRING, NULL)),
        ),
        _app,
        _("the details"),
    ),
    "heroku.formation": Resource(
        "/apps/{app}/formation",
        items(
            record(type=STRING, quantity=INTEGER, dyno_size=optional(nullable(NAMED)), size=optional(nullable(STRING)))
        ),
        _formation,
        _("the formation"),
    ),
    "heroku.addons": Resource(
        "/apps/{app}/addons",
        items(record(addon_service=NAMED, plan=NAMED, state=optional(STRING))),
        _addons,
        _("the add-ons"),
    ),
    "heroku.log_drains": Resource(
        "/apps/{app}/log-drains",
        items(record(url=STRING, addon=optional(nullable(NAMED)))),
        _log_drains,
        _("the log drains"),
    ),
    "heroku.telemetry_drains": Resource(
        "/apps/{app}/telemetry-drains", TELEMETRY_DRAINS, _telemetry_drains, _("the telemetry drains")
    ),
    "heroku.space_telemetry_drains": Resource(
        "/spaces/{space}/telemetry-drains", TELEMETRY_DRAINS, _telemetry_drains, _("the telemetry drains")
    ),
    # Names and values; Heroku's schema lets a value be null.
    "heroku.config_vars": Resource(
        "/apps/{app}/config-vars", values(nullable(STRING)), _config_vars, _("the config vars")
    ),
    "heroku.domains": Resource(
        "/apps/{app}/domains",
        items(
            record(
                hostname=STRING,
                kind=STRING,
                cname=nullable(STRING),
                status=STRING,
                acm_status=optional(nullable(STRING)),
                sni_endpoint=optional(nullable(NAMED)),
            )
        ),
        _domains,
        _("the domains"),
    ),
    "heroku.sni_endpoints": Resource(
        "/apps/{app}/sni-endpoints",
        items(record(name=STRING, ssl_cert=record(cert_domains=items(STRING), expires_at=STRING))),
        _sni_endpoints,
        _("the SNI endpoints"),
    ),
    "heroku.features": Resource(
        "/apps/{app}/features", items(record(name=STRING, enabled=BOOLEAN)), _features, _("the features")
    ),
    "heroku.stacks": Resource("/stacks", items(record(name=STRING, state=STRING)), _stacks, _("the list of stacks")),
}
