"""The ``heroku`` family: Heroku's production checklist, evaluated per app from the API snapshot.

Each check is a pure function of one app's gathered resources (an :class:`AppFacts`). The
:func:`heroku_check` decorator turns it into a catalogue entry that skips when Heroku is not
configured, reports ``error`` for an app whose resources could not be read, and tags every
finding with its app. Hints name the `heroku` command that fixes the problem; ``<app>`` in a
hint is replaced by the app's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from deploycheck.checks.base import Facts, Family, Finding, Text, as_findings, error, failed, passed, skipped
from deploycheck.choices import Level
from deploycheck.heroku import reference
from deploycheck.heroku.gather import TARGET, ConfigVars, ResourceError, Target

FAMILY = Family("heroku", tags={"production"})
CHECKS = FAMILY.checks
DEV_CENTER = "https://devcenter.heroku.com/articles/"


@dataclass(frozen=True)
class AppFacts:
    """One app's resources, as gathered; a missing optional resource is a ResourceError."""

    name: str
    resources: Mapping[str, Any]
    today: date

    def __getitem__(self, resource: str) -> Any:
        return self.resources[resource]

    @property
    def is_fir(self) -> bool:
        return bool(self.resources["app"]["generation"] == "fir")

    def web_dynos(self) -> int:
        return sum(process["quantity"] for process in self.resources["formation"] if process["type"] == "web")

    def custom_domains(self) -> list[dict[str, Any]]:
        return [domain for domain in self.resources["domains"] if domain["kind"] == "custom"]

    def postgres(self) -> list[dict[str, Any]]:
        return [addon for addon in self.resources["addons"] if addon["service"] == reference.POSTGRES_SERVICE]


AppCheck = TypeVar("AppCheck", bound=Callable[[AppFacts], "Finding | Iterable[Finding]"])


