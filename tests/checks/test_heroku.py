"""Each Heroku check as a pure function of one app's resources: pass, fail and skip."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation

from deploycheck.checks import heroku as checks
from deploycheck.checks import heroku_domains
from deploycheck.choices import Level, Status
from deploycheck.heroku.gather import ResourceError
from deploycheck.heroku.resources import RESOURCES
from tests.checks.findings import PASS, SKIP, as_list, statuses
from tests.heroku_fake import STACKS, healthy_app

TODAY = date(2026, 11, 27)


def app_facts(raw: dict[str, Any] | None = None, **errors: str) -> checks.AppFacts:
    """Reduce raw API answers (weareone's healthy ones, changed by the caller) as the gatherer does."""
    raw = raw or healthy_app("weareone")
    resources: dict[str, Any] = {}
    for name, resource in RESOURCES.items():
        short = name.partition(".")[2]
        path = resource.path.format(app="weareone")
        resources[short] = ResourceError(errors[short]) if short in errors else resource.reduce(raw.get(path, STACKS))
    return checks.AppFacts("weareone", resources, TODAY)


def raw(**changes: Any) -> dict[str, Any]:
    answers = copy.deepcopy(healthy_app("weareone"))
    for key, value in changes.items():
        path = "/apps/weareone" if key == "app" else f"/apps/weareone/{key.replace('_', '-')}"
        answers[path] = value
    return answers


def test_every_check_passes_on_a_healthy_app():
    facts = app_facts()
    evaluated = {
        "stack": checks.check_stack,
        "dyno_tier": checks.check_dyno_tier,
        "web_redundancy": checks.check_web_redundancy,
        "postgres_plan": checks.check_postgres_plan,
        "postgres_ha": checks.check_postgres_ha,
        "app_monitoring": checks.check_app_monitoring,
        "log_monitoring": checks.check_log_monitoring,
        "error_pages": checks.check_error_pages,
        "ssl": checks.check_ssl,
        "dns": checks.check_dns,
        "preboot": checks.check_preboot,
    }
    assert {name: statuses(function(facts)) for name, function in evaluated.items()} == dict.fromkeys(evaluated, PASS)
    assert {check.id for check in checks.FAMILY.checks} == {f"heroku.{name}" for name in evaluated}


def stack_app(name: str) -> dict[str, Any]:
    return raw(app={**healthy_app("weareone")["/apps/weareone"], "stack": {"name": name}})


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        ("heroku-24", PASS),
        ("Heroku-26", PASS),
        ("heroku-22", [(Status.FAILED, Level.WARNING)]),
        ("heroku-20", [(Status.FAILED, None)]),  # the check's own level, ERROR
        ("cedar-14", [(Status.FAILED, None)]),
        ("container", SKIP),
        ("cnb", SKIP),
    ],
)
def test_stack(stack, expected):
    assert statuses(checks.check_stack(app_facts(stack_app(stack)))) == expected


def test_stack_falls_back_on_the_dated_table_when_stacks_cannot_be_read():
    unreadable = {"stacks": "cannot read stacks"}
    assert statuses(checks.check_stack(app_facts(stack_app("heroku-24"), **unreadable))) == PASS
    deprecated = checks.check_stack(app_facts(stack_app("heroku-22"), **unreadable))
    assert statuses(deprecated) == [(Status.FAILED, Level.WARNING)]
    assert "end of life is 2027-04-30" in str(deprecated.message)
    assert statuses(checks.check_stack(app_facts(stack_app("heroku-20"), **unreadable))) == [(Status.FAILED, None)]


def formation(*processes: tuple[str, int, str]) -> list[dict[str, Any]]:
    return [
        {"id": f"f{index}", "type": kind, "quantity": quantity, "dyno_size": {"name": size}}
        for index, (kind, quantity, size) in enumerate(processes)
    ]


@pytest.mark.parametrize(
    ("processes", "expected"),
    [
        ([("web", 1, "Standard-1X")], PASS),
        ([("web", 1, "Eco"), ("worker", 1, "standard-1x")], [(Status.FAILED, None)]),
        ([("web", 1, "BASIC")], [(Status.FAILED, None)]),
        ([("web", 1, "hobby")], [(Status.FAILED, None)]),
        ([("web", 0, "eco"), ("worker", 1, "performance-m")], PASS),
        ([("web", 0, "eco")], SKIP),
        ([], SKIP),
    ],
)
def test_dyno_tier(processes, expected):
    assert statuses(checks.check_dyno_tier(app_facts(raw(formation=formation(*processes))))) == expected


