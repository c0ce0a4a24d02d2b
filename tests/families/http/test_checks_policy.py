"""http.content_security_policy, http.framing's frame-ancestors and http.certificate: pure, then on live sites.

The live sites serve on 127.0.0.200 to 127.0.0.229 only.
"""

from __future__ import annotations

import datetime
import ssl
from typing import Any

import pytest

from deploycheck import runner
from deploycheck.core.choices import Level, Status
from deploycheck.core.results import Result
from deploycheck.families.http import checks
from deploycheck.families.http.certificate import Certificate
from deploycheck.families.http.checks_certificate import check_certificate
from deploycheck.families.http.checks_policy import check_content_security_policy
from deploycheck.families.http.gather import Page
from tests.families.findings import FAIL, PASS, SKIP, WARN, as_list, statuses

URL = "https://weareone.example/"
NOW = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.timezone.utc)


def with_headers(**headers: str) -> checks.Probes:
    page = Page(URL, 200, {name.lower().replace("_", "-"): value for name, value in headers.items()}, (), None, False)
    return checks.Probes(URL, page, None, None)


def csp_message(**headers: str) -> str:
    [finding] = as_list(check_content_security_policy(with_headers(**headers)))
    return str(finding.message)


# The header the site sends.


def test_a_missing_or_report_only_policy_is_a_finding():
    assert statuses(check_content_security_policy(with_headers())) == FAIL
    assert csp_message() == "No Content-Security-Policy header."
    assert csp_message(Content_Security_Policy_Report_Only="default-src 'self'") == (
        "Only a report-only policy (Content-Security-Policy-Report-Only): violations are reported, nothing is blocked."
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("default-src 'self'; frame-ancestors 'none'", PASS),
        ("script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'", PASS),
        ("default-src 'self' 'unsafe-inline'", FAIL),
        ("script-src 'self' 'unsafe-eval'", FAIL),
        ("default-src *", FAIL),
        ("default-src 'self' data:", FAIL),
        ("frame-ancestors 'none'", FAIL),
        # Two header lines reach requests joined by a comma: each policy is enforced.
        ("default-src 'self' 'unsafe-inline', script-src 'self'", PASS),
    ],
)
def test_the_policy_sent_is_judged(header, expected):
    assert statuses(check_content_security_policy(with_headers(Content_Security_Policy=header))) == expected


def test_a_weak_policy_says_what_it_lets_in():
    assert csp_message(Content_Security_Policy="default-src 'self' 'unsafe-inline' https:") == (
        "Content-Security-Policy lets in inline scripts through 'unsafe-inline' in default-src, with no nonce or hash; "
        "scripts from any host of a scheme through https: in default-src."
    )
    assert csp_message(Content_Security_Policy="img-src 'self'") == (
        "Content-Security-Policy lets in no script-src or default-src, so scripts from anywhere."
    )


@pytest.mark.parametrize(
    ("headers", "expected", "message"),
    [
        ({"X_Frame_Options": "DENY"}, PASS, "X-Frame-Options: DENY"),
        ({"Content_Security_Policy": "frame-ancestors 'self'"}, PASS, "frame-ancestors 'self'"),
        ({"Content_Security_Policy": "frame-ancestors *"}, FAIL, None),
        ({"Content_Security_Policy": "frame-ancestors https:", "X_Frame_Options": "DENY"}, FAIL, None),
        # Only an enforced policy counts, and default-src is no fallback for frame-ancestors.
        ({"Content_Security_Policy_Report_Only": "frame-ancestors 'none'"}, FAIL, None),
        ({"Content_Security_Policy": "default-src 'none'", "X_Frame_Options": "SAMEORIGIN"}, PASS, None),
    ],
)
def test_framing_judges_frame_ancestors_as_the_parser_reads_it(headers, expected, message):
    [finding] = as_list(checks.check_framing(with_headers(**headers)))
    assert statuses(finding) == expected
    if message is not None:
        assert str(finding.message) == message


