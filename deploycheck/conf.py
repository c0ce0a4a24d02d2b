"""deploycheck's settings: one ``DEPLOYCHECK`` dict, merged over the defaults when read.

Reading happens on every call rather than at import time, so ``override_settings`` and
per-test settings work. :func:`problems` lists what is wrong with the dict as it stands;
deploycheck's system checks and the command both report those problems, so a bad
setting never surfaces as a traceback.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from deploycheck.core.choices import LEVELS

# The rules are in deploycheck.core.input_rules; conf.is_https_url(...) and the like read as before.
from deploycheck.core.input_rules import (
    NUMBERS,
    RETENTION_DAYS_RANGE,
    TIME_BUDGET_RANGE,
    Range,
    app_rule,
    apps_problem,
    is_advisory_id,
    is_app_identity,
    is_https_url,
    is_web_url,
    shown,
    time_budget_problem,
)
from deploycheck.notify.webhook_settings import Webhook, webhook_problems, webhooks_of
from deploycheck.web.status_settings import STATUS_DEFAULTS, status_problems

__all__ = [
    "RETENTION_DAYS_RANGE",
    "TIME_BUDGET_RANGE",
    "Range",
    "app_rule",
    "apps_problem",
    "is_app_identity",
    "is_https_url",
    "is_web_url",
    "time_budget_problem",
]

DEFAULTS: Mapping[str, Any] = {
    # Dotted paths to extra checks: a module of @deploycheck.register functions, or one function.
    "CHECKS": (),
    # The level at or above which a non-silenced failure makes the command exit 1.
    "FAIL_LEVEL": "ERROR",
    # Seconds that gathering facts may take in one run; what is not gathered by then is an error.
    "TIME_BUDGET": 25.0,
    # Heroku's Platform API; tests point it at a server on loopback.
    "HEROKU_API_URL": "https://api.heroku.com",
    # The apps to check; --app and the HEROKU_APP_NAME environment variable are the alternatives.
    "HEROKU_APPS": (),
    # Prefer the HEROKU_API_KEY environment variable: a token does not belong in settings files.
    "HEROKU_API_KEY": None,
    # Each API request: seconds to wait for an answer, retries on 429, 5xx and lost connections,
    # and the back-off factor between retries (0.5 s, 1 s, 2 s, ...; Retry-After wins).
    "HEROKU_READ_TIMEOUT": 10.0,
    "HEROKU_RETRIES": 3,
    "HEROKU_BACKOFF": 0.5,
    # Days to keep runs; `deploycheck --prune` deletes older ones (the newest run of each app stays).
    "RETENTION_DAYS": None,
    # E-mail ADMINS when a check that passed in the previous run of the same app fails now.
    "NOTIFY_ADMINS": False,
    # Where requirements.txt and .python-version live; default: settings.BASE_DIR, else the working directory.
    "PROJECT_ROOT": None,
    # HTTPS addresses of the deployed site to probe live (the http family); --url replaces them.
    "URLS": (),
    # Seconds to wait for each live HTTP answer.
    "HTTP_TIMEOUT": 10.0,
    # The OSV database's API, asked about every installed distribution; None turns that check off.
    "OSV_API_URL": "https://api.osv.dev",
    # Advisories the team has weighed and accepts: advisory id (GHSA-..., CVE-..., PYSEC-...) -> the reason.
    "ACCEPTED_ADVISORIES": {},
    # Where to post a run's summary: dicts of "url" (a secret), "format" and "events" (see the README).
    "WEBHOOKS": (),
    # The site's https:// address, for links to a run in the admin; None: no links.
    "SITE_URL": None,
    **STATUS_DEFAULTS,
}


@dataclass(frozen=True)
class DeploycheckSettings:
    checks: tuple[str, ...]
    fail_level: str
    time_budget: float
    heroku_api_url: str = DEFAULTS["HEROKU_API_URL"]
    heroku_apps: tuple[str, ...] = ()
    heroku_api_key: str | None = field(default=None, repr=False)
    heroku_read_timeout: float = DEFAULTS["HEROKU_READ_TIMEOUT"]
    heroku_retries: int = DEFAULTS["HEROKU_RETRIES"]
    heroku_backoff: float = DEFAULTS["HEROKU_BACKOFF"]
    retention_days: int | None = None
    notify_admins: bool = False
    project_root: str | None = None
    urls: tuple[str, ...] = ()
    http_timeout: float = DEFAULTS["HTTP_TIMEOUT"]
    osv_api_url: str | None = DEFAULTS["OSV_API_URL"]
    # (advisory id, reason) pairs: a tuple keeps the settings hashable like every other field.
    accepted_advisories: tuple[tuple[str, str], ...] = ()
    # Their URLs are secrets: never in a repr.
    webhooks: tuple[Webhook, ...] = field(default=(), repr=False)
    site_url: str | None = None
    status_token: str | None = field(default=None, repr=False)
    public_badge: bool = False


def _raw() -> Any:
    return getattr(settings, "DEPLOYCHECK", {})


def problems() -> list[tuple[str, str]]:
    """(error id, one-line explanation) for everything wrong with ``settings.DEPLOYCHECK``."""
    raw = _raw()
    if not isinstance(raw, Mapping):
        return [
            ("deploycheck.E001", gettext("DEPLOYCHECK must be a dict, not %(type)s.") % {"type": type(raw).__name__})
        ]
    return [
        *_selection_problems(raw),
        *_heroku_problems(raw),
        *_run_problems(raw),
        *_advisory_problems(raw),
        *webhook_problems(raw),
        *status_problems(raw),
    ]


def _selection_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The keys, the extra checks, the fail level and the numbers."""
    found = []
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        explanation = gettext("DEPLOYCHECK has unknown key(s) %(unknown)s; known keys: %(known)s.") % {
            "unknown": ", ".join(map(repr, unknown)),
            "known": ", ".join(sorted(DEFAULTS)),
        }
        found.append(("deploycheck.E002", explanation))
    checks = raw.get("CHECKS", DEFAULTS["CHECKS"])
    if isinstance(checks, str) or not all(isinstance(path, str) for path in _iterable(checks)):
        found.append(("deploycheck.E003", gettext("DEPLOYCHECK['CHECKS'] must be a list of dotted paths.")))
    else:
        for path in checks:
            reason = _import_problem(path)
            if reason:
                explanation = gettext("DEPLOYCHECK['CHECKS'] entry %(path)r cannot be used (%(reason)s).") % {
                    "path": path,
                    "reason": reason,
                }
                found.append(("deploycheck.E004", explanation))
    fail_level = raw.get("FAIL_LEVEL", DEFAULTS["FAIL_LEVEL"])
    if fail_level not in LEVELS:
        explanation = gettext("DEPLOYCHECK['FAIL_LEVEL'] is %(value)r; use one of %(levels)s.") % {
            "value": fail_level,
            "levels": ", ".join(LEVELS),
        }
        found.append(("deploycheck.E005", explanation))
    for key, allowed in NUMBERS.items():
        value = raw.get(key, DEFAULTS[key])
        if not allowed.allows(value):
            found.append(("deploycheck.E006", allowed.explain(f"DEPLOYCHECK[{key!r}]", value)))
    return found


