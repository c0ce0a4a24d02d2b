"""The ``heroku`` family: Heroku's production checklist, evaluated per app from the API snapshot.

Each check is a pure function of one app's gathered resources (an :class:`AppFacts`), declared
on the family of deploycheck.families.heroku.family, which skips them when Heroku is not configured,
reports ``error`` for an app whose resources could not be read and names the app in every
finding. This module holds the checks of the app's stack, dynos, database, monitoring, logs,
error pages and deploys; deploycheck.families.heroku.checks_domains those of its custom domains and
deploycheck.families.heroku.checks_stack that of its stack.
"""

from __future__ import annotations

from typing import Any

from deploycheck.core.check import Finding, error, failed, passed, skipped
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import later as _
from deploycheck.core.deferred_text import plural_later as ngettext
from deploycheck.families.heroku import checks_domains as heroku_domains
from deploycheck.families.heroku import checks_settings as heroku_settings
from deploycheck.families.heroku import checks_stack as heroku_stack
from deploycheck.families.heroku import reference
from deploycheck.families.heroku.checks_domains import check_dns, check_ssl
from deploycheck.families.heroku.checks_settings import check_allowed_hosts, check_static_files
from deploycheck.families.heroku.checks_stack import check_stack
from deploycheck.families.heroku.family import ANY_APP, FAMILY, AppFacts
from deploycheck.families.heroku.gather import ResourceError
from deploycheck.families.heroku.resources import ConfigVars

# The family the catalogue loads; importing heroku_domains, heroku_settings and heroku_stack declared
# their checks on it too.
__all__ = [
    "FAMILY",
    "AppFacts",
    "check_allowed_hosts",
    "check_dns",
    "check_ssl",
    "check_stack",
    "check_static_files",
    "heroku_domains",
    "heroku_settings",
    "heroku_stack",
]


@FAMILY.check(
    "heroku.dyno_tier",
    title=_("Running dynos are of a production tier"),
    level=Level.ERROR,
    hint=_("Move to Standard or Performance dynos: `heroku ps:type web=standard-1x -a %(app)s`.") % ANY_APP,
    doc="dyno-types",
    needs=("formation",),
)
def check_dyno_tier(app: AppFacts) -> Finding:
    running = [process for process in app["formation"] if process["quantity"] > 0]
    if not running:
        return skipped(_("No process type is running."))
    hobby = sorted(f"{process['type']}={process['size']}" for process in running if _is_hobby(process["size"]))
    # About the app's formation: the sizes are the failure's words, so that a size changed stays one failure.
    if hobby:
        return failed(
            _("Not production dynos: %(processes)s. Eco and Basic dynos sleep or cannot scale out.")
            % {"processes": ", ".join(hobby)},
        )
    return passed(", ".join(sorted(f"{process['type']}={process['size']}" for process in running)))


def _is_hobby(size: str) -> bool:
    return size in reference.NON_PRODUCTION_DYNO_SIZES


@FAMILY.check(
    "heroku.web_redundancy",
    title=_("At least two web dynos serve the app"),
    level=Level.WARNING,
    hint=_("Run two or more web dynos: `heroku ps:scale web=2 -a %(app)s`.") % ANY_APP,
    doc="scaling",
    needs=("formation",),
)
def check_web_redundancy(app: AppFacts) -> Finding:
    if not any(process["type"] == "web" for process in app["formation"]):
        return skipped(_("The app has no web process."))
    count = app.web_dynos()
    if count == 0:
        return failed(_("The web process is scaled to zero: the site is down."), obj="web")
    if count == 1:
        return failed(_("Only one web dyno: a restart or a crash takes the site down."), obj="web")
    return passed(ngettext("%(count)d web dyno", "%(count)d web dynos", count) % {"count": count})


def _plan_family(plan: str) -> str:
    """The plan's tier: "advanced" for every Advanced plan, else the part of its name before the first "-"."""
    name = plan.partition(":")[2]
    if name.startswith(tuple(reference.POSTGRES_ADVANCED_PLAN_PREFIXES)):
        return ADVANCED
    return name.partition("-")[0]


ADVANCED = "advanced"


@FAMILY.check(
    "heroku.postgres_plan",
    title=_("Heroku Postgres is on a production plan"),
    level=Level.ERROR,
    hint=_(
        "Create a Standard database and move the data to it: "
        "`heroku addons:create heroku-postgresql:standard-0 -a %(app)s`, then `heroku pg:copy` and `heroku pg:promote`."
    )
    % ANY_APP,
    doc="heroku-postgres-plans",
    needs=("addons",),
)
def check_postgres_plan(app: AppFacts) -> Finding | list[Finding]:
    databases = app.postgres()
    if not databases:
        return skipped(_("The app has no Heroku Postgres database."))
    findings = [
        failed(
            _("%(plan)s is not a production plan (no guaranteed uptime).") % {"plan": database["plan"]},
            obj=database.get("name") or database["plan"],
        )
        for database in databases
        if _plan_family(database["plan"]) in reference.POSTGRES_NON_PRODUCTION_PLANS
    ]
    return findings or passed(", ".join(database["plan"] for database in databases))