def test_dyno_tier_names_the_processes():
    finding = checks.check_dyno_tier(app_facts(raw(formation=formation(("web", 1, "Eco"), ("clock", 1, "Basic")))))
    assert finding.obj == "clock=basic, web=eco"


@pytest.mark.parametrize(
    ("processes", "expected"),
    [
        ([("web", 2, "standard-1x")], PASS),
        ([("web", 1, "standard-1x")], [(Status.FAILED, None)]),
        ([("web", 0, "standard-1x")], [(Status.FAILED, None)]),
        ([("worker", 3, "standard-1x")], SKIP),
    ],
)
def test_web_redundancy(processes, expected):
    assert statuses(checks.check_web_redundancy(app_facts(raw(formation=formation(*processes))))) == expected


def addons(*plans: str) -> list[dict[str, Any]]:
    return [
        {"id": f"a{index}", "addon_service": {"name": plan.partition(":")[0]}, "plan": {"name": plan}}
        for index, plan in enumerate(plans)
    ]


@pytest.mark.parametrize(
    ("plans", "plan_expected", "ha_expected"),
    [
        (["heroku-postgresql:standard-0"], PASS, [(Status.FAILED, None)]),
        (["Heroku-PostgreSQL:Premium-2"], PASS, PASS),
        (["heroku-postgresql:private-4"], PASS, PASS),
        (["heroku-postgresql:shield-0"], PASS, PASS),
        (["heroku-postgresql:essential-0"], [(Status.FAILED, None)], [(Status.FAILED, None)]),
        (["heroku-postgresql:mini"], [(Status.FAILED, None)], [(Status.FAILED, None)]),
        (["heroku-postgresql:hobby-dev"], [(Status.FAILED, None)], [(Status.FAILED, None)]),
        (["heroku-postgresql:advanced-beta"], PASS, SKIP),
        (["papertrail:choklad"], SKIP, SKIP),
    ],
)
def test_postgres_plan_and_ha(plans, plan_expected, ha_expected):
    facts = app_facts(raw(addons=addons(*plans)))
    assert statuses(checks.check_postgres_plan(facts)) == plan_expected
    assert statuses(checks.check_postgres_ha(facts)) == ha_expected


def test_advanced_plans_say_ha_cannot_be_verified():
    [finding] = as_list(checks.check_postgres_ha(app_facts(raw(addons=addons("heroku-postgresql:advanced")))))
    assert "Cannot verify HA" in str(finding.message)


def test_app_monitoring_by_add_on_or_config_var_name():
    assert statuses(checks.check_app_monitoring(app_facts())) == PASS
    bare = raw(addons=addons("heroku-postgresql:premium-0"), config_vars={"DATABASE_URL": "postgres://x"})
    assert statuses(checks.check_app_monitoring(app_facts(bare))) == [(Status.FAILED, None)]
    agent = raw(addons=[], config_vars={"SENTRY_DSN": "https://key@sentry.example/1"})
    assert checks.check_app_monitoring(app_facts(agent)).message == "SENTRY_DSN"


def fir(**changes: Any) -> dict[str, Any]:
    return raw(app={**healthy_app("weareone")["/apps/weareone"], "generation": {"name": "fir"}}, **changes)


def test_log_monitoring_cedar_and_fir():
    no_logging = addons("heroku-postgresql:premium-0")
    assert statuses(checks.check_log_monitoring(app_facts(raw(addons=no_logging)))) == PASS  # the drain
    nothing = raw(addons=no_logging, log_drains=[])
    assert statuses(checks.check_log_monitoring(app_facts(nothing))) == [(Status.FAILED, None)]
    telemetry = [{"id": "t1", "signals": ["traces", "LOGS"], "exporter": {"endpoint": "https://otel.example"}}]
    assert statuses(checks.check_log_monitoring(app_facts(fir(addons=no_logging, telemetry_drains=telemetry)))) == PASS
    traces_only = [{"id": "t1", "signals": ["traces"], "exporter": {"endpoint": "https://otel.example"}}]
    facts = app_facts(fir(addons=no_logging, telemetry_drains=traces_only), log_drains="not on Fir")
    assert statuses(checks.check_log_monitoring(facts)) == [(Status.FAILED, None)]


