"""The ``release`` family: what `check --deploy` does not look at but breaks deploys all the same.

Migrations written and applied, versions still supported, requirements pinned and installed as
pinned, the interpreter the project asks for, and the settings Heroku's router and Heroku
Postgres need. Each check is a pure function of the gathered ``release.*`` and ``settings.*`` facts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from deploycheck.core.check import Facts, Finding, error, failed, passed, shortened_list, skipped
from deploycheck.core.choices import Level, Status
from deploycheck.core.deferred_text import Message, joined
from deploycheck.core.deferred_text import later as _
from deploycheck.core.deferred_text import plural_later as ngettext
from deploycheck.families.advisories import checks as release_advisories
from deploycheck.families.release import checks_csp as release_csp
from deploycheck.families.release import checks_files as release_files
from deploycheck.families.release import reference
from deploycheck.families.release.checks_files import (
    check_python_version_file,
    check_requirements_drift,
    check_requirements_pinned,
)
from deploycheck.families.release.family import DJANGO_DOCS, FAMILY, dotted
from deploycheck.families.release.gather import Environment

# The family the catalogue loads; importing release_files, release_advisories and release_csp declared
# their checks on it too.
__all__ = [
    "FAMILY",
    "check_python_version_file",
    "check_requirements_drift",
    "check_requirements_pinned",
    "release_advisories",
    "release_csp",
    "release_files",
]


@FAMILY.check(
    "release.pending_model_changes",
    title=_("Every model change has its migration"),
    level=Level.ERROR,
    hint=_("Run `python manage.py makemigrations` and commit the new migrations."),
    doc=DJANGO_DOCS + "topics/migrations/",
    requires=("release.model_changes",),
)
def check_pending_model_changes(facts: Facts) -> Finding | list[Finding]:
    changes: dict[str, list[str]] = facts["release.model_changes"]
    return [
        failed(
            _("Models changed without a migration in %(app)s (makemigrations would write %(names)s).")
            % {"app": app, "names": ", ".join(names)},
            obj=app,
        )
        for app, names in sorted(changes.items())
    ] or passed()


@FAMILY.check(
    "release.unapplied_migrations",
    title=_("Every migration is applied"),
    level=Level.ERROR,
    hint=_("Run `python manage.py migrate` (on Heroku, in the release phase)."),
    doc=DJANGO_DOCS + "ref/django-admin/#migrate",
    requires=("release.unapplied_migrations",),
)
def check_unapplied_migrations(facts: Facts) -> Finding | list[Finding]:
    findings = []
    for alias, unapplied in sorted(facts["release.unapplied_migrations"].items()):
        if isinstance(unapplied, str):
            message = _("Cannot list the migrations of database %(alias)s: %(error)s")
            findings.append(error(message % {"alias": alias, "error": unapplied}))
        elif unapplied:
            findings.append(
                failed(
                    ngettext(
                        "%(count)d migration is not applied on database %(alias)s: %(names)s.",
                        "%(count)d migrations are not applied on database %(alias)s: %(names)s.",
                        len(unapplied),
                    )
                    % {"count": len(unapplied), "alias": alias, "names": shortened_list(unapplied)},
                    obj=alias,
                )
            )
    return findings or passed()


def _support(end: date | None, today: date, what: str) -> Finding:
    if end is None:
        return failed(_("%(what)s is not a supported release.") % {"what": what})
    if end < today:
        return failed(_("%(what)s stopped getting security fixes on %(date)s.") % {"what": what, "date": end})
    if end - today <= timedelta(days=reference.SUPPORT_WARNING_DAYS):
        return failed(
            _("%(what)s stops getting security fixes on %(date)s.") % {"what": what, "date": end},
            level=Level.WARNING,
        )
    return passed(_("%(what)s is supported until %(date)s.") % {"what": what, "date": end})


def _not_known_yet(what: str) -> Finding:
    # A release newer than the tables is most likely fine, but nothing here can say until deploycheck learns it.
    return failed(
        _(
            "%(what)s is not known to this version of deploycheck yet: its support dates cannot be checked. "
            "Upgrade deploycheck."
        )
        % {"what": what},
        level=Level.WARNING,
    )


@FAMILY.check(
    "release.django_support",
    title=_("The running Django still gets security fixes"),
    level=Level.ERROR,
    hint=_("Upgrade to a supported Django release, such as the current LTS."),
    doc="https://www.djangoproject.com/download/#supported-versions",
    requires=("release.environment",),
)
def check_django_support(facts: Facts) -> Finding:
    env: Environment = facts["release.environment"]
    series = env.django
    what = f"Django {dotted(series)}"
    if series > max(reference.DJANGO_SECURITY_SUPPORT):
        return _not_known_yet(what)
    entry = reference.DJANGO_SECURITY_SUPPORT.get(series)
    return _support(entry.ends if entry else None, env.today, what)


@FAMILY.check(
    "release.python_support",
    title=_("The running Python is supported upstream and by Heroku"),
    level=Level.ERROR,
    hint=_("Move to a supported Python: set it in .python-version (e.g. 3.13) and redeploy."),
    doc="https://devcenter.heroku.com/articles/python-support",
    requires=("release.environment",),
)
def check_python_support(facts: Facts) -> Finding | list[Finding]:
    env: Environment = facts["release.environment"]
    what = f"Python {dotted(env.python)}"
    if env.python > max(reference.PYTHON_UPSTREAM_SUPPORT):
        return _not_known_yet(what)
    entry = reference.PYTHON_UPSTREAM_SUPPORT.get(env.python)
    upstream = _support(entry.ends if entry else None, env.today, what)
    heroku = _heroku_python(env, what)
    problems = [finding for finding in (upstream, heroku) if finding and finding.status != Status.PASSED]
    return problems or upstream


def _heroku_python(env: Environment, what: str) -> Finding | None:
    """What Heroku's Python buildpack says of the running series, when it says something wrong."""
    entry = reference.HEROKU_PYTHON.get(env.python)
    if entry is None:
        if env.python > max(reference.HEROKU_PYTHON):
            return failed(
                _("%(what)s is not in this version of deploycheck's table of Heroku's Python buildpack yet.")
                % {"what": what},
                level=Level.WARNING,
            )
        return failed(_("Heroku's Python buildpack no longer supports %(what)s.") % {"what": what})
    status = entry.status_on(env.today)
    if status == "removed":
        return failed(_("Heroku's Python buildpack no longer supports %(what)s.") % {"what": what})
    if status == "deprecated" and entry.removed_on:
        return failed(
            _("Heroku's Python buildpack deprecated %(what)s and stops building it on %(date)s.")
            % {"what": what, "date": entry.removed_on},
            level=Level.WARNING,
        )
    if status == "deprecated":
        return failed(_("Heroku's Python buildpack deprecated %(what)s.") % {"what": what}, level=Level.WARNING)
    return None


