"""Each Heroku check as a pure function of one app's resources: pass, fail and skip."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation

from deploycheck.core.choices import Status
from deploycheck.families.heroku import checks
from deploycheck.families.heroku import checks_domains as heroku_domains
from tests.families.findings import PASS, SKIP, as_list, statuses
from tests.families.heroku.facts import TODAY, addons, app_facts, fir, raw
from tests.heroku_fake import healthy_app


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
        "allowed_hosts": checks.check_allowed_hosts,
        "static_files": checks.check_static_files,
    }
    assert {name: statuses(function(facts)) for name, function in evaluated.items()} == dict.fromkeys(evaluated, PASS)
    assert {check.id for check in checks.FAMILY.checks} == {f"heroku.{name}" for name in evaluated}


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
    assert "clock=basic, web=eco" in str(finding.message)
    # The subject is the app's formation, not its sizes: a size changed is the same failure, changed.
    assert finding.obj == ""


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
        (["heroku-postgresql:advanced"], PASS, SKIP),
        (["heroku-postgresql:advanced-private-0"], PASS, SKIP),
        (["heroku-postgresql:Performance-M"], PASS, SKIP),
        (["heroku-postgresql:performance-l", "heroku-postgresql:premium-0"], PASS, PASS),
        (["heroku-postgresql:performance-l", "heroku-postgresql:standard-0"], PASS, SKIP),
        (["papertrail:choklad"], SKIP, SKIP),
    ],
)
def test_postgres_plan_and_ha(plans, plan_expected, ha_expected):
    facts = app_facts(raw(addons=addons(*plans)))
    assert statuses(checks.check_postgres_plan(facts)) == plan_expected
    assert statuses(checks.check_postgres_ha(facts)) == ha_expected


def test_a_database_failure_is_about_the_database_not_its_plan():
    """A plan changed is the same failure changed, as the comparison shows it (issue 21, item 3)."""

    def findings(plan: str) -> list[tuple[str, str]]:
        answer = addons(plan)
        answer[0]["name"] = "postgresql-curly-12345"
        facts = app_facts(raw(addons=answer))
        found = [*as_list(checks.check_postgres_plan(facts)), *as_list(checks.check_postgres_ha(facts))]
        return [(finding.obj, str(finding.message)) for finding in found if finding.status == Status.FAILED]

    assert findings("heroku-postgresql:essential-0") == [
        ("postgresql-curly-12345", "heroku-postgresql:essential-0 is not a production plan (no guaranteed uptime)."),
        ("", "heroku-postgresql:essential-0 has no standby to fail over to."),
    ]
    assert findings("heroku-postgresql:standard-0") == [
        ("", "heroku-postgresql:standard-0 has no standby to fail over to.")
    ]


@pytest.mark.parametrize("plan", ["heroku-postgresql:advanced", "heroku-postgresql:performance-m"])
def test_advanced_plans_say_ha_cannot_be_verified(plan):
    [finding] = as_list(checks.check_postgres_ha(app_facts(raw(addons=addons(plan)))))
    assert finding.status == Status.SKIPPED
    assert str(finding.message) == (
        "Cannot verify HA: Advanced plans keep a standby unless it was turned off, "
        "and the Platform API does not show whether it is on."
    )


def test_app_monitoring_by_add_on_or_config_var_name():
    assert statuses(checks.check_app_monitoring(app_facts())) == PASS
    bare = raw(addons=addons("heroku-postgresql:premium-0"), config_vars={"DATABASE_URL": "postgres://x"})
    assert statuses(checks.check_app_monitoring(app_facts(bare))) == [(Status.FAILED, None)]
    agent = raw(addons=[], config_vars={"SENTRY_DSN": "https://key@sentry.example/1"})
    assert checks.check_app_monitoring(app_facts(agent)).message == "SENTRY_DSN"


def test_log_monitoring_on_cedar_reads_log_drains():
    no_logging = addons("heroku-postgresql:premium-0")
    assert statuses(checks.check_log_monitoring(app_facts(raw(addons=no_logging)))) == PASS  # the drain
    nothing = raw(addons=no_logging, log_drains=[])
    assert statuses(checks.check_log_monitoring(app_facts(nothing))) == [(Status.FAILED, None)]
    # A Cedar app in a Private Space: its space's telemetry drains are not read (they are Fir's).
    app = {**healthy_app("weareone")["/apps/weareone"], "space": {"name": "weareone-eu"}}
    in_space = app_facts(raw(app=app, addons=no_logging, log_drains=[]))
    assert in_space["space_telemetry_drains"] == ()
    assert statuses(checks.check_log_monitoring(in_space)) == [(Status.FAILED, None)]


def test_log_monitoring_errors_only_on_the_drains_its_generation_uses():
    no_logging = addons("heroku-postgresql:premium-0")
    cedar = app_facts(raw(addons=no_logging), log_drains="cannot read log_drains of weareone: HTTP 500")
    assert statuses(checks.check_log_monitoring(cedar)) == [(Status.ERROR, None)]
    cedar_ok = app_facts(raw(addons=no_logging), telemetry_drains="cannot read telemetry_drains")
    assert statuses(checks.check_log_monitoring(cedar_ok)) == PASS


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"ERROR_PAGE_URL": "https://a/e", "MAINTENANCE_PAGE_URL": "HTTPS://a/m"}, []),
        ({"ERROR_PAGE_URL": "https://a/e"}, ["Not set: MAINTENANCE_PAGE_URL."]),
        (
            {"ERROR_PAGE_URL": "http://a/e", "MAINTENANCE_PAGE_URL": "https://a/m"},
            ["Not an HTTPS URL: ERROR_PAGE_URL."],
        ),
        ({"ERROR_PAGE_URL": "http://a/e"}, ["Not an HTTPS URL: ERROR_PAGE_URL.", "Not set: MAINTENANCE_PAGE_URL."]),
        ({}, ["Not set: ERROR_PAGE_URL.", "Not set: MAINTENANCE_PAGE_URL."]),
    ],
)
def test_error_pages_name_every_problem(config, expected):
    findings = as_list(checks.check_error_pages(app_facts(raw(config_vars=config))))
    if not expected:
        assert statuses(findings) == PASS
        return
    assert statuses(findings) == [(Status.FAILED, None)] * len(expected)
    assert [str(finding.message) for finding in findings] == expected
    assert [finding.obj for finding in findings] == [message.split(": ")[1].rstrip(".") for message in expected]


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


def test_dns_names_each_problem_of_a_domain():
    domains = [custom_domain("apex.example.com", cname=None, status="failed")]
    findings = as_list(checks.check_dns(app_facts(raw(domains=domains))))
    assert [str(finding.message) for finding in findings] == [
        "apex.example.com has no Heroku DNS target.",
        "apex.example.com is not verified by Heroku (status: failed).",
    ]


def test_preboot():
    assert statuses(checks.check_preboot(app_facts())) == PASS
    off = raw(features=[{"id": "p", "name": "preboot", "enabled": False}])
    assert statuses(checks.check_preboot(app_facts(off))) == [(Status.FAILED, None)]
    single = raw(formation=formation(("web", 1, "standard-1x")), features=[])
    assert statuses(checks.check_preboot(app_facts(single))) == SKIP
    assert statuses(checks.check_preboot(app_facts(fir()))) == SKIP