def heroku_check(
    check_id: str,
    *,
    title: Text,
    level: int,
    hint: Text,
    doc: str,
    needs: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> Callable[[AppCheck], AppCheck]:
    """Add a per-app Heroku check to the family; ``optional`` resources may be unreadable."""

    def decorator(evaluate_app: AppCheck) -> AppCheck:
        def evaluate(facts: Facts) -> list[Finding]:
            target: Target = facts[TARGET]
            if target.not_configured:
                return [skipped(_("Heroku is not configured: %(reason)s.") % {"reason": target.not_configured})]
            if target.unusable:
                return [error(_("Heroku cannot be checked: %(reason)s.") % {"reason": target.unusable})]
            findings: list[Finding] = []
            for app in target.apps:
                findings.extend(_for_app(app, facts, target.gathered_at.date()))
            return findings

        def _for_app(app: str, facts: Facts, today: date) -> list[Finding]:
            resources = {name: _resource(facts, name, app) for name in (*needs, *optional)}
            for name in needs:
                if isinstance(resources[name], ResourceError):
                    return [error(str(resources[name]), app=app)]
            findings = as_findings(evaluate_app(AppFacts(app, resources, today)))
            return [
                replace(
                    finding,
                    app=app,
                    hint=str(finding.hint if finding.hint is not None else hint).replace("<app>", app),
                )
                for finding in findings
            ]

        FAMILY.add(
            check_id,
            evaluate,
            title=title,
            level=level,
            hint=hint,
            doc_url=DEV_CENTER + doc,
            requires=(TARGET, *(f"heroku.{name}" for name in (*needs, *optional))),
        )
        return evaluate_app

    return decorator


def _resource(facts: Facts, name: str, app: str) -> Any:
    per_app = facts[f"heroku.{name}"]
    return per_app[app] if app in per_app else per_app.get("")


def _as_date(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


@heroku_check(
    "heroku.stack",
    title=gettext_lazy("The app runs on a supported stack"),
    level=Level.ERROR,
    hint=gettext_lazy("Move to the current stack: `heroku stack:set heroku-24 -a <app>`, then deploy."),
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


@heroku_check(
    "heroku.dyno_tier",
    title=gettext_lazy("Running dynos are of a production tier"),
    level=Level.ERROR,
    hint=gettext_lazy("Move to Standard or Performance dynos: `heroku ps:type web=standard-1x -a <app>`."),
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


@heroku_check(
    "heroku.web_redundancy",
    title=gettext_lazy("At least two web dynos serve the app"),
    level=Level.WARNING,
    hint=gettext_lazy("Run two or more web dynos: `heroku ps:scale web=2 -a <app>`."),
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


@heroku_check(
    "heroku.postgres_plan",
    title=gettext_lazy("Heroku Postgres is on a production plan"),
    level=Level.ERROR,
    hint=gettext_lazy(
        "Create a Standard database and move the data to it: "
        "`heroku addons:create heroku-postgresql:standard-0 -a <app>`, then `heroku pg:copy` and `heroku pg:promote`."
    ),
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


@heroku_check(
    "heroku.postgres_ha",
    title=gettext_lazy("Heroku Postgres has high availability"),
    level=Level.WARNING,
    hint=gettext_lazy(
        "Move to a Premium plan, which keeps a standby: "
        "`heroku addons:create heroku-postgresql:premium-0 -a <app>`, then `heroku pg:copy` and `heroku pg:promote`."
    ),
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


@heroku_check(
    "heroku.app_monitoring",
    title=gettext_lazy("Application monitoring is set up"),
    level=Level.WARNING,
    hint=gettext_lazy("Add a monitoring add-on (`heroku addons:create newrelic -a <app>`) or an agent such as Sentry."),
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


@heroku_check(
    "heroku.log_monitoring",
    title=gettext_lazy("Logs are kept outside Heroku"),
    level=Level.WARNING,
    hint=gettext_lazy(
        "Add a logging add-on (`heroku addons:create papertrail -a <app>`) or a drain "
        "(`heroku drains:add URL -a <app>`; on Fir, `heroku telemetry:add URL --signals logs -a <app>`)."
    ),
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
        return error(str(drains))
    if app.is_fir:
        hosts = [drain["host"] for drain in drains if "logs" in drain["signals"]]
    else:
        hosts = [drain["addon"] or drain["host"] for drain in drains]
    if hosts:
        return passed(", ".join(sorted(hosts)))
    return failed(_("Logs go nowhere but Heroku's short buffer: no drain and no logging add-on."))


@heroku_check(
    "heroku.error_pages",
    title=gettext_lazy("Custom error and maintenance pages are served over HTTPS"),
    level=Level.WARNING,
    hint=gettext_lazy(
        "Host two static pages and point Heroku at them: "
        "`heroku config:set ERROR_PAGE_URL=https://... MAINTENANCE_PAGE_URL=https://... -a <app>`."
    ),
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


@heroku_check(
    "heroku.ssl",
    title=gettext_lazy("Every custom domain has a valid certificate"),
    level=Level.ERROR,
    hint=gettext_lazy("Let Heroku manage certificates: `heroku certs:auto:enable -a <app>`."),
    doc="automated-certificate-management",
    needs=("app", "domains", "sni_endpoints"),
)
def check_ssl(app: AppFacts) -> Finding | list[Finding]:
    domains = app.custom_domains()
    if not domains:
        return skipped(_("No custom domain: the herokuapp.com domain always has TLS."))
    if app["app"]["acm"]:
        return [
            failed(
                _("ACM has not issued a certificate for %(domain)s (status: %(status)s).")
                % {"domain": domain["hostname"], "status": domain["acm_status"] or _("none")},
                obj=domain["hostname"],
            )
            for domain in domains
            if domain["acm_status"] not in reference.ACM_GOOD_STATUSES
        ] or passed(
            ngettext(
                "Automated Certificate Management covers %(count)d domain.",
                "Automated Certificate Management covers %(count)d domains.",
                len(domains),
            )
            % {"count": len(domains)}
        )
    findings = [_certificate_problem(app, domain["hostname"]) for domain in domains]
    return [finding for finding in findings if finding is not None] or passed()


def _certificate_problem(app: AppFacts, hostname: str) -> Finding | None:
    limit = app.today + timedelta(days=reference.SSL_EXPIRY_MARGIN_DAYS)
    covering = [endpoint for endpoint in app["sni_endpoints"] if _covers(endpoint["domains"], hostname)]
    if not covering:
        return failed(_("No certificate covers %(domain)s.") % {"domain": hostname}, obj=hostname)
    expiries = [_as_date(endpoint["expires_at"]) for endpoint in covering]
    latest = max((expiry for expiry in expiries if expiry is not None), default=None)
    if latest is None or latest.date() <= limit:
        return failed(
            _("The certificate for %(domain)s expires on %(date)s.")
            % {"domain": hostname, "date": latest.date() if latest else _("an unknown date")},
            obj=hostname,
        )
    return None


def _covers(cert_domains: Iterable[str], hostname: str) -> bool:
    for pattern in cert_domains:
        if pattern == hostname:
            return True
        if pattern.startswith("*.") and hostname.count(".") == pattern.count(".") and hostname.endswith(pattern[1:]):
            return True
    return False


@heroku_check(
    "heroku.dns",
    title=gettext_lazy("Custom domains point at Heroku's DNS targets"),
    level=Level.WARNING,
    hint=gettext_lazy(
        "Point each domain by CNAME (or ALIAS) at the target `heroku domains -a <app>` shows, never at an IP address."
    ),
    doc="custom-domains",
    needs=("domains",),
)
def check_dns(app: AppFacts) -> Finding | list[Finding]:
    domains = app.custom_domains()
    if not domains:
        return skipped(_("The app has no custom domain."))
    findings = []
    for domain in domains:
        if not domain["cname"].endswith(reference.DNS_TARGET_SUFFIXES):
            findings.append(
                failed(
                    _("%(domain)s has no Heroku DNS target.") % {"domain": domain["hostname"]}, obj=domain["hostname"]
                )
            )
        elif domain["status"] != "succeeded":
            findings.append(
                failed(
                    _("%(domain)s is not verified by Heroku (status: %(status)s).")
                    % {"domain": domain["hostname"], "status": domain["status"] or _("none")},
                    obj=domain["hostname"],
                )
            )
    return findings or passed(
        ngettext("%(count)d custom domain", "%(count)d custom domains", len(domains)) % {"count": len(domains)}
    )


@heroku_check(
    "heroku.preboot",
    title=gettext_lazy("Preboot is on for zero-downtime deploys"),
    level=Level.WARNING,
    hint=gettext_lazy("Turn preboot on: `heroku features:enable preboot -a <app>`."),
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
