"""Content Security Policy: the one judgement (deploycheck.core.csp) and the settings check built on it."""

from __future__ import annotations

from datetime import date
from typing import Any

import django
import pytest
from django.utils import translation

from deploycheck import runner
from deploycheck.core import csp
from deploycheck.core.check import Facts
from deploycheck.core.choices import Level, Status
from deploycheck.families.release import checks_csp as release_csp
from deploycheck.families.release.family import FAMILY
from deploycheck.families.release.gather import Environment
from tests.families.findings import PASS, as_list, statuses


def kinds(policy: str) -> list[str]:
    return [weakness.kind for weakness in csp.shared_script_weaknesses(csp.parse_header(policy))]


# The parser.


def test_a_policy_is_read_as_browsers_read_it():
    policy = csp.parse_policy(" Default-Src 'self' ;script-src 'self' https://cdn.example; ; script-src *; sandbox")
    assert policy.directives == {
        "default-src": ("'self'",),
        "script-src": ("'self'", "https://cdn.example"),  # a repeated directive is ignored
        "sandbox": (),
    }


def test_a_header_may_hold_several_policies():
    policies = csp.parse_header("default-src 'self', script-src 'unsafe-inline' ,")
    assert [policy.directives for policy in policies] == [
        {"default-src": ("'self'",)},
        {"script-src": ("'unsafe-inline'",)},
    ]


# The judgement of scripts, rule by rule.


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("default-src 'self'", []),
        ("default-src 'none'", []),
        ("script-src 'self' https://cdn.example.com", []),
        ("script-src 'self' *.example.com", []),
        ("img-src *; frame-ancestors 'none'", [csp.NO_SCRIPT_RULE]),
        ("", [csp.NO_SCRIPT_RULE]),
        ("default-src 'self' 'unsafe-inline'", [csp.UNSAFE_INLINE]),
        ("script-src 'self' 'UNSAFE-INLINE'", [csp.UNSAFE_INLINE]),
        # A nonce, a hash or 'strict-dynamic' beside it makes browsers ignore 'unsafe-inline'.
        ("script-src 'unsafe-inline' 'nonce-r4nd0m'", []),
        ("script-src 'unsafe-inline' 'sha256-abc='", []),
        ("script-src 'unsafe-inline' 'sha512-abc='", []),
        ("script-src 'unsafe-inline' 'strict-dynamic'", []),
        ("script-src 'self' 'unsafe-eval'", [csp.UNSAFE_EVAL]),
        ("script-src 'nonce-r4nd0m' 'unsafe-eval'", [csp.UNSAFE_EVAL]),
        ("script-src 'self' 'wasm-unsafe-eval'", []),
        ("script-src *", [csp.ANY_HOST]),
        ("script-src https://*", [csp.ANY_HOST]),
        ("default-src 'self' https:", [csp.ANY_HOST_ON_SCHEME]),
        ("script-src 'self' http: data:", [csp.ANY_HOST_ON_SCHEME]),
        # 'strict-dynamic' makes browsers ignore hosts and schemes: the usual fallback for old browsers.
        ("script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'unsafe-inline'", []),
        (
            "script-src * 'unsafe-inline' 'unsafe-eval' data:",
            ["unsafe_inline", "unsafe_eval", "any_host", "any_host_on_scheme"],
        ),
        # script-src wins over default-src, in both directions.
        ("default-src *; script-src 'self'", []),
        ("default-src 'self'; script-src 'self' 'unsafe-inline'", [csp.UNSAFE_INLINE]),
    ],
)
def test_script_rules(policy, expected):
    assert kinds(policy) == expected


def test_several_policies_let_a_script_in_only_when_all_of_them_do():
    assert kinds("script-src 'unsafe-inline' 'unsafe-eval', script-src 'self' 'unsafe-eval'") == [csp.UNSAFE_EVAL]
    assert kinds("script-src *, default-src 'self'") == []
    assert kinds("img-src 'self', script-src https:") == [csp.ANY_HOST_ON_SCHEME]


