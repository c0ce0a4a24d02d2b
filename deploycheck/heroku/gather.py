"""The ``heroku`` facts: each resource the selected checks need, for each app, fetched once.

Every (app, resource) pair is one task on a thread pool, so a run over several apps costs
about one round trip. Answers are reduced on arrival to the few fields the checks read:
config var values and drain URLs, which hold secrets, never leave this module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deploycheck import conf
from deploycheck.checks.base import Text
from deploycheck.gathering import GatherRequest, provides, run_concurrently
from deploycheck.heroku.client import HerokuAPIError, HerokuClient, api_path
from deploycheck.heroku.reference import ERROR_PAGE_VARS

TARGET = "heroku.apps"
# Requests in flight at once; enough for every resource of a handful of apps in one round trip.
MAX_CONCURRENT_REQUESTS = 64


@dataclass(frozen=True)
class Target:
    """The apps a run looks at, or why it looks at none: not configured, or configured wrongly."""

    apps: tuple[str, ...]
    not_configured: str | None
    gathered_at: datetime
    # A configuration that cannot be used (a malformed token, a bad HEROKU_APP_NAME): every check errs.
    unusable: str | None = None


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


def _app(body: Any) -> dict[str, Any]:
    body = body if isinstance(body, dict) else {}
    return {
        "name": body.get("name"),
        "stack": _name(body.get("stack")),
        "build_stack": _name(body.get("build_stack")),
        "generation": _name(body.get("generation")) or "cedar",
        "acm": bool(body.get("acm")),
        "maintenance": bool(body.get("maintenance")),
        "space": _name(body.get("space")) or None,
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
    reduce: Callable[[Any], Any]
    # How a sentence names it: "cannot read the add-ons of weareone".
    label: Text


# Fact name -> where it is read and how it is reduced. "{app}" marks per-app resources.
RESOURCES: Mapping[str, Resource] = {
    "heroku.app": Resource("/apps/{app}", _app, gettext_lazy("the details")),
    "heroku.formation": Resource("/apps/{app}/formation", _formation, gettext_lazy("the formation")),
    "heroku.addons": Resource("/apps/{app}/addons", _addons, gettext_lazy("the add-ons")),
    "heroku.log_drains": Resource("/apps/{app}/log-drains", _log_drains, gettext_lazy("the log drains")),
    "heroku.telemetry_drains": Resource(
        "/apps/{app}/telemetry-drains", _telemetry_drains, gettext_lazy("the telemetry drains")
    ),
    "heroku.config_vars": Resource("/apps/{app}/config-vars", _config_vars, gettext_lazy("the config vars")),
    "heroku.domains": Resource("/apps/{app}/domains", _domains, gettext_lazy("the domains")),
    "heroku.sni_endpoints": Resource("/apps/{app}/sni-endpoints", _sni_endpoints, gettext_lazy("the SNI endpoints")),
    "heroku.features": Resource("/apps/{app}/features", _features, gettext_lazy("the features")),
    "heroku.stacks": Resource("/stacks", _stacks, gettext_lazy("the list of stacks")),
}


class ResourceError(Exception):
    """Why one resource of one app could not be read; its text is safe to show."""


def _cause(status: int | None) -> str | None:
    """What an HTTP status from the Platform API means for the person reading the report."""
    if status == 401:
        return _("Heroku refused the token (expired or revoked?)")
    if status == 403:
        return _("the token does not have access to it")
    if status == 404:
        return _("Heroku does not know this app, or the token cannot see it")
    if status == 429:
        return _("the account's API rate limit is reached")
    if status is not None and status >= 500:
        return _("Heroku's API is failing")
    return None


def _explain(name: str, app: str, exc: HerokuAPIError) -> ResourceError:
    values = {"app": app, "resource": RESOURCES[name].label, "error": exc, "cause": _cause(exc.status)}
    if name == "heroku.config_vars" and exc.status == 403:
        reason = _(
            "cannot read the config vars of %(app)s: the token lacks the read-protected scope "
            "(create one with `heroku authorizations:create -s read-protected`); %(error)s"
        )
    elif values["cause"] is not None:
        reason = _("cannot read %(resource)s of %(app)s: %(cause)s (%(error)s)")
    else:
        reason = _("cannot read %(resource)s of %(app)s: %(error)s")
    return ResourceError(reason % values)


def configured_token() -> str | None:
    """The token, without the whitespace around it that a copy and paste or `echo` leaves."""
    from_env = os.environ.get("HEROKU_API_KEY", "").strip()
    return from_env or (conf.get_settings().heroku_api_key or "").strip() or None


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be sent in a header, or None; never quotes the token."""
    # A header value is printable ASCII; requests would raise InvalidHeader on each request.
    if all("!" <= character <= "~" for character in token):
        return None
    return _(
        "the Heroku API token is malformed (it contains a space, a control character or a non-ASCII "
        "character); copy it again, or create one with `heroku authorizations:create`"
    )