def test_an_open_frame_ancestors_says_browsers_ignore_x_frame_options():
    [finding] = as_list(
        checks.check_framing(with_headers(Content_Security_Policy="frame-ancestors *", X_Frame_Options="DENY"))
    )
    assert str(finding.message) == (
        "CSP frame-ancestors * lets any site frame the pages (browsers then ignore X-Frame-Options)."
    )


# The certificate served.


def certificate(days: float | None = 90, **fields: Any) -> checks.Probes:
    not_after = NOW + datetime.timedelta(days=days) if days is not None else None
    defaults: dict[str, Any] = {
        "host": "weareone.example",
        "checked_at": NOW,
        "not_after": not_after,
        "issuer": "R11 (Let's Encrypt)",
        "names": ("DNS:weareone.example",),
    }
    return checks.Probes(URL, None, None, None, certificate=Certificate(**{**defaults, **fields}))


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (90, PASS),
        (30.5, PASS),
        (30, WARN),
        (8, WARN),
        (7, [(Status.FAILED, Level.ERROR)]),
        (0.5, [(Status.FAILED, Level.ERROR)]),
    ],
)
def test_days_left_warn_at_30_and_fail_at_7(days, expected):
    assert statuses(check_certificate(certificate(days))) == expected


def test_what_a_certificate_check_says():
    [good] = as_list(check_certificate(certificate(90)))
    assert str(good.message) == "Valid until 2026-08-30 (90 days left), issued by R11 (Let's Encrypt)."
    assert good.details == {
        "issuer": "R11 (Let's Encrypt)",
        "names": ["DNS:weareone.example"],
        "covers_host": True,
        "expires": "2026-08-30T12:00:00+00:00",
        "days_left": 90,
    }
    [soon] = as_list(check_certificate(certificate(1.5)))
    assert str(soon.message) == "The certificate of weareone.example expires on 2026-06-03, in 1 day."


@pytest.mark.parametrize(
    ("code", "message", "reason"),
    [
        (10, "certificate has expired", "the certificate has expired"),
        (19, "self-signed certificate in certificate chain", "a self-signed certificate is in the chain"),
        (
            62,
            "Hostname mismatch, certificate is not valid for 'weareone.example'.",
            "it is not valid for this host name",
        ),
        (64, "IP address mismatch, certificate is not valid for '127.0.0.1'.", "it is not valid for this IP address"),
        (99, "some new reason.", "some new reason"),
    ],
)
def test_a_certificate_that_cannot_be_verified_fails_saying_why(code, message, reason):
    [finding] = as_list(check_certificate(certificate(None, verify_code=code, verify_message=message)))
    assert (finding.status, finding.level) == (Status.FAILED, None)
    assert str(finding.message) == f"The certificate of weareone.example cannot be verified: {reason}."
    assert finding.details["verify_message"] == message
    assert finding.details["covers_host"] is (code not in (62, 64))


def test_a_plain_http_url_has_no_certificate_to_check():
    probes = checks.Probes("http://weareone.example/", None, None, None)
    assert statuses(check_certificate(probes)) == SKIP


# Live sites on 127.0.0.200 to 127.0.0.229.


pytestmark = pytest.mark.django_db


def results_for(url: str, *check_ids: str) -> dict[str, list[Result]]:
    report = runner.execute(check_ids=list(check_ids), urls=[url], save=False)
    found: dict[str, list[Result]] = {}
    for result in report.results:
        found.setdefault(result.check_id, []).append(result)
    return found