def test_a_weakness_says_where_and_what():
    [weakness] = csp.script_weaknesses(csp.parse_policy("default-src 'self' https: data:"))
    assert weakness == csp.Weakness(csp.ANY_HOST_ON_SCHEME, "default-src", ("https:", "data:"))
    message = csp.lets_in(
        "Content-Security-Policy", csp.script_weaknesses(csp.parse_policy("script-src * 'unsafe-eval'"))
    )
    assert str(message) == (
        "Content-Security-Policy lets in code built from strings through 'unsafe-eval' in script-src; "
        "scripts from any host through * in script-src."
    )
    with translation.override("fr"):
        assert " dans script-src ; les scripts de n'importe quel hôte" in str(message)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("default-src 'self'", None),
        ("frame-ancestors 'none'", (True, "frame-ancestors 'none'")),
        ("frame-ancestors 'self' https://partner.example", (True, "frame-ancestors 'self' https://partner.example")),
        ("frame-ancestors *", (False, "frame-ancestors *")),
        ("frame-ancestors https:", (False, "frame-ancestors https:")),
        ("frame-ancestors 'self' https://*", (False, "frame-ancestors 'self' https://*")),
        # default-src is no fallback for frame-ancestors.
        ("default-src 'none'", None),
        # One closed policy is enough: framing needs every policy's consent.
        ("frame-ancestors *, frame-ancestors 'none'", (True, "frame-ancestors 'none'")),
    ],
)
def test_frame_ancestors(header, expected):
    assert csp.frame_ancestors(csp.parse_header(header)) == expected


def test_a_policy_from_settings_is_built_as_the_middlewares_build_it():
    class Nonce:  # django-csp's csp.constants.NONCE is an instance of a class of this name
        pass

    policy = csp.policy_from_settings(
        {
            "default-src": ["'self'"],
            "script-src": ["'self'", "'unsafe-inline'", csp.DJANGO_NONCE_SENTINEL],
            "style-src": ("'self'", Nonce()),
            "img-src": {"data:", "'self'"},
            "connect-src": "'self' https://api.example",
            "upgrade-insecure-requests": True,
            "block-all-mixed-content": False,
            "report-uri": None,
        }
    )
    assert policy.directives == {
        "default-src": ("'self'",),
        "script-src": ("'self'", "'unsafe-inline'", csp.NONCE_PLACEHOLDER),
        "style-src": ("'self'", csp.NONCE_PLACEHOLDER),
        "img-src": ("'self'", "data:"),
        "connect-src": ("'self'", "https://api.example"),
        "upgrade-insecure-requests": (),
    }
    # The nonce the middleware adds keeps 'unsafe-inline' from counting.
    assert csp.script_weaknesses(policy) == []


# The settings check: release.content_security_policy.


DJANGO_CSP = "django.middleware.csp.ContentSecurityPolicyMiddleware"
DJANGO_CSP_PACKAGE = "csp.middleware.CSPMiddleware"


def settings_facts(django_version=(6, 0), django_csp: str | None = None, **settings: Any) -> Facts:
    environment = Environment((3, 12), django_version, True, date(2026, 6, 1), django_csp=django_csp)
    values: dict[str, Any] = dict.fromkeys(release_csp.SETTINGS)
    values["settings.MIDDLEWARE"] = ["django.middleware.security.SecurityMiddleware"]
    values.update({f"settings.{name}": value for name, value in settings.items()})
    return Facts({"release.environment": environment, **values})


def judged(facts: Facts) -> list[tuple[Status, int | None, str]]:
    return [(f.status, f.level, str(f.message)) for f in as_list(release_csp.check_content_security_policy(facts))]


def test_the_check_reads_the_settings_of_both_machineries():
    [check] = [check for check in FAMILY.checks if check.id == "release.content_security_policy"]
    assert set(check.requires) == {"release.environment", *release_csp.SETTINGS}
    assert check.level == Level.WARNING


def test_django_5_2_without_django_csp_has_no_policy_and_is_told_how_to_get_one():
    [(status, level, message)] = judged(settings_facts((5, 2)))
    assert (status, level) == (Status.FAILED, None)
    assert message == (
        "No Content Security Policy: Django 5.2 has none built in and django-csp is not installed. "
        "Install django-csp (CSPMiddleware, CONTENT_SECURITY_POLICY), or upgrade to Django 6.0 or later "
        "(ContentSecurityPolicyMiddleware, SECURE_CSP)."
    )
    [(_, _, message)] = judged(settings_facts((5, 2), SECURE_CSP={"default-src": ["'self'"]}))
    assert message == "SECURE_CSP has no effect on Django 5.2: Django sends it from version 6.0."
    # The built-in middleware's name means nothing to Django 5.2.
    assert statuses(release_csp.check_content_security_policy(settings_facts((5, 2), MIDDLEWARE=[DJANGO_CSP]))) == [
        (Status.FAILED, None)
    ]


