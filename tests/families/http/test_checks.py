"""The http family against real sites on loopback (TLS on 443, plain HTTP on 80), and as pure checks."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import global_settings
from django.utils import translation

from deploycheck import runner
from deploycheck.core.check import FactError, Facts, failed, passed
from deploycheck.core.choices import Status
from deploycheck.core.family import Family, Targets
from deploycheck.core.results import Result
from deploycheck.families.http import checks, gather
from deploycheck.families.http.gather import Cookie, Page, ProbeError, _parse_cookies
from tests.families.findings import FAIL, PASS, WARN, as_list, statuses

HTTP_CHECKS = {check.id for check in checks.FAMILY.checks}


def page(status: int = 200, **headers: str) -> Page:
    return Page(
        "https://weareone.example/",
        status,
        {name.lower().replace("_", "-"): value for name, value in headers.items()},
        (),
        None,
        False,
    )


def probes(**kinds: Any) -> checks.Probes:
    return checks.Probes("https://weareone.example/", **{"page": None, "plain": None, "missing": None, **kinds})


def test_https_redirect_wants_a_permanent_redirect_to_the_same_host():
    def plain(status: int, location: str | None) -> checks.Probes:
        return probes(plain=Page("http://weareone.example/", status, {}, (), location, False))

    assert statuses(checks.check_https_redirect(plain(301, "https://weareone.example/"))) == PASS
    assert statuses(checks.check_https_redirect(plain(308, "https://weareone.example/"))) == PASS
    assert statuses(checks.check_https_redirect(plain(302, "https://weareone.example/"))) == WARN
    assert statuses(checks.check_https_redirect(plain(301, "https://elsewhere.example/"))) == FAIL
    assert statuses(checks.check_https_redirect(plain(200, None))) == FAIL


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("max-age=31536000; includeSubDomains", PASS),
        ("max-age=63072000", PASS),
        ("max-age=3600", FAIL),
        (None, FAIL),
    ],
)
def test_hsts(header, expected):
    headers = {"Strict-Transport-Security": header} if header else {}
    assert statuses(checks.check_hsts(probes(page=page(**headers)))) == expected


def test_framing_accepts_csp_frame_ancestors():
    assert statuses(checks.check_framing(probes(page=page(X_Frame_Options="deny")))) == PASS
    csp = page(Content_Security_Policy="default-src 'self'; frame-ancestors 'none'")
    assert statuses(checks.check_framing(probes(page=csp))) == PASS
    assert statuses(checks.check_framing(probes(page=page()))) == FAIL


def test_cookie_parsing():
    assert _parse_cookies(["sessionid=abc; HttpOnly; Path=/; SameSite=Lax; Secure", "theme=dark; Path=/"]) == (
        Cookie("sessionid", secure=True, httponly=True, samesite="lax"),
        Cookie("theme", secure=False, httponly=False, samesite=None),
    )


def cookie_settings(**overrides: Any) -> dict[str, Any]:
    """The ``settings.*`` facts of the cookie check: Django's defaults, with ``overrides``."""
    names = [name.partition(".")[2] for name in checks.COOKIE_SETTINGS]
    return {f"settings.{name}": overrides.get(name, getattr(global_settings, name)) for name in names}


def test_cookies_keep_the_flags_the_settings_promise(settings):
    # The promised flags come from the gathered facts, not from django.conf.settings.
    settings.SESSION_COOKIE_SAMESITE = "Strict"
    facts = Facts(cookie_settings(SESSION_COOKIE_SAMESITE="Lax"))

    def with_cookies(*cookies: Cookie) -> checks.Probes:
        page = Page("https://weareone.example/", 200, {}, cookies, None, False)
        return checks.LIVE_URLS.view(facts, "https://weareone.example/", {"page": page})

    good = with_cookies(Cookie("sessionid", True, True, "lax"), Cookie("csrftoken", True, False, "lax"))
    assert statuses(checks.check_cookies(good)) == PASS
    bad = as_list(
        checks.check_cookies(
            with_cookies(Cookie("sessionid", True, False, "strict"), Cookie("theme", False, False, None))
        )
    )
    assert [finding.obj for finding in bad] == ["sessionid", "theme"]
    assert str(bad[0].message) == "Cookie sessionid: not HttpOnly, SameSite is strict, not Lax."
    assert str(bad[1].message) == "Cookie theme: not Secure."
    # Built in English, read in French: the problems are translated with the sentence.
    with translation.override("fr"):
        assert str(bad[0].message) == "Cookie sessionid : pas HttpOnly, SameSite vaut strict, pas Lax."