def _heroku_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    found = []
    url = raw.get("HEROKU_API_URL", DEFAULTS["HEROKU_API_URL"])
    if not is_web_url(url, {"http", "https"}):
        explanation = gettext("DEPLOYCHECK['HEROKU_API_URL'] is %(value)r; use an http or https URL.") % {"value": url}
        found.append(("deploycheck.E008", explanation))
    apps = raw.get("HEROKU_APPS", DEFAULTS["HEROKU_APPS"])
    if isinstance(apps, str) or not all(isinstance(app, str) for app in _iterable(apps)):
        found.append(("deploycheck.E009", gettext("DEPLOYCHECK['HEROKU_APPS'] must be a list of app names.")))
    else:
        for app in apps:
            if not is_app_identity(app):
                explanation = gettext(
                    "DEPLOYCHECK['HEROKU_APPS'] entry %(app)r is not a Heroku app name or id (%(rule)s)."
                )
                found.append(("deploycheck.E009", explanation % {"app": app, "rule": app_rule()}))
    key = raw.get("HEROKU_API_KEY", DEFAULTS["HEROKU_API_KEY"])
    if key is not None and not isinstance(key, str):
        # Never show the value: it may be a token.
        found.append(("deploycheck.E010", gettext("DEPLOYCHECK['HEROKU_API_KEY'] must be a string or None.")))
    return found