@FAMILY.check(
    "release.proxy_ssl_header",
    title=_("HTTPS is detected behind Heroku's router"),
    level=Level.ERROR,
    hint=_('Set SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https").'),
    doc=DJANGO_DOCS + "ref/settings/#secure-proxy-ssl-header",
    requires=("release.environment", "settings.SECURE_PROXY_SSL_HEADER"),
)
def check_proxy_ssl_header(facts: Facts) -> Finding:
    env: Environment = facts["release.environment"]
    if not env.on_heroku:
        return skipped(_("Not running on Heroku."))
    header = facts["settings.SECURE_PROXY_SSL_HEADER"]
    if tuple(header or ()) != ("HTTP_X_FORWARDED_PROTO", "https"):
        return failed(
            _("SECURE_PROXY_SSL_HEADER is %(value)s: Django sees every request as HTTP, so HSTS is never sent.")
            % {"value": repr(header)}
        )
    return passed()


_SSL_MODES = frozenset({"require", "verify-ca", "verify-full"})


def _connection_problems(database: dict[str, Any], env: Environment) -> list[tuple[Message, int | None]]:
    """What Django would refuse (ERROR) or do badly (the check's level) with one database's settings."""
    problems: list[tuple[Message, int | None]] = []
    options = database.get("OPTIONS") or {}
    max_age = database.get("CONN_MAX_AGE", 0)
    checked = bool(database.get("CONN_HEALTH_CHECKS", False))
    if options.get("pool"):
        # Django's connection pool (psycopg 3): Django refuses persistent connections with it.
        if max_age != 0:
            message = _("a connection pool with CONN_MAX_AGE %(value)s, which Django refuses (a pool needs 0)")
            problems.append((message % {"value": repr(max_age)}, Level.ERROR))
        if env.psycopg != 3:
            problems.append((_("a connection pool without psycopg 3, which Django's pool needs"), Level.ERROR))
        elif not env.psycopg_pool:
            problems.append((_("a connection pool without the psycopg_pool package (psycopg[pool])"), Level.ERROR))
        if not checked:
            problems.append((_("pooled connections handed out unchecked (CONN_HEALTH_CHECKS is off)"), None))
    elif max_age == 0:
        problems.append((_("a new connection for every request (CONN_MAX_AGE is 0)"), None))
    elif not checked:
        problems.append((_("persistent connections without health checks"), None))
    if options.get("sslmode") not in _SSL_MODES:
        problems.append((_("SSL not required"), None))
    return problems