def test_cookie_settings_are_facts_the_cookie_check_requires():
    [cookies] = [check for check in checks.FAMILY.checks if check.id == "http.cookies"]
    assert set(checks.COOKIE_SETTINGS) <= set(cookies.requires)
    assert {"http.urls", "http.pages"} <= set(cookies.requires)
    # Other checks do not see the cookie settings, and need none.
    assert checks.LIVE_URLS.view(Facts({}), "https://weareone.example/", {}).promised == {}


def test_the_family_is_checked_url_by_url():
    assert checks.FAMILY.providers == {"http": gather.gather_http}
    seen: list[checks.Probes] = []

    def evaluate(probes: checks.Probes) -> Any:
        seen.append(probes)
        return [passed(), failed("about a cookie", obj="theme")]

    family = Family("http", per=checks.LIVE_URLS)
    family.check("http.example", title="t", needs=("page",))(evaluate)
    (check,) = family.checks
    assert check.requires == ("http.urls", "http.pages")
    one, two = "https://one.example/", "https://two.example/"
    fetched = page()
    facts = Facts(
        {
            "http.urls": Targets((one, two)),
            "http.pages": {one: fetched, two: ProbeError("cannot connect to two")},
        }
    )
    findings = as_list(check.function(facts))
    assert [(finding.status, finding.obj) for finding in findings] == [
        (Status.PASSED, one),
        (Status.FAILED, "theme"),
        (Status.ERROR, two),
    ]
    assert str(findings[2].message) == "cannot connect to two"
    assert [(probes.url, probes.page) for probes in seen] == [(one, fetched)]
    assert isinstance(ProbeError("x"), FactError)
    nothing = Facts({"http.urls": Targets((), not_configured="nothing to probe")})
    assert [(finding.status, str(finding.message)) for finding in as_list(check.function(nothing))] == [
        (Status.SKIPPED, "nothing to probe")
    ]


def test_server_versions():
    assert statuses(checks.check_server_versions(probes(page=page(Server="gunicorn")))) == PASS
    leaking = page(Server="gunicorn/23.0.0", X_Powered_By="Django 5.2")
    [finding] = as_list(checks.check_server_versions(probes(page=leaking)))
    assert str(finding.message) == "Versions are public: Server: gunicorn/23.0.0; X-Powered-By: Django 5.2."


# Real sites: the `site` fixture (tests/conftest.py) serves a Django project on 127.0.0.N.


pytestmark = pytest.mark.django_db


def http_results(url: str, **options: Any) -> dict[str, list[Result]]:
    report = runner.execute(tags=["http"], urls=[url], **options)
    assert report.run is not None
    found: dict[str, list[Result]] = {}
    for result in report.results:
        found.setdefault(result.check_id, []).append(result)
    return found


def test_a_well_configured_site_passes_every_live_check(site):
    url = site("secure", "127.0.0.11")
    results = http_results(url)
    assert set(results) == HTTP_CHECKS
    assert {check_id: [r.status for r in found] for check_id, found in results.items()} == {
        check_id: [Status.PASSED] for check_id in HTTP_CHECKS
    }
    assert str(results["http.https_redirect"][0].message) == f"301 -> {url}"


def test_a_site_whose_settings_were_left_for_development_fails_them(site):
    url = site("insecure", "127.0.0.12")
    results = http_results(url)
    failing = {check_id for check_id, found in results.items() if any(r.status == Status.FAILED for r in found)}
    # Its certificate is as good as the secure site's: settings do not make one.
    assert failing == HTTP_CHECKS - {"http.certificate"}
    assert "shows Django's debug page" in str(results["http.debug_page"][0].message)
    assert {r.obj for r in results["http.cookies"]} == {"sessionid", "csrftoken"}
    assert str(results["http.server_versions"][0].message).startswith("Versions are public: Server: Werkzeug/")


def test_a_site_that_is_down(settings):
    results = http_results("https://127.0.0.13/")
    assert {r.status for found in results.values() for r in found} == {Status.ERROR}
    assert str(results["http.hsts"][0].message).startswith("cannot connect to https://127.0.0.13/")
    # The reason is kept untranslated, the connection's failure with it, and read in the reader's language.
    with translation.override("fr"):
        assert str(results["http.hsts"][0].message) == (
            "connexion impossible à https://127.0.0.13/ : la connexion a été refusée"
        )
    assert results["http.hsts"][0].obj == "https://127.0.0.13/"