@FAMILY.check(
    "heroku.postgres_ha",
    title=_("Heroku Postgres has high availability"),
    level=Level.WARNING,
    hint=_(
        "Move to a Premium plan, which keeps a standby: "
        "`heroku addons:create heroku-postgresql:premium-0 -a %(app)s`, then `heroku pg:copy` and `heroku pg:promote`."
    )
    % ANY_APP,
    doc="heroku-postgres-ha",
    needs=("addons",),
)
def check_postgres_ha(app: AppFacts) -> Finding | list[Finding]:
    databases = app.postgres()
    if not databases:
        return skipped(_("The app has no Heroku Postgres database."))
    families = {_plan_family(database["plan"]) for database in databases}
    if families & reference.POSTGRES_HA_PLANS.keys():
        return passed(", ".join(database["plan"] for database in databases))
    if ADVANCED in families:
        return skipped(
            _(
                "Cannot verify HA: Advanced plans keep a standby unless it was turned off, "
                "and the Platform API does not show whether it is on."
            )
        )
    plans = ", ".join(database["plan"] for database in databases)
    # About the app's databases, whichever their plans: a plan changed is the same failure, changed.
    return failed(_("%(plans)s has no standby to fail over to.") % {"plans": plans})


@FAMILY.check(
    "heroku.app_monitoring",
    title=_("Application monitoring is set up"),
    level=Level.WARNING,
    hint=_("Add a monitoring add-on (`heroku addons:create newrelic -a %(app)s`) or an agent such as Sentry.")
    % ANY_APP,
    doc="metrics-basics",
    needs=("addons", "config_vars"),
)
def check_app_monitoring(app: AppFacts) -> Finding:
    services = sorted({addon["service"] for addon in app["addons"]} & reference.MONITORING_ADDONS.keys())
    config: ConfigVars = app["config_vars"]
    keys = sorted(config.names & reference.MONITORING_CONFIG_VARS.keys())
    if services or keys:
        return passed(", ".join([*services, *keys]))
    return failed(_("No monitoring add-on and no known monitoring agent configuration."))


@FAMILY.check(
    "heroku.log_monitoring",
    title=_("Logs are kept outside Heroku"),
    level=Level.WARNING,
    hint=_(
        "Add a logging add-on (`heroku addons:create papertrail -a %(app)s`) or a drain "
        "(`heroku drains:add URL -a %(app)s`; on Fir, `heroku telemetry:add URL --signals logs -a %(app)s`)."
    )
    % ANY_APP,
    doc="log-drains",
    needs=("app", "addons"),
    optional=("log_drains", "telemetry_drains", "space_telemetry_drains"),
)
def check_log_monitoring(app: AppFacts) -> Finding:
    services = sorted({addon["service"] for addon in app["addons"]} & reference.LOGGING_ADDONS.keys())
    if services:
        return passed(", ".join(services))
    if app.is_fir:
        return _fir_log_monitoring(app)
    drains = app["log_drains"]
    if isinstance(drains, ResourceError):
        return error(drains.reason)
    hosts = [drain["addon"] or drain["host"] for drain in drains]
    if hosts:
        return passed(", ".join(sorted(hosts)))
    return failed(NO_LOG_DESTINATION)


NO_LOG_DESTINATION = _("Logs go nowhere but Heroku's short buffer: no drain and no logging add-on.")


def _fir_log_monitoring(app: AppFacts) -> Finding:
    """On Fir, logs leave by a telemetry drain that carries them: the app's own, or its Private Space's."""
    own, shared = app["telemetry_drains"], app["space_telemetry_drains"]
    hosts = _log_hosts(own)
    if hosts:
        return passed(", ".join(hosts))
    hosts = _log_hosts(shared)
    if hosts:
        return passed(
            _("%(hosts)s, through the telemetry drains of the space %(space)s")
            % {"hosts": ", ".join(hosts), "space": app["app"]["space"]}
        )
    unreadable = next((drains for drains in (own, shared) if isinstance(drains, ResourceError)), None)
    if unreadable is not None:
        return error(unreadable.reason)
    return failed(NO_LOG_DESTINATION)


def _log_hosts(drains: Any) -> list[str]:
    if isinstance(drains, ResourceError):
        return []
    return sorted(drain["host"] for drain in drains if "logs" in drain["signals"])


@FAMILY.check(
    "heroku.error_pages",
    title=_("Custom error and maintenance pages are served over HTTPS"),
    level=Level.WARNING,
    hint=_(
        "Host two static pages and point Heroku at them: "
        "`heroku config:set ERROR_PAGE_URL=https://... MAINTENANCE_PAGE_URL=https://... -a %(app)s`."
    )
    % ANY_APP,
    doc="error-pages",
    needs=("app", "config_vars"),
)
def check_error_pages(app: AppFacts) -> Finding | list[Finding]:
    if app.is_fir:
        return skipped(_("Fir apps do not support custom error pages."))
    config: ConfigVars = app["config_vars"]
    findings = []
    # One finding per variable, so that each problem is named, however many there are.
    for name in reference.ERROR_PAGE_VARS:
        if name not in config.names:
            findings.append(failed(_("Not set: %(names)s.") % {"names": name}, obj=name))
        elif name not in config.https_pages:
            findings.append(failed(_("Not an HTTPS URL: %(names)s.") % {"names": name}, obj=name))
    return findings or passed()


@FAMILY.check(
    "heroku.preboot",
    title=_("Preboot is on for zero-downtime deploys"),
    level=Level.WARNING,
    hint=_("Turn preboot on: `heroku features:enable preboot -a %(app)s`.") % ANY_APP,
    doc="preboot",
    needs=("app", "formation", "features"),
)
def check_preboot(app: AppFacts) -> Finding:
    if app.is_fir:
        return skipped(_("Fir apps do not use the preboot feature."))
    if app.web_dynos() < 2:
        return skipped(_("Preboot matters once the app runs several web dynos."))
    if app["features"].get("preboot"):
        return passed()
    return failed(_("Each deploy restarts every web dyno at once."))