def test_live_policies(site, monkeypatch):
    secure = site("secure", "127.0.0.200")
    found = results_for(secure, "http.content_security_policy", "http.framing")
    assert [r.status for r in found["http.content_security_policy"]] == [Status.PASSED]
    assert str(found["http.framing"][0].message) == "frame-ancestors 'none'"
    monkeypatch.setenv("SITE_CSP", "default-src 'self' 'unsafe-inline'; frame-ancestors *")
    weak = site("secure", "127.0.0.201")
    found = results_for(weak, "http.content_security_policy", "http.framing")
    assert [r.status for r in found["http.content_security_policy"]] == [Status.FAILED]
    assert "through 'unsafe-inline' in default-src" in str(found["http.content_security_policy"][0].message)
    assert found["http.content_security_policy"][0].obj == weak
    # X-Frame-Options: DENY is sent too, but browsers follow frame-ancestors.
    assert [r.status for r in found["http.framing"]] == [Status.FAILED]
    monkeypatch.delenv("SITE_CSP")
    monkeypatch.setenv("SITE_CSP_REPORT_ONLY", "default-src 'self'")
    reporting = site("insecure", "127.0.0.202")
    [result] = results_for(reporting, "http.content_security_policy")["http.content_security_policy"]
    assert str(result.message).startswith("Only a report-only policy (Content-Security-Policy-Report-Only)")


def test_live_certificates(site):
    now = datetime.datetime.now(datetime.timezone.utc)
    cases = {
        "good": site("secure", "127.0.0.210"),
        "month": site("secure", "127.0.0.211", not_after=now + datetime.timedelta(days=20)),
        "week": site("secure", "127.0.0.212", not_after=now + datetime.timedelta(days=3)),
        "expired": site("secure", "127.0.0.213", not_after=now - datetime.timedelta(days=2)),
        "other_host": site("secure", "127.0.0.214", certified_host="elsewhere.example"),
        "untrusted": site("secure", "127.0.0.215", trusted=False),
    }
    report = runner.execute(check_ids=["http.certificate"], urls=list(cases.values()), save=False)
    by_url = {result.obj: result for result in report.results}
    got = {name: (by_url[url].status, by_url[url].level) for name, url in cases.items()}
    assert got == {
        "good": (Status.PASSED, None),
        "month": (Status.FAILED, Level.WARNING),
        "week": (Status.FAILED, Level.ERROR),
        "expired": (Status.FAILED, Level.ERROR),
        "other_host": (Status.FAILED, Level.ERROR),
        "untrusted": (Status.FAILED, Level.ERROR),
    }
    assert str(by_url[cases["good"]].message).startswith("Valid until ")
    assert by_url[cases["good"]].details["names"] == ["IP Address:127.0.0.210"]
    assert "expires on" in str(by_url[cases["month"]].message)
    reasons = {name: str(by_url[url].message) for name, url in cases.items()}
    assert reasons["expired"] == "The certificate of 127.0.0.213 cannot be verified: the certificate has expired."
    assert reasons["other_host"] == (
        "The certificate of 127.0.0.214 cannot be verified: it is not valid for this IP address."
    )
    assert reasons["untrusted"].startswith("The certificate of 127.0.0.215 cannot be verified: no trusted authority")


def test_a_certificate_that_cannot_be_fetched_is_not_evaluated():
    down = "https://127.0.0.220/"
    plain = "http://127.0.0.221/"
    report = runner.execute(check_ids=["http.certificate"], urls=[down, plain], save=False)
    by_url = {result.obj: result for result in report.results}
    assert by_url[down].status == Status.ERROR
    assert str(by_url[down].message) == "cannot connect to https://127.0.0.220/: the connection was refused"
    assert by_url[plain].status == Status.SKIPPED


def test_the_certificate_is_read_with_the_trust_of_the_probes(site, monkeypatch, tmp_path):
    url = site("secure", "127.0.0.222")
    # Another bundle, which does not hold the test authority: the handshake no longer trusts the site.
    other = tmp_path / "other.pem"
    other.write_text(ssl.DER_cert_to_PEM_cert(ssl.PEM_cert_to_DER_cert(_any_ca_pem())))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other))
    [result] = runner.execute(check_ids=["http.certificate"], urls=[url], save=False).results
    assert result.status == Status.FAILED
    assert "no trusted authority" in str(result.message)


def _any_ca_pem() -> str:
    import trustme

    return trustme.CA().cert_pem.bytes().decode()