def test_a_tls_error(site):
    url = site("secure", "127.0.0.14", trusted=False)
    results = http_results(url)
    assert results["http.hsts"][0].status == Status.ERROR
    assert str(results["http.hsts"][0].message).startswith(f"TLS error on {url}")
    # The plain HTTP redirect needs no certificate: it is still checked.
    assert results["http.https_redirect"][0].status == Status.PASSED


def test_a_redirect_loop(site):
    url = site("loop", "127.0.0.15")
    results = http_results(url)
    message = str(results["http.hsts"][0].message)
    assert results["http.hsts"][0].status == Status.ERROR
    assert message.startswith(f"redirect loop from {url}")


def test_a_timeout(site, settings):
    url = site("slow", "127.0.0.16")
    settings.DEPLOYCHECK = {"HTTP_TIMEOUT": 0.5}
    started = time.monotonic()
    results = http_results(url)
    assert time.monotonic() - started < 4
    assert results["http.hsts"][0].status == Status.ERROR
    assert str(results["http.hsts"][0].message) == f"no answer from {url} within 0.5 s"


def test_no_url_skips():
    report = runner.execute(tags=["http"])
    assert {result.status for result in report.results} == {Status.SKIPPED}
    assert str(report.results[0].message) == "No URL to probe: set DEPLOYCHECK['URLS'] or use --url."


# Redirects within the site (issue 11): apex and www, the hosts the project serves.


@pytest.mark.parametrize(
    ("start", "target", "allowed", "within"),
    [
        ("example.com", "example.com", [], True),
        ("example.com", "www.example.com", [], True),
        ("WWW.Example.com", "example.com.", [], True),
        ("example.com", "shop.example.com", [".example.com"], True),
        ("example.com", "weareone.herokuapp.com", ["example.com", "weareone.herokuapp.com"], True),
        ("example.com", "evil.example", [], False),
        ("example.com", "evil.example", ["*"], False),
        ("example.com", "www.evil.example", ["example.com"], False),
    ],
)
def test_which_redirects_stay_within_the_site(start, target, allowed, within):
    assert gather.within_site(start, target, allowed) is within


@pytest.mark.parametrize(
    ("url", "plain"),
    [
        ("https://example.com", "http://example.com/"),
        ("https://example.com:8443/x?y=1", "http://example.com:8443/x?y=1"),
        ("https://[2001:db8::1]/admin/", "http://[2001:db8::1]/admin/"),
        ("https://[2001:db8::1]:8443/", "http://[2001:db8::1]:8443/"),
    ],
)
def test_the_plain_http_probe_keeps_the_port_and_ipv6_literals(url, plain):
    assert gather._plain_http(url) == plain


def test_a_redirect_to_another_host_of_the_site_is_followed_and_said(site, monkeypatch, settings):
    final = site("insecure", "127.0.0.43")
    monkeypatch.setenv("SITE_REDIRECT_TO", final)
    start = site("moved", "127.0.0.42")
    settings.ALLOWED_HOSTS = ["127.0.0.43"]
    results = http_results(start)
    hsts = results["http.hsts"][0]
    # Judged on the page the site redirected to, and the finding says so.
    assert (hsts.status, hsts.obj) == (Status.FAILED, start)
    assert str(hsts.message).endswith(f"(at {final}, where {start} redirects)")
    with translation.override("fr"):
        assert final in str(hsts.message)
        assert "redirects" not in str(hsts.message)


def test_a_redirect_to_a_foreign_host_is_refused(site, monkeypatch, settings):
    monkeypatch.setenv("SITE_REDIRECT_TO", "https://127.0.0.45/")
    start = site("moved", "127.0.0.44")
    settings.ALLOWED_HOSTS = ["*"]
    results = http_results(start)
    hsts = results["http.hsts"][0]
    assert hsts.status == Status.ERROR
    assert str(hsts.message) == f"{start} redirects to another host: https://127.0.0.45/"


def test_a_long_chain_of_redirects_is_not_a_loop(site):
    url = site("chain", "127.0.0.46")
    message = str(http_results(url)["http.hsts"][0].message)
    assert message.startswith(f"too many redirects from {url}: more than 5 (")
    assert "loop" not in message


def test_a_page_without_cookies_gives_the_cookie_check_nothing_to_judge():
    [finding] = as_list(checks.check_cookies(probes(page=page())))
    assert finding.status == Status.SKIPPED
    assert str(finding.message) == "The page sets no cookie: nothing to judge."