def _run_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Retention, e-mail, the project's root and the URLs to probe."""
    found = []
    days = raw.get("RETENTION_DAYS", DEFAULTS["RETENTION_DAYS"])
    if days is not None and not RETENTION_DAYS_RANGE.allows(days):
        explanation = gettext(
            "DEPLOYCHECK['RETENTION_DAYS'] is %(value)r; use a number of days from %(minimum)s to %(maximum)s, or None."
        )
        values = {
            "value": shown(days),
            "minimum": RETENTION_DAYS_RANGE.minimum,
            "maximum": RETENTION_DAYS_RANGE.maximum,
        }
        found.append(("deploycheck.E011", explanation % values))
    if not isinstance(raw.get("NOTIFY_ADMINS", DEFAULTS["NOTIFY_ADMINS"]), bool):
        found.append(("deploycheck.E012", gettext("DEPLOYCHECK['NOTIFY_ADMINS'] must be True or False.")))
    root = raw.get("PROJECT_ROOT", DEFAULTS["PROJECT_ROOT"])
    if root is not None and not (isinstance(root, (str, os.PathLike)) and os.path.isdir(root)):
        explanation = gettext(
            "DEPLOYCHECK['PROJECT_ROOT'] is %(value)r; use the path of an existing directory, or None."
        )
        found.append(("deploycheck.E013", explanation % {"value": root}))
    urls = raw.get("URLS", DEFAULTS["URLS"])
    if isinstance(urls, str) or not all(is_https_url(url) for url in _iterable(urls)):
        found.append(("deploycheck.E014", gettext("DEPLOYCHECK['URLS'] must be a list of https:// URLs.")))
    return found


