"""The ``release`` family: what `check --deploy` does not look at but breaks deploys all the same.

Migrations written and applied, versions still supported, requirements pinned and installed as
pinned, the interpreter the project asks for, and the settings Heroku's router and Heroku
Postgres need. Each check is a pure function of the gathered ``release.*`` and ``settings.*`` facts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from deploycheck.checks.base import Facts, Finding, error, failed, passed, shortened_list, skipped
from deploycheck.checks.family import Family
from deploycheck.choices import Level, Status
from deploycheck.release import reference
from deploycheck.release.gather import Environment, Requirements, VersionFile, gather_release
from deploycheck.text import Message, joined
from deploycheck.text import later as _
from deploycheck.text import plural_later as ngettext

FAMILY = Family("release", tags={"deploy"}, providers={"release": gather_release})

DJANGO_DOCS = "https://docs.djangoproject.com/en/stable/"


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
    newest = max(reference.DJANGO_SECURITY_SUPPORT)
    if series > newest:
        return passed(_("Django %(version)s is newer than the support table.") % {"version": _dotted(series)})
    end = reference.DJANGO_SECURITY_SUPPORT.get(series)
    return _support(end, env.today, f"Django {_dotted(series)}")


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
    what = f"Python {_dotted(env.python)}"
    if env.python > max(reference.PYTHON_UPSTREAM_SUPPORT):
        upstream = passed(_("%(what)s is newer than the support table.") % {"what": what})
    else:
        upstream = _support(reference.PYTHON_UPSTREAM_SUPPORT.get(env.python), env.today, what)
    if upstream.status != Status.PASSED:
        return upstream
    if env.python in reference.HEROKU_PYTHON_DEPRECATED:
        return failed(_("Heroku's Python buildpack deprecated %(what)s.") % {"what": what}, level=Level.WARNING)
    if env.python not in reference.HEROKU_PYTHON_SUPPORTED and env.python < max(reference.HEROKU_PYTHON_SUPPORTED):
        return failed(_("Heroku's Python buildpack no longer supports %(what)s.") % {"what": what})
    return upstream


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


@FAMILY.check(
    "release.requirements_pinned",
    title=_("Every top-level requirement is pinned"),
    level=Level.WARNING,
    hint=_("Pin exact versions (package==1.2.3), or commit a lock file (uv.lock, poetry.lock)."),
    doc="https://devcenter.heroku.com/articles/python-dependencies-via-pip",
    requires=("release.requirements",),
)
def check_requirements_pinned(facts: Facts) -> Finding | list[Finding]:
    found: Requirements = facts["release.requirements"]
    if found.lock_file:
        return passed(_("%(file)s pins every dependency.") % {"file": found.lock_file})
    if found.source is None:
        return skipped(_("No requirements.txt or lock file in the project root."))
    loose = [requirement for requirement in found.requirements if requirement.pinned_version is None]
    return [
        failed(_("Not pinned: %(line)s") % {"line": requirement.line}, obj=requirement.name) for requirement in loose
    ] or passed(
        ngettext("%(count)d requirement pinned.", "%(count)d requirements pinned.", len(found.requirements))
        % {"count": len(found.requirements)}
    )


@FAMILY.check(
    "release.requirements_drift",
    title=_("Installed packages match their pins"),
    level=Level.WARNING,
    hint=_("Reinstall from the pins (pip install -r requirements.txt) or update the pins."),
    doc="https://devcenter.heroku.com/articles/python-dependencies-via-pip",
    requires=("release.requirements",),
)
def check_requirements_drift(facts: Facts) -> Finding | list[Finding]:
    found: Requirements = facts["release.requirements"]
    pinned = [requirement for requirement in found.requirements if requirement.pinned_version]
    if not pinned:
        return skipped(_("No pinned requirement to compare with."))
    findings = []
    for requirement in pinned:
        installed = found.installed.get(requirement.name)
        if installed != requirement.pinned_version:
            findings.append(
                failed(
                    _("%(name)s is pinned to %(pinned)s but %(installed)s is installed.")
                    % {
                        "name": requirement.name,
                        "pinned": requirement.pinned_version,
                        "installed": installed or _("nothing"),
                    },
                    obj=requirement.name,
                )
            )
    return findings or passed()


@FAMILY.check(
    "release.python_version_file",
    title=_(".python-version names the running Python"),
    level=Level.WARNING,
    hint=_("Write the running version's major.minor (e.g. 3.13) to .python-version and commit it."),
    doc="https://devcenter.heroku.com/articles/python-runtimes",
    requires=("release.python_version_file", "release.environment"),
)
def check_python_version_file(facts: Facts) -> Finding:
    version_file: VersionFile = facts["release.python_version_file"]
    env: Environment = facts["release.environment"]
    running = _dotted(env.python)
    if version_file.name is None:
        return failed(_("Neither .python-version nor runtime.txt: Heroku picks its default Python."))
    value = (version_file.value or "").removeprefix("python-")
    if version_file.name == "runtime.txt":
        return failed(_("runtime.txt is deprecated: move %(value)s to .python-version.") % {"value": value})
    if value != running and not value.startswith(running + "."):
        return failed(
            _("%(file)s asks for Python %(value)s but %(running)s is running.")
            % {"file": version_file.name, "value": value or "?", "running": running}
        )
    return passed(value)


def _on_heroku(facts: Facts) -> bool:
    env: Environment = facts["release.environment"]
    return env.on_heroku


@FAMILY.check(
    "release.proxy_ssl_header",
    title=_("HTTPS is detected behind Heroku's router"),
    level=Level.ERROR,
    hint=_('Set SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https").'),
    doc=DJANGO_DOCS + "ref/settings/#secure-proxy-ssl-header",
    requires=("release.environment", "settings.SECURE_PROXY_SSL_HEADER"),
)
def check_proxy_ssl_header(facts: Facts) -> Finding:
    if not _on_heroku(facts):
        return skipped(_("Not running on Heroku."))
    header = facts["settings.SECURE_PROXY_SSL_HEADER"]
    if tuple(header or ()) != ("HTTP_X_FORWARDED_PROTO", "https"):
        return failed(
            _("SECURE_PROXY_SSL_HEADER is %(value)s: Django sees every request as HTTP, so HSTS is never sent.")
            % {"value": repr(header)}
        )
    return passed()


@FAMILY.check(
    "release.database_settings",
    title=_("Heroku Postgres connections are persistent, checked and encrypted"),
    level=Level.WARNING,
    hint=_("Use dj_database_url.config(conn_max_age=600, conn_health_checks=True, ssl_require=True)."),
    doc="https://devcenter.heroku.com/articles/connecting-heroku-postgres#connecting-in-python",
    requires=("release.environment", "settings.DATABASES"),
)
def check_database_settings(facts: Facts) -> Finding | list[Finding]:
    if not _on_heroku(facts):
        return skipped(_("Not running on Heroku."))
    databases: dict[str, dict[str, Any]] = facts["settings.DATABASES"] or {}
    postgres = {alias: database for alias, database in databases.items() if "postgresql" in database.get("ENGINE", "")}
    if not postgres:
        return skipped(_("No PostgreSQL database is configured."))
    findings = []
    for alias, database in sorted(postgres.items()):
        problems: list[Message | str] = []
        if database.get("CONN_MAX_AGE", 0) == 0:
            problems.append(_("a new connection for every request (CONN_MAX_AGE is 0)"))
        elif not database.get("CONN_HEALTH_CHECKS", False):
            problems.append(_("persistent connections without health checks"))
        if (database.get("OPTIONS") or {}).get("sslmode") not in {"require", "verify-ca", "verify-full"}:
            problems.append(_("SSL not required"))
        if problems:
            findings.append(
                failed(
                    _("Database %(alias)s: %(problems)s.") % {"alias": alias, "problems": joined(problems, "; ")},
                    obj=alias,
                )
            )
    return findings or passed()
