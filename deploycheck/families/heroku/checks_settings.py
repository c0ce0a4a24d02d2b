"""The ``heroku`` family's checks of the project's settings against each app: hosts and static files.

Only deploycheck sees both sides: the domains Heroku routes to the app and the ALLOWED_HOSTS that
Django checks them against; the config vars Heroku's build reads and the settings that make the
static files it collects reachable. Declared on the family of deploycheck.families.heroku.family;
deploycheck.families.heroku.checks imports this module so that the catalogue finds these checks.
"""

from __future__ import annotations

from typing import Any

from django.http.request import split_domain_port, validate_host

from deploycheck.core.check import Finding, error, failed, passed, skipped
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import later as _
from deploycheck.core.deferred_text import plural_later as ngettext
from deploycheck.families.heroku.family import ANY_APP, FAMILY, AppFacts
from deploycheck.families.heroku.gather import ResourceError
from deploycheck.families.heroku.resources import ConfigVars
from deploycheck.families.release.gather import StaticStorage

SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
WHITENOISE_MIDDLEWARE = "whitenoise.middleware.WhiteNoiseMiddleware"


def _served_hostnames(app: AppFacts) -> list[str]:
    # With custom domains, those are the site; without, the app's herokuapp.com domain is.
    domains = app.custom_domains() or [domain for domain in app["domains"] if domain["kind"] == "heroku"]
    return sorted(domain["hostname"] for domain in domains if domain["hostname"])


def _accepts(allowed: list[str], hostname: str) -> bool:
    # A wildcard domain (*.example.com) is accepted when any of its subdomains is; the host is
    # then reduced as HttpRequest.get_host() reduces it (no trailing dot).
    host = "deploycheck-any-subdomain" + hostname[1:] if hostname.startswith("*.") else hostname
    return validate_host(split_domain_port(host)[0], allowed)


@FAMILY.check(
    "heroku.allowed_hosts",
    title=_("ALLOWED_HOSTS accepts each of the app's domains, and is not '*'"),
    level=Level.ERROR,
    hint=_(
        "List the domains of `heroku domains -a %(app)s` in ALLOWED_HOSTS, for example from a config var, "
        "rather than '*'."
    )
    % ANY_APP,
    doc="custom-domains",
    needs=("domains",),
    requires=("settings.ALLOWED_HOSTS",),
)
def check_allowed_hosts(app: AppFacts) -> Finding | list[Finding]:
    allowed = [str(host) for host in app.fact("settings.ALLOWED_HOSTS") or ()]
    hostnames = _served_hostnames(app)
    findings = [
        failed(
            _("Django answers 400 Bad Request to %(domain)s: ALLOWED_HOSTS does not accept it.") % {"domain": hostname},
            obj=hostname,
        )
        for hostname in hostnames
        if not _accepts(allowed, hostname)
    ]
    if "*" in allowed:
        findings.append(
            failed(
                _("ALLOWED_HOSTS is '*': Django accepts any Host header, and cannot refuse a forged one."),
                level=Level.WARNING,
                obj="*",
            )
        )
    if findings:
        return findings
    return passed(
        ngettext(
            "ALLOWED_HOSTS accepts the app's %(count)d domain.",
            "ALLOWED_HOSTS accepts the app's %(count)d domains.",
            len(hostnames),
        )
        % {"count": len(hostnames)}
    )


def _is_cdn(static_url: Any) -> bool:
    return isinstance(static_url, str) and static_url.startswith(("https://", "http://", "//"))


def _serving_problem(middleware: list[str], static_url: Any) -> Finding | None:
    if WHITENOISE_MIDDLEWARE in middleware:
        position = middleware.index(WHITENOISE_MIDDLEWARE)
        if position == 0 or middleware[position - 1] != SECURITY_MIDDLEWARE:
            return failed(
                _(
                    "WhiteNoiseMiddleware is not right after SecurityMiddleware: "
                    "other middleware handle every static file first."
                ),
                level=Level.WARNING,
                hint=_("Move `%(middleware)s` to just after `%(security)s` in MIDDLEWARE.")
                % {"middleware": WHITENOISE_MIDDLEWARE, "security": SECURITY_MIDDLEWARE},
                obj="MIDDLEWARE",
            )
        return None
    if _is_cdn(static_url):
        return None
    return failed(
        _(
            "Nothing serves the static files: Django does not once DEBUG is off, WhiteNoise is not in "
            "MIDDLEWARE and STATIC_URL (%(url)s) is not a CDN's address."
        )
        % {"url": static_url or ""},
        hint=_("Add `%(middleware)s` to MIDDLEWARE, right after `%(security)s`, or point STATIC_URL at a CDN.")
        % {"middleware": WHITENOISE_MIDDLEWARE, "security": SECURITY_MIDDLEWARE},
        obj="MIDDLEWARE",
    )


@FAMILY.check(
    "heroku.static_files",
    title=_("Static files are collected at build and served"),
    level=Level.ERROR,
    hint=_("Set STATIC_ROOT, serve the files with WhiteNoise or a CDN, and store them under hashed names."),
    doc="django-assets",
    # Only DISABLE_COLLECTSTATIC is read from the config vars: a token that cannot read them
    # still lets the settings be judged.
    optional=("config_vars",),
    requires=(
        "settings.INSTALLED_APPS",
        "settings.STATIC_ROOT",
        "settings.STATIC_URL",
        "settings.MIDDLEWARE",
        "release.static_files_storage",
    ),
)
def check_static_files(app: AppFacts) -> Finding | list[Finding]:
    if "django.contrib.staticfiles" not in (app.fact("settings.INSTALLED_APPS") or ()):
        return skipped(_("django.contrib.staticfiles is not installed."))
    findings = []
    if not app.fact("settings.STATIC_ROOT"):
        findings.append(
            failed(
                _("STATIC_ROOT is not set: the collectstatic that Heroku's build runs fails without it."),
                hint=_('Set STATIC_ROOT, for example to `BASE_DIR / "staticfiles"`.'),
                obj="STATIC_ROOT",
            )
        )
    serving = _serving_problem(list(app.fact("settings.MIDDLEWARE") or ()), app.fact("settings.STATIC_URL"))
    if serving is not None:
        findings.append(serving)
    storage: StaticStorage = app.fact("release.static_files_storage")
    if not storage.manifest:
        findings.append(
            failed(
                _(
                    "The static files storage %(backend)s keeps file names unchanged: browsers and CDNs go on "
                    "serving old CSS and JavaScript after a deploy."
                )
                % {"backend": storage.backend or _("(none)")},
                level=Level.WARNING,
                hint=_("Use a manifest storage, such as `whitenoise.storage.CompressedManifestStaticFilesStorage`."),
                obj="STORAGES",
            )
        )
    config: ConfigVars | ResourceError = app["config_vars"]
    if isinstance(config, ResourceError):
        # What the settings show stands; what the config vars would show is said not evaluated.
        return [*findings, error(config.reason)]
    if "DISABLE_COLLECTSTATIC" in config.names:
        findings.append(
            failed(
                _("DISABLE_COLLECTSTATIC is set on the app: Heroku's build does not collect the static files."),
                level=Level.WARNING,
                hint=_(
                    "Unset it (`heroku config:unset DISABLE_COLLECTSTATIC -a %(app)s`) "
                    "unless another step collects the files."
                ),
                obj="DISABLE_COLLECTSTATIC",
            )
        )
    return findings or passed()
