"""The ``heroku`` family: Heroku's production checklist, evaluated per app from the API snapshot.

Each check is a pure function of one app's gathered resources (an :class:`AppFacts`), declared
on the family of deploycheck.heroku.family, which skips them when Heroku is not configured,
reports ``error`` for an app whose resources could not be read and names the app in every
finding. This module holds the checks of the app's stack, dynos, database, monitoring, logs,
error pages and deploys; deploycheck.checks.heroku_domains those of its custom domains.
"""

from __future__ import annotations

from deploycheck.checks import heroku_domains
from deploycheck.checks.base import Finding, error, failed, passed, skipped
from deploycheck.checks.heroku_domains import check_dns, check_ssl
from deploycheck.choices import Level
from deploycheck.heroku import reference
from deploycheck.heroku.family import ANY_APP, FAMILY, AppFacts
from deploycheck.heroku.gather import ResourceError
from deploycheck.heroku.resources import ConfigVars
from deploycheck.text import later as _
from deploycheck.text import plural_later as ngettext

# The family the catalogue loads; importing heroku_domains declared its checks on it too.
__all__ = ["FAMILY", "AppFacts", "check_dns", "check_ssl", "heroku_domains"]


@FAMILY.check(
    "heroku.stack",
    title=_("The app runs on a supported stack"),
    level=Level.ERROR,
    hint=_("Move to the current stack: `heroku stack:set heroku-24 -a %(app)s`, then deploy.") % ANY_APP,
    doc="stack",
    needs=("app",),
    optional=("stacks",),
)
def check_stack(app: AppFacts) -> Finding:
    stack = app["app"]["stack"]
    if stack in reference.SELF_MANAGED_STACKS:
        return skipped(
            _("The %(stack)s stack runs an image the team maintains; Heroku does not support it for you.")
            % {"stack": stack}
        )
    live = app["stacks"]
    if not isinstance(live, ResourceError) and stack in live:
        state = live[stack]
        if state == "deprecated":
            return failed(_("The %(stack)s stack is deprecated.") % {"stack": stack}, level=Level.WARNING)
        return passed(_("%(stack)s (%(state)s)") % {"stack": stack, "state": state})
    known = reference.STACKS.get(stack)
    if known is None or known.state == "end-of-life" or (known.end_of_life and known.end_of_life <= app.today):
        return failed(_("The %(stack)s stack has reached its end of life.") % {"stack": stack})
    if known.state == "deprecated":
        return failed(
            _("The %(stack)s stack is deprecated; its end of life is %(date)s.")
            % {"stack": stack, "date": known.end_of_life},
            level=Level.WARNING,
        )
    return passed(stack)


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
    if hobby:
        return failed(
            _("Not production dynos: %(processes)s. Eco and Basic dynos sleep or cannot scale out.")
            % {"processes": ", ".join(hobby)},
            obj=", ".join(hobby),
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
    return plan.partition(":")[2].partition("-")[0]


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
            obj=database["plan"],
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
    if families & reference.POSTGRES_HA_PLANS:
        return passed(", ".join(database["plan"] for database in databases))
    if families & reference.POSTGRES_HA_UNKNOWN_PLANS:
        return skipped(
            _("Cannot verify HA: Advanced plans choose it at creation and the Platform API does not show it.")
        )
    plans = ", ".join(database["plan"] for database in databases)
    return failed(_("%(plans)s has no standby to fail over to.") % {"plans": plans}, obj=plans)


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
    services = sorted({addon["service"] for addon in app["addons"]} & reference.MONITORING_ADDONS)
    config: ConfigVars = app["config_vars"]
    keys = sorted(config.names & reference.MONITORING_CONFIG_VARS)
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
    optional=("log_drains", "telemetry_drains"),
)
def check_log_monitoring(app: AppFacts) -> Finding:
    services = sorted({addon["service"] for addon in app["addons"]} & reference.LOGGING_ADDONS)
    if services:
        return passed(", ".join(services))
    drains_name = "telemetry_drains" if app.is_fir else "log_drains"
    drains = app[drains_name]
    if isinstance(drains, ResourceError):
        return error(drains.reason)
    if app.is_fir:
        hosts = [drain["host"] for drain in drains if "logs" in drain["signals"]]
    else:
        hosts = [drain["addon"] or drain["host"] for drain in drains]
    if hosts:
        return passed(", ".join(sorted(hosts)))
    return failed(_("Logs go nowhere but Heroku's short buffer: no drain and no logging add-on."))


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
def check_error_pages(app: AppFacts) -> Finding:
    if app.is_fir:
        return skipped(_("Fir apps do not support custom error pages."))
    config: ConfigVars = app["config_vars"]
    missing = [name for name in reference.ERROR_PAGE_VARS if name not in config.names]
    if missing:
        return failed(_("Not set: %(names)s.") % {"names": ", ".join(missing)}, obj=", ".join(missing))
    insecure = [name for name in reference.ERROR_PAGE_VARS if name not in config.https_pages]
    if insecure:
        return failed(_("Not an HTTPS URL: %(names)s.") % {"names": ", ".join(insecure)}, obj=", ".join(insecure))
    return passed()


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