def test_django_5_2_with_django_csp():
    [(_, _, message)] = judged(settings_facts((5, 2), "4.0"))
    assert (
        message
        == "No Content Security Policy: django-csp is installed, but csp.middleware.CSPMiddleware is not in MIDDLEWARE."
    )

    def with_policy(enforced: Any = None, report_only: Any = None, version: str = "4.0") -> Facts:
        return settings_facts(
            (5, 2),
            version,
            MIDDLEWARE=[DJANGO_CSP_PACKAGE],
            CONTENT_SECURITY_POLICY=enforced,
            CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only,
        )

    good = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "'unsafe-inline'", object()]}}
    # An object that is not django-csp's nonce is a source like any other: 'unsafe-inline' counts.
    assert statuses(release_csp.check_content_security_policy(with_policy(good))) == [(Status.FAILED, None)]
    # django-csp starts from default-src 'self': a policy of images only still keeps scripts in check.
    assert judged(with_policy({"DIRECTIVES": {"img-src": ["*"]}})) == [
        (Status.PASSED, None, "CONTENT_SECURITY_POLICY is enforced.")
    ]
    assert statuses(release_csp.check_content_security_policy(with_policy({"DIRECTIVES": {"default-src": None}}))) == [
        (Status.FAILED, None)
    ]
    [(status, _, message)] = judged(with_policy(None, {"DIRECTIVES": {"default-src": ["'self'"]}}))
    assert message == (
        "Only a report-only policy (CONTENT_SECURITY_POLICY_REPORT_ONLY): violations are reported, nothing is blocked."
    )
    [(status, _, message)] = judged(with_policy({}))
    assert (
        message
        == "csp.middleware.CSPMiddleware is in MIDDLEWARE, but CONTENT_SECURITY_POLICY is empty: no policy is sent."
    )
    [(status, _, message)] = judged(with_policy({"DIRECTIVES": {"script-src": ["'self'"]}}, version="3.8"))
    assert status == Status.SKIPPED
    assert message.startswith("django-csp 3.8 reads the CSP_* settings of its versions before 4.0")


def test_django_6_with_its_own_middleware():
    [(_, _, message)] = judged(settings_facts())
    assert message == (
        "No Content Security Policy: add django.middleware.csp.ContentSecurityPolicyMiddleware to MIDDLEWARE "
        "and set SECURE_CSP."
    )
    [(_, _, message)] = judged(settings_facts(SECURE_CSP={"default-src": ["'self'"]}))
    assert message == (
        "SECURE_CSP is set, but django.middleware.csp.ContentSecurityPolicyMiddleware is not in MIDDLEWARE: "
        "no policy is sent."
    )

    def with_policy(enforced: Any = None, report_only: Any = None) -> Facts:
        # Django 6.0's defaults are empty dicts.
        return settings_facts(
            MIDDLEWARE=[DJANGO_CSP], SECURE_CSP=enforced or {}, SECURE_CSP_REPORT_ONLY=report_only or {}
        )

    [(_, _, message)] = judged(with_policy())
    assert message.endswith("but SECURE_CSP is empty: no policy is sent.")
    [(_, _, message)] = judged(with_policy(report_only={"default-src": ["'self'"]}))
    assert message.startswith("Only a report-only policy (SECURE_CSP_REPORT_ONLY)")
    nonce = {"default-src": ["'self'"], "script-src": ["'self'", "'unsafe-inline'", csp.DJANGO_NONCE_SENTINEL]}
    assert statuses(release_csp.check_content_security_policy(with_policy(nonce))) == PASS
    [(status, level, message)] = judged(with_policy({"default-src": ["'self'", "'unsafe-inline'", "https:"]}))
    assert (status, level) == (Status.FAILED, None)
    assert message == (
        "SECURE_CSP lets in inline scripts through 'unsafe-inline' in default-src, with no nonce or hash; "
        "scripts from any host of a scheme through https: in default-src."
    )
    # The report-only policy is not judged when an enforced one is sent.
    mixed = with_policy({"script-src": ["'self'"]}, {"script-src": ["*"]})
    assert statuses(release_csp.check_content_security_policy(mixed)) == PASS
    assert statuses(release_csp.check_content_security_policy(with_policy({"img-src": ["'self'"]}))) == [
        (Status.FAILED, None)
    ]


