"""The ``release`` family's Content Security Policy check: the policy the settings build.

On Django 6.0 and later, ``django.middleware.csp.ContentSecurityPolicyMiddleware`` sends
``SECURE_CSP`` (and ``SECURE_CSP_REPORT_ONLY``); on earlier versions django-csp 4's
``CSPMiddleware`` sends ``CONTENT_SECURITY_POLICY`` (and ``..._REPORT_ONLY``), whose
``DIRECTIVES`` start from ``default-src 'self'``. Judged by deploycheck.core.csp, as
``http.content_security_policy`` judges the header the live site sends. Django's own CSP checks
(``security.check_csp_settings``) say whether the settings are well formed; this says whether
the policy protects. deploycheck.families.release.checks imports this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from packaging.version import InvalidVersion, Version

from deploycheck.core import csp
from deploycheck.core.check import Facts, Finding, failed, passed, skipped
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import later as _
from deploycheck.families.release.family import DJANGO_DOCS, FAMILY, dotted
from deploycheck.families.release.gather import Environment

DJANGO_MIDDLEWARE = "django.middleware.csp.ContentSecurityPolicyMiddleware"
DJANGO_CSP_MIDDLEWARES = ("csp.middleware.CSPMiddleware", "csp.contrib.rate_limiting.RateLimitedCSPMiddleware")
SETTINGS = (
    "settings.MIDDLEWARE",
    "settings.SECURE_CSP",
    "settings.SECURE_CSP_REPORT_ONLY",
    "settings.CONTENT_SECURITY_POLICY",
    "settings.CONTENT_SECURITY_POLICY_REPORT_ONLY",
)


class Machinery(NamedTuple):
    """One middleware that sends a policy, and the settings it builds it from."""

    middleware: str
    setting: str
    enforced: Mapping[str, Any]
    report_only: Mapping[str, Any]


def _django_csp_directives(config: Any) -> Mapping[str, Any]:
    """django-csp 4's directives for one of its settings; empty when it sends no policy."""
    if not config or not isinstance(config, Mapping):
        return {}
    # django-csp starts every policy from default-src 'self' (None there removes it).
    return {"default-src": ["'self'"], **(config.get("DIRECTIVES") or {})}


def _directives(config: Any) -> Mapping[str, Any]:
    return config if isinstance(config, Mapping) else {}


def _old_django_csp(version: str) -> bool:
    try:
        return Version(version) < Version("4.0a1")
    except InvalidVersion:
        return False


def _no_machinery(facts: Facts, env: Environment) -> Finding:
    """No middleware sends a policy: say what is there, and how to add one."""
    if env.django >= (6, 0):
        if facts["settings.SECURE_CSP"] or facts["settings.SECURE_CSP_REPORT_ONLY"]:
            return failed(
                _("SECURE_CSP is set, but %(middleware)s is not in MIDDLEWARE: no policy is sent.")
                % {"middleware": DJANGO_MIDDLEWARE}
            )
        return failed(
            _("No Content Security Policy: add %(middleware)s to MIDDLEWARE and set SECURE_CSP.")
            % {"middleware": DJANGO_MIDDLEWARE}
        )
    if env.django_csp is not None:
        return failed(
            _("No Content Security Policy: django-csp is installed, but %(middleware)s is not in MIDDLEWARE.")
            % {"middleware": DJANGO_CSP_MIDDLEWARES[0]}
        )
    if facts["settings.SECURE_CSP"]:
        return failed(
            _("SECURE_CSP has no effect on Django %(version)s: Django sends it from version 6.0.")
            % {"version": dotted(env.django)}
        )
    return failed(
        _(
            "No Content Security Policy: Django %(version)s has none built in and django-csp is not installed. "
            "Install django-csp (CSPMiddleware, CONTENT_SECURITY_POLICY), or upgrade to Django 6.0 or later "
            "(ContentSecurityPolicyMiddleware, SECURE_CSP)."
        )
        % {"version": dotted(env.django)}
    )


@FAMILY.check(
    "release.content_security_policy",
    title=_("The settings send an enforced Content Security Policy that keeps untrusted scripts out"),
    level=Level.WARNING,
    hint=_(
        "On Django 6.0+, add ContentSecurityPolicyMiddleware and set SECURE_CSP; on Django 5.2, install "
        "django-csp and set CONTENT_SECURITY_POLICY. Keep 'unsafe-inline', 'unsafe-eval', * and bare schemes "
        "out of script-src (and default-src); allow inline scripts by nonce."
    ),
    doc=DJANGO_DOCS + "ref/csp/",
    requires=("release.environment", *SETTINGS),
)
def check_content_security_policy(facts: Facts) -> Finding | list[Finding]:
    env: Environment = facts["release.environment"]
    middleware = set(facts["settings.MIDDLEWARE"] or ())
    machinery = []
    if env.django >= (6, 0) and DJANGO_MIDDLEWARE in middleware:
        enforced, report_only = facts["settings.SECURE_CSP"], facts["settings.SECURE_CSP_REPORT_ONLY"]
        machinery.append(Machinery(DJANGO_MIDDLEWARE, "SECURE_CSP", _directives(enforced), _directives(report_only)))
    for name in DJANGO_CSP_MIDDLEWARES:
        if name in middleware:
            if env.django_csp is not None and _old_django_csp(env.django_csp):
                return skipped(
                    _(
                        "django-csp %(version)s reads the CSP_* settings of its versions before 4.0, which are "
                        "not judged here; upgrade it to 4.0 or later. http.content_security_policy judges "
                        "the header the site sends."
                    )
                    % {"version": env.django_csp}
                )
            enforced = facts["settings.CONTENT_SECURITY_POLICY"]
            report_only = facts["settings.CONTENT_SECURITY_POLICY_REPORT_ONLY"]
            machinery.append(
                Machinery(
                    name,
                    "CONTENT_SECURITY_POLICY",
                    _django_csp_directives(enforced),
                    _django_csp_directives(report_only),
                )
            )
    if not machinery:
        return _no_machinery(facts, env)
    enforcing = [each for each in machinery if each.enforced]
    if not enforcing:
        reporting = [each for each in machinery if each.report_only]
        if reporting:
            return failed(csp.only_reported(f"{reporting[0].setting}_REPORT_ONLY"))
        return failed(
            _("%(middleware)s is in MIDDLEWARE, but %(setting)s is empty: no policy is sent.")
            % {"middleware": machinery[0].middleware, "setting": machinery[0].setting}
        )
    findings = []
    for each in enforcing:
        weaknesses = csp.script_weaknesses(csp.policy_from_settings(each.enforced))
        if weaknesses:
            findings.append(failed(csp.lets_in(each.setting, weaknesses), obj=each.setting))
    return findings or passed(_("%(setting)s is enforced.") % {"setting": ", ".join(e.setting for e in enforcing)})