@FAMILY.check(
    "release.database_settings",
    title=_("Heroku Postgres connections are reused, checked and encrypted"),
    level=Level.WARNING,
    hint=_("Use dj_database_url.config(conn_max_age=600, conn_health_checks=True, ssl_require=True)."),
    doc="https://devcenter.heroku.com/articles/connecting-heroku-postgres#connecting-in-python",
    requires=("release.environment", "settings.DATABASES"),
)
def check_database_settings(facts: Facts) -> Finding | list[Finding]:
    """Each problem of each PostgreSQL database: a pooled one by the pool's rules, a persistent one by
    CONN_MAX_AGE and CONN_HEALTH_CHECKS, every one by its SSL mode."""
    env: Environment = facts["release.environment"]
    if not env.on_heroku:
        return skipped(_("Not running on Heroku."))
    databases: dict[str, dict[str, Any]] = facts["settings.DATABASES"] or {}
    postgres = {alias: database for alias, database in databases.items() if "postgresql" in database.get("ENGINE", "")}
    if not postgres:
        return skipped(_("No PostgreSQL database is configured."))
    pool_hint = _(
        "With OPTIONS['pool'], set CONN_MAX_AGE to 0 and CONN_HEALTH_CHECKS to True, and install psycopg[pool]."
    )
    return [
        failed(
            _("Database %(alias)s: %(problems)s.") % {"alias": alias, "problems": problem},
            level=level,
            hint=pool_hint if (database.get("OPTIONS") or {}).get("pool") else None,
            obj=alias,
        )
        for alias, database in sorted(postgres.items())
        for problem, level in _connection_problems(database, env)
    ] or passed()


_TABLES = {
    "django": _("Django support dates"),
    "python": _("Python support dates"),
    "heroku_python": _("Heroku's Python versions"),
    "lock_files": _("the package manager files Heroku reads"),
    "heroku": _("Heroku's stacks, dyno sizes, Postgres plans and add-ons"),
}


@FAMILY.check(
    "release.reference_data",
    title=_("deploycheck's reference tables are recent"),
    level=Level.WARNING,
    hint=_("Upgrade deploycheck: each release brings its reference tables up to date."),
    doc="https://github.com/weareone/django-deploycheck/blob/main/CHANGELOG.md",
    requires=("release.environment",),
)
def check_reference_data(facts: Facts) -> Finding:
    """Tables of support dates, stacks and plans age: a check that trusts an old one misses what changed since."""
    env: Environment = facts["release.environment"]
    limit = reference.REFERENCE_MAX_AGE_DAYS
    dates = reference.table_dates()
    old = [
        _("%(table)s (true on %(date)s)") % {"table": _TABLES.get(name, name), "date": day.isoformat()}
        for name, day in sorted(dates.items(), key=lambda item: (item[1], item[0]))
        if (env.today - day).days > limit
    ]
    if old:
        return failed(
            _(
                "deploycheck's reference tables are more than %(days)d days old: %(tables)s. "
                "Upgrading deploycheck refreshes them."
            )
            % {"days": limit, "tables": joined(old)}
        )
    return passed(_("The oldest reference table was true on %(date)s.") % {"date": min(dates.values()).isoformat()})
