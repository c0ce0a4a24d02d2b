"""The ``heroku`` facts: each resource the selected checks need, for each app, fetched once.

Every (app, resource) pair is one task on a thread pool, so a run over several apps costs
about one round trip. Answers are reduced on arrival (deploycheck.families.heroku.resources) to the few
fields the checks read. Every reason is a Message, translated when the result is read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from django.utils import timezone

from deploycheck import conf
from deploycheck.core.check import FactError
from deploycheck.core.deferred_text import Message, Text
from deploycheck.core.deferred_text import later as _
from deploycheck.core.family import Targets
from deploycheck.core.gathering import GatherRequest, run_concurrently
from deploycheck.core.shapes import Problem
from deploycheck.families.heroku.client import HerokuAPIError, HerokuClient, api_path
from deploycheck.families.heroku.resources import RESOURCES

TARGET = "heroku.apps"
APP = "heroku.app"
# Requests in flight at once: every resource of 25 apps in one round trip. With 64, twenty apps'
# 181 requests took three round trips.
MAX_CONCURRENT_REQUESTS = 256


@dataclass(frozen=True)
class Target(Targets):
    """The apps a run looks at (``names``), or why it looks at none, and when they were read."""

    gathered_at: datetime = field(kw_only=True)


class ResourceError(FactError):
    """Why one resource of one app could not be read; its reason is safe to show."""


def _cause(status: int | None, *, space: bool = False) -> Message | None:
    """What an HTTP status from the Platform API means for the person reading the report."""
    if status == 401:
        return _("Heroku refused the token (expired or revoked?)")
    if status == 403:
        return _("the token does not have access to it")
    if status == 404 and space:
        return _("Heroku does not know this space, or the token cannot see it")
    if status == 404:
        return _("Heroku does not know this app, or the token cannot see it")
    if status == 429:
        return _("the account's API rate limit is reached")
    if status is not None and status >= 500:
        return _("Heroku's API is failing")
    return None


def _explain(name: str, owner: Text, exc: HerokuAPIError, *, space: bool = False) -> ResourceError:
    """Why ``name`` of ``owner`` (an app's name, "Heroku" or "the space ...") could not be read."""
    values: dict[str, Any] = {"app": owner, "resource": RESOURCES[name].label, "error": exc.reason}
    cause = _cause(exc.status, space=space)
    if name == "heroku.config_vars" and exc.status == 403:
        reason = _(
            "cannot read the config vars of %(app)s: the token lacks the read-protected scope "
            "(create one with `heroku authorizations:create -s read-protected`); %(error)s"
        )
    elif cause is not None:
        reason = _("cannot read %(resource)s of %(app)s: %(cause)s (%(error)s)")
        values["cause"] = cause
    else:
        reason = _("cannot read %(resource)s of %(app)s: %(error)s")
    return ResourceError(reason % values)


def _unexpected(name: str, owner: Text, path: str, problem: Problem) -> ResourceError:
    """Why ``name`` of ``owner`` cannot be read from an answer of another shape than Heroku documents."""
    return ResourceError(
        _("cannot read %(resource)s of %(app)s: Heroku answered GET %(path)s with %(problem)s")
        % {"resource": RESOURCES[name].label, "app": owner, "path": path, "problem": problem.words}
    )


def space_to_read(details: Any) -> str | None:
    """The Private Space whose telemetry drains also carry an app's telemetry: a Fir app's space, if any.

    ``details`` is the app's reduced ``heroku.app`` fact. Telemetry drains exist on Fir only, where
    a drain added to the space receives the logs, traces and metrics of every app in it.
    """
    if isinstance(details, Mapping) and details.get("generation") == "fir":
        space = details.get("space")
        return space if isinstance(space, str) and space else None
    return None


def configured_token() -> str | None:
    """The token, without the whitespace around it that a copy and paste or `echo` leaves."""
    from_env = os.environ.get("HEROKU_API_KEY", "").strip()
    return from_env or (conf.get_settings().heroku_api_key or "").strip() or None


def token_problem(token: str) -> Message | None:
    """Why ``token`` cannot be sent in a header, or None; never quotes the token."""
    # A header value is printable ASCII; requests would raise InvalidHeader on each request.
    if all("!" <= character <= "~" for character in token):
        return None
    return _(
        "the Heroku API token is malformed (it contains a space, a control character or a non-ASCII "
        "character); copy it again, or create one with `heroku authorizations:create`"
    )


def _apps_problem(apps: tuple[str, ...], origin: str) -> Message | None:
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


def gather_heroku(request: GatherRequest) -> dict[str, Any]:
    """The provider of every ``heroku.*`` fact: the apps (``heroku.apps``) and their resources."""
    apps, origin = request.targets.apps, request.targets.apps_named_by
    token = configured_token()
    reason = unusable = None
    if not apps:
        reason = _("no Heroku app is configured (DEPLOYCHECK['HEROKU_APPS'], --app or HEROKU_APP_NAME)")
    elif not token:
        reason = _("no Heroku API token (set the HEROKU_API_KEY environment variable)")
    else:
        unusable = _apps_problem(apps, origin) or token_problem(token)
    usable = reason is None and unusable is None
    target = Target(
        apps if usable else (),
        not_configured=_("Heroku is not configured: %(reason)s.") % {"reason": reason} if reason else None,
        unusable=_("Heroku cannot be checked: %(reason)s.") % {"reason": unusable} if unusable else None,
        gathered_at=timezone.now(),
    )
    facts: dict[str, Any] = {TARGET: target}
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


# One request: (fact name, the app or space it is read for, "" for Heroku's own lists).
Task = tuple[str, str]


def _fetch_all(
    client: HerokuClient, apps: tuple[str, ...], names: list[str], request: GatherRequest, concurrency: int
) -> dict[str, Any]:
    """Fact name -> {app: reduced value or ResourceError}; app-independent facts use the key "".

    Resources of an app's Private Space are read once the apps are, once per space, since only
    the app's details say which space it runs in.
    """
    in_spaces = [name for name in names if "{space}" in RESOURCES[name].path]
    first = sorted({name for name in names if name not in in_spaces} | ({APP} if in_spaces else set()))
    tasks: dict[Task, Text] = {}
    for name in first:
        for app in apps if "{app}" in RESOURCES[name].path else ("",):
            tasks[(name, app)] = app or "Heroku"
    results = _fetch(client, tasks, "app", request, concurrency)
    if in_spaces:
        results.update(_fetch_space_resources(client, in_spaces, results[APP], request))
    # The snapshot is read by many checks: none of them may change what another sees.
    return {name: MappingProxyType(per_app) for name, per_app in results.items()}


def _fetch_space_resources(
    client: HerokuClient, names: list[str], details: Mapping[str, Any], request: GatherRequest
) -> dict[str, dict[str, Any]]:
    """Each app's part of the space resources ``names``: its space's, () outside a Fir space."""
    spaces = {app: space_to_read(value) for app, value in details.items()}
    wanted = sorted({space for space in spaces.values() if space is not None})
    tasks: dict[Task, Text] = {
        (name, space): _("the space %(space)s") % {"space": space} for name in names for space in wanted
    }
    by_space = _fetch(client, tasks, "space", request, max(1, len(tasks)))
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        results[name] = {}
        for app, space in spaces.items():
            if isinstance(details[app], ResourceError):
                # Its details could not be read, so neither can its space be: the same reason.
                results[name][app] = details[app]
            elif space is None:
                results[name][app] = ()
            else:
                results[name][app] = by_space[name][space]
    return results


def _fetch(
    client: HerokuClient, tasks: Mapping[Task, Text], segment: str, request: GatherRequest, concurrency: int
) -> dict[str, dict[str, Any]]:
    """Fact name -> {app or space: reduced value or ResourceError}, every task on its own thread."""
    if not tasks:
        return {}

    def fetch(name: str, key: str) -> Callable[[], Any]:
        def job() -> Any:
            resource = RESOURCES[name]
            try:
                path = api_path(resource.path, **{segment: key}) if key else resource.path
                body = client.get(path)
            except HerokuAPIError as exc:
                return _explain(name, tasks[(name, key)], exc, space=segment == "space")
            # An answer of another shape is not read as empty: the checks it feeds are not evaluated.
            problem = resource.shape.problem(body)
            if problem is not None:
                return _unexpected(name, tasks[(name, key)], path, problem)
            return resource.reduce(body)

        return job

    def late(task: Task) -> ResourceError:
        name, _key = task
        return ResourceError(
            _("cannot read %(resource)s of %(app)s: no answer within the run's time budget")
            % {"resource": RESOURCES[name].label, "app": tasks[task]}
        )

    if request.seconds_left <= 0:
        fetched = {task: late(task) for task in tasks}
    else:
        fetched = run_concurrently(
            {task: fetch(*task) for task in tasks},
            request.seconds_left,
            late=late,
            thread_name="deploycheck-heroku",
            max_workers=concurrency,
        )
    results: dict[str, dict[str, Any]] = {}
    for (name, key), value in fetched.items():
        results.setdefault(name, {})[key] = value
    return results