def test_both_machineries_are_judged_apart():
    facts = settings_facts(
        (6, 0),
        "4.0",
        MIDDLEWARE=[DJANGO_CSP, DJANGO_CSP_PACKAGE],
        SECURE_CSP={"default-src": ["'self'"]},
        CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'unsafe-eval'"]}},
    )
    findings = as_list(release_csp.check_content_security_policy(facts))
    assert [(f.status, f.obj) for f in findings] == [(Status.FAILED, "CONTENT_SECURITY_POLICY")]


# Through the runner, with this process's real settings and Django version.


@pytest.mark.django_db
def test_through_the_runner(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE]
    report = runner.execute(check_ids=["release.content_security_policy"], save=False)
    [result] = report.results
    assert result.status == Status.FAILED
    if django.VERSION >= (6, 0):
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, DJANGO_CSP]
        settings.SECURE_CSP = {"default-src": ["'self'"], "script-src": ["'self'", "'unsafe-eval'"]}
        [result] = runner.execute(check_ids=["release.content_security_policy"], save=False).results
        assert str(result.message) == "SECURE_CSP lets in code built from strings through 'unsafe-eval' in script-src."
        settings.SECURE_CSP = {"default-src": ["'self'"]}
        [result] = runner.execute(check_ids=["release.content_security_policy"], save=False).results
        assert result.status == Status.PASSED
    else:
        assert "django-csp is not installed" in str(result.message) or "django-csp is installed" in str(result.message)
    with translation.override("fr"):
        assert str(result.message)


# The settings judged as the header their middleware builds from them is judged.

CONFIGS = [
    {"default-src": ["'self'"]},
    {"img-src": ["*"]},
    {"default-src": ["'self'", "'unsafe-inline'"]},
    {"script-src": ["'self'", "'unsafe-inline'", "NONCE"]},
    {"script-src": ["'strict-dynamic'", "NONCE", "https:"], "object-src": ["'none'"]},
    {"script-src": ["*", "'unsafe-eval'"], "default-src": ["'none'"]},
    {"default-src": None, "img-src": ["'self'"]},
    {"default-src": ["'self'", "data:"], "upgrade-insecure-requests": True},
]


def _with_nonce(config: dict[str, Any], nonce: Any) -> dict[str, Any]:
    return {
        name: [nonce if source == "NONCE" else source for source in value] if isinstance(value, list) else value
        for name, value in config.items()
    }


def _header_kinds(header: str) -> list[str]:
    return [weakness.kind for weakness in csp.shared_script_weaknesses(csp.parse_header(header))]


@pytest.mark.parametrize("config", CONFIGS)
def test_django_csp_settings_are_judged_as_the_header_it_sends(config):
    utils = pytest.importorskip("csp.utils")
    constants = pytest.importorskip("csp.constants")
    directives = _with_nonce(config, constants.NONCE)
    header = utils.build_policy(config=utils.default_config(directives), nonce="r4nd0m")
    from_settings = release_csp._django_csp_directives({"DIRECTIVES": directives})
    assert [w.kind for w in csp.script_weaknesses(csp.policy_from_settings(from_settings))] == _header_kinds(header)


@pytest.mark.skipif(django.VERSION < (6, 0), reason="SECURE_CSP came with Django 6.0")
@pytest.mark.parametrize("config", CONFIGS)
def test_secure_csp_is_judged_as_the_header_django_sends(config):
    from django.utils.csp import CSP, build_policy  # type: ignore[import-not-found,unused-ignore]

    directives = _with_nonce(config, CSP.NONCE)
    header = build_policy(directives, nonce="r4nd0m")
    assert [w.kind for w in csp.script_weaknesses(csp.policy_from_settings(directives))] == _header_kinds(header)