def test_log_monitoring_errors_only_on_the_drains_its_generation_uses():
    no_logging = addons("heroku-postgresql:premium-0")
    cedar = app_facts(raw(addons=no_logging), log_drains="cannot read log_drains of weareone: HTTP 500")
    assert statuses(checks.check_log_monitoring(cedar)) == [(Status.ERROR, None)]
    cedar_ok = app_facts(raw(addons=no_logging), telemetry_drains="cannot read telemetry_drains")
    assert statuses(checks.check_log_monitoring(cedar_ok)) == PASS


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"ERROR_PAGE_URL": "https://a/e", "MAINTENANCE_PAGE_URL": "HTTPS://a/m"}, PASS),
        ({"ERROR_PAGE_URL": "https://a/e"}, [(Status.FAILED, None)]),
        ({"ERROR_PAGE_URL": "http://a/e", "MAINTENANCE_PAGE_URL": "https://a/m"}, [(Status.FAILED, None)]),
        ({}, [(Status.FAILED, None)]),
    ],
)
def test_error_pages(config, expected):
    assert statuses(checks.check_error_pages(app_facts(raw(config_vars=config)))) == expected


def test_error_pages_skip_on_fir():
    assert statuses(checks.check_error_pages(app_facts(fir(config_vars={})))) == SKIP


def custom_domain(hostname: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": hostname,
        "hostname": hostname,
        "kind": "custom",
        "cname": "x.herokudns.com",
        "status": "succeeded",
        "acm_status": "cert issued",
        **fields,
    }


def test_ssl_with_acm():
    assert statuses(checks.check_ssl(app_facts())) == PASS
    failing = raw(domains=[custom_domain("www.example.com"), custom_domain("api.example.com", acm_status="failing")])
    findings = as_list(checks.check_ssl(app_facts(failing)))
    assert statuses(findings) == [(Status.FAILED, None)]
    assert findings[0].obj == "api.example.com"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Automated Certificate Management covers 1 domain.", "1 custom domain", "2 web dynos"]),
        ("fr", ["Automated Certificate Management couvre 1 domaine.", "1 domaine personnalisé", "2 dynos web"]),
    ],
)
def test_passing_messages_count_in_the_readers_language(language, expected):
    facts = app_facts(raw(domains=[custom_domain("www.example.com")]))
    with translation.override(language):
        messages = [
            str(as_list(check(facts))[0].message)
            for check in (checks.check_ssl, checks.check_dns, checks.check_web_redundancy)
        ]
    assert messages == expected


def sni(domains: list[str], expires: date) -> dict[str, Any]:
    return {"id": "s", "name": "sni-1", "ssl_cert": {"cert_domains": domains, "expires_at": f"{expires}T00:00:00Z"}}


def test_ssl_with_an_sni_certificate():
    app = {**healthy_app("weareone")["/apps/weareone"], "acm": False}
    domains = [custom_domain("www.example.com", acm_status=None), custom_domain("shop.example.com", acm_status=None)]
    far = TODAY + timedelta(days=200)
    covered = raw(app=app, domains=domains, sni_endpoints=[sni(["*.example.com"], far)])
    assert statuses(checks.check_ssl(app_facts(covered))) == PASS
    soon = raw(app=app, domains=domains, sni_endpoints=[sni(["*.example.com"], TODAY + timedelta(days=10))])
    assert statuses(checks.check_ssl(app_facts(soon))) == [(Status.FAILED, None), (Status.FAILED, None)]
    partial = raw(app=app, domains=domains, sni_endpoints=[sni(["www.example.com"], far)])
    [finding] = as_list(checks.check_ssl(app_facts(partial)))
    assert finding.obj == "shop.example.com"
    assert str(finding.message) == "No certificate covers shop.example.com."


def test_ssl_wildcards_cover_one_level_only():
    assert heroku_domains._covers(["*.example.com"], "www.example.com")
    assert not heroku_domains._covers(["*.example.com"], "a.b.example.com")
    assert not heroku_domains._covers(["*.example.com"], "example.com")


def test_ssl_skips_without_custom_domains():
    assert statuses(checks.check_ssl(app_facts(raw(domains=[])))) == SKIP
    assert statuses(checks.check_dns(app_facts(raw(domains=[])))) == SKIP


def test_dns():
    assert statuses(checks.check_dns(app_facts())) == PASS
    domains = [
        custom_domain("www.example.com"),
        custom_domain("apex.example.com", cname=None),
        custom_domain("new.example.com", status="pending"),
        custom_domain("space.example.com", cname="x.herokuspace.com"),
    ]
    findings = as_list(checks.check_dns(app_facts(raw(domains=domains))))
    assert [finding.obj for finding in findings] == ["apex.example.com", "new.example.com"]


def test_preboot():
    assert statuses(checks.check_preboot(app_facts())) == PASS
    off = raw(features=[{"id": "p", "name": "preboot", "enabled": False}])
    assert statuses(checks.check_preboot(app_facts(off))) == [(Status.FAILED, None)]
    single = raw(formation=formation(("web", 1, "standard-1x")), features=[])
    assert statuses(checks.check_preboot(app_facts(single))) == SKIP
    assert statuses(checks.check_preboot(app_facts(fir()))) == SKIP