def _advisory_problems(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    found = []
    osv = raw.get("OSV_API_URL", DEFAULTS["OSV_API_URL"])
    if osv is not None and not is_web_url(osv, {"http", "https"}):
        explanation = gettext("DEPLOYCHECK['OSV_API_URL'] is %(value)r; use an http or https URL, or None.") % {
            "value": osv
        }
        found.append(("deploycheck.E015", explanation))
    accepted = raw.get("ACCEPTED_ADVISORIES", DEFAULTS["ACCEPTED_ADVISORIES"])
    if not isinstance(accepted, Mapping):
        message = gettext("DEPLOYCHECK['ACCEPTED_ADVISORIES'] must be a dict: advisory id -> why it is accepted.")
        return [*found, ("deploycheck.E016", message)]
    for advisory, reason in accepted.items():
        if not is_advisory_id(advisory):
            explanation = gettext(
                "DEPLOYCHECK['ACCEPTED_ADVISORIES'] key %(key)r is not an advisory id (GHSA-..., CVE-..., PYSEC-...)."
            )
            found.append(("deploycheck.E016", explanation % {"key": advisory}))
        elif not isinstance(reason, str) or not reason.strip():
            explanation = gettext(
                "DEPLOYCHECK['ACCEPTED_ADVISORIES'][%(key)r] must be a text saying why it is accepted."
            )
            found.append(("deploycheck.E016", explanation % {"key": advisory}))
    return found


def _iterable(value: Any) -> list[Any]:
    try:
        return list(value)
    except TypeError:
        return [None]


def load(path: str) -> Any:
    """The module or the object a dotted path names."""
    try:
        return importlib.import_module(path)
    except ImportError:
        return import_string(path)


def _import_problem(path: str) -> str | None:
    try:
        target = load(path)
    except Exception as exc:  # whatever a project's module raises on import
        return f"{type(exc).__name__}: {exc}"
    from deploycheck.core.family import Family

    if not isinstance(target, ModuleType | Family) and not callable(target):
        return gettext("neither a module, a family of checks nor a check function")
    return None


# The last setting read and what it gave: a run reads the settings several times.
_last: tuple[dict[str, Any], DeploycheckSettings] | None = None


@dataclass(frozen=True)
class RunTargets:
    """What a run looks at, decided once when it starts: the providers are handed it, and read no setting for it."""

    # The Heroku apps, and where they were named (for a message about a bad one).
    apps: tuple[str, ...] = ()
    apps_named_by: str = ""
    # The https:// addresses the http family probes.
    urls: tuple[str, ...] = ()


def run_targets(
    apps: tuple[str, ...] = (), urls: tuple[str, ...] = (), configured: DeploycheckSettings | None = None
) -> RunTargets:
    """The targets of a run: those given (--app, --url), else the settings' (``configured``, read when
    not given), else Heroku's environment."""
    configured = configured or get_settings()
    urls = urls or configured.urls
    if apps:
        return RunTargets(apps, "--app", urls)
    if configured.heroku_apps:
        return RunTargets(configured.heroku_apps, "DEPLOYCHECK['HEROKU_APPS']", urls)
    # On a dyno (with the dyno metadata lab feature), Heroku names the app it runs.
    from_environment = os.environ.get("HEROKU_APP_NAME", "")
    return RunTargets((from_environment,) if from_environment else (), "HEROKU_APP_NAME", urls)


def get_settings() -> DeploycheckSettings:
    """The merged settings; raises ImproperlyConfigured naming the first problem."""
    global _last
    raw = getattr(settings, "DEPLOYCHECK", {})
    # The same dict as last time, compared by value: a dict changed in place is read again.
    if _last is not None and _last[0] == raw and (type(raw) is dict or isinstance(raw, Mapping)):
        return _last[1]
    merged_settings = _validated_settings()
    if isinstance(raw, Mapping):
        _last = (dict(raw), merged_settings)
    return merged_settings


def _validated_settings() -> DeploycheckSettings:
    found = problems()
    if found:
        error_id, explanation = found[0]
        raise ImproperlyConfigured(f"{explanation} ({error_id})")
    merged = {**DEFAULTS, **_raw()}
    return DeploycheckSettings(
        checks=tuple(merged["CHECKS"]),
        fail_level=merged["FAIL_LEVEL"],
        time_budget=float(merged["TIME_BUDGET"]),
        heroku_api_url=merged["HEROKU_API_URL"],
        heroku_apps=tuple(merged["HEROKU_APPS"]),
        heroku_api_key=merged["HEROKU_API_KEY"],
        heroku_read_timeout=float(merged["HEROKU_READ_TIMEOUT"]),
        heroku_retries=merged["HEROKU_RETRIES"],
        heroku_backoff=float(merged["HEROKU_BACKOFF"]),
        retention_days=merged["RETENTION_DAYS"],
        notify_admins=merged["NOTIFY_ADMINS"],
        project_root=str(merged["PROJECT_ROOT"]) if merged["PROJECT_ROOT"] is not None else None,
        urls=tuple(merged["URLS"]),
        http_timeout=float(merged["HTTP_TIMEOUT"]),
        osv_api_url=merged["OSV_API_URL"],
        accepted_advisories=tuple(sorted(merged["ACCEPTED_ADVISORIES"].items())),
        webhooks=webhooks_of(merged["WEBHOOKS"]),
        site_url=merged["SITE_URL"],
        status_token=merged["STATUS_TOKEN"],
        public_badge=merged["PUBLIC_BADGE"],
    )