def configured_apps(requested: tuple[str, ...] = ()) -> tuple[str, ...]:
    return _configured_apps(requested)[0]


def _configured_apps(requested: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The apps to check, and where they were named, for a message about a bad one."""
    if requested:
        return requested, "--app"
    apps = conf.get_settings().heroku_apps
    if apps:
        return apps, "DEPLOYCHECK['HEROKU_APPS']"
    from_env = os.environ.get("HEROKU_APP_NAME", "")
    return ((from_env,) if from_env else ()), "HEROKU_APP_NAME"


def _apps_problem(apps: tuple[str, ...], origin: str) -> str | None:
    """Why one of ``apps`` cannot be checked, or None. --app and the setting are refused earlier;
    the environment's HEROKU_APP_NAME is met here first."""
    bad = next((app for app in apps if not conf.is_app_identity(app)), None)
    if bad is None:
        return None
    return _("%(origin)s is %(app)r, which is not a Heroku app name or id (%(rule)s)") % {
        "origin": origin,
        "app": bad,
        "rule": conf.app_rule(),
    }


@provides("heroku")
def gather_heroku(request: GatherRequest) -> dict[str, Any]:
    apps, origin = _configured_apps(tuple(request.options.get("apps", ())))
    token = configured_token()
    reason = unusable = None
    if not apps:
        reason = _("no Heroku app is configured (DEPLOYCHECK['HEROKU_APPS'], --app or HEROKU_APP_NAME)")
    elif not token:
        reason = _("no Heroku API token (set the HEROKU_API_KEY environment variable)")
    else:
        unusable = _apps_problem(apps, origin) or token_problem(token)
    usable = reason is None and unusable is None
    facts: dict[str, Any] = {TARGET: Target(apps if usable else (), reason, timezone.now(), unusable)}
    names = sorted(name for name in request.names if name in RESOURCES)
    if not usable or not names:
        return {**facts, **{name: {} for name in names}}
    assert token is not None
    options = conf.get_settings()
    # One connection per concurrent request, so that no request waits for another's socket.
    concurrency = min(MAX_CONCURRENT_REQUESTS, len(apps) * len(names))
    client = HerokuClient(
        token,
        options.heroku_api_url,
        read_timeout=options.heroku_read_timeout,
        retries=options.heroku_retries,
        backoff=options.heroku_backoff,
        deadline=request.deadline,
        pool_size=concurrency,
    )
    try:
        facts.update(_fetch_all(client, apps, names, request, concurrency))
    finally:
        client.close()
    return facts


def _fetch_all(
    client: HerokuClient, apps: tuple[str, ...], names: list[str], request: GatherRequest, concurrency: int
) -> dict[str, Any]:
    """Fact name -> {app: reduced value or ResourceError}; app-independent facts use the key ""."""
    tasks = [(name, app) for name in names for app in (apps if "{app}" in RESOURCES[name].path else ("",))]

    def fetch(name: str, app: str) -> Callable[[], Any]:
        def job() -> Any:
            resource = RESOURCES[name]
            try:
                path = api_path(resource.path, app=app) if "{app}" in resource.path else resource.path
                return resource.reduce(client.get(path))
            except HerokuAPIError as exc:
                return _explain(name, app or "Heroku", exc)

        return job

    def late(task: tuple[str, str]) -> ResourceError:
        name, app = task
        return ResourceError(
            _("cannot read %(resource)s of %(app)s: no answer within the run's time budget")
            % {"resource": RESOURCES[name].label, "app": app or "Heroku"}
        )

    fetched = run_concurrently(
        {(name, app): fetch(name, app) for name, app in tasks},
        request.seconds_left,
        late=late,
        thread_name="deploycheck-heroku",
        max_workers=concurrency,
    )
    results: dict[str, dict[str, Any]] = {name: {} for name in names}
    for (name, app), value in fetched.items():
        results[name][app] = value
    # The snapshot is read by many checks: none of them may change what another sees.
    return {name: MappingProxyType(per_app) for name, per_app in results.items()}
