"""Nothing a peer sends becomes harmful output (issue 9, item 2).

Real servers on loopback send what an attacker, or a broken proxy, could: a fake Heroku API
answering an error message and a domain name with ANSI escape sequences and a spreadsheet
formula, and a live site behind HTTP Basic authentication whose headers and cookies carry the
same. Each run is then read everywhere it goes: the text report, JSON, JUnit XML (parsed),
the stored rows, the admin's run page and its JSON and CSV exports (parsed with csv).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import logging
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from deploycheck.core.check import failed
from deploycheck.core.choices import Level
from deploycheck.core.family import Family
from deploycheck.models import CheckResult, CheckRun
from tests.heroku_fake import FakeHeroku, Fault, refused_url

pytestmark = pytest.mark.django_db

ESC = "\x1b"
CLEAR_SCREEN = "\x1b[2J\x1b[31m"
# Lower case, as deploycheck keeps domain names; spreadsheets read formulas in any case.
FORMULA = '=hyperlink("http://x","y")'
# What a spreadsheet would read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SITE_HOST = "127.0.0.91"
SITE_PASSWORD = "s3cr3t-pw-9417"
API_PASSWORD = "api-pw-5521"


def run_command(*args: str) -> tuple[str, str, CommandError | None]:
    """call_command's stdout, its stderr and the CommandError it ended with, if any."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("deploycheck", *args, stdout=stdout, stderr=stderr, no_color=True)
    except CommandError as exc:
        return stdout.getvalue(), stderr.getvalue(), exc
    return stdout.getvalue(), stderr.getvalue(), None


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def assert_inert(text: str, *secrets: str) -> None:
    """No control character but newline and tab, and none of the secrets."""
    unsafe = [character for character in text if (ord(character) < 0x20 and character not in "\n\t")]
    unsafe += [character for character in text if 0x7F <= ord(character) <= 0x9F]
    assert not unsafe, f"control characters {unsafe!r} in {text!r}"
    for secret in secrets:
        assert secret not in text


def stored_strings(run: CheckRun) -> Iterator[str]:
    yield from strings_in(run.selection)
    yield run.triggered_by
    for result in CheckResult.objects.filter(run=run):
        yield from (result.message, result.hint, result.obj, result.message_id, result.title, result.app)
        yield from strings_in(result.details)


def admin_client() -> Client:
    client = Client()
    user = User.objects.filter(username="boss").first() or User.objects.create_superuser("boss", password="pw")
    client.force_login(user)
    return client


def assert_admin_pages_inert(run: CheckRun, *secrets: str) -> list[dict[str, str]]:
    """The run's page and its exports say nothing harmful; returns the CSV export's rows."""
    client = admin_client()
    page = client.get(reverse("admin:deploycheck_checkrun_change", args=[run.pk]), secure=True)
    assert page.status_code == 200
    assert_inert(page.content.decode(), *secrets)
    exported = client.get(reverse("admin:deploycheck_export_json", args=[run.pk]), secure=True)
    for text in strings_in(json.loads(exported.content)):
        assert_inert(text, *secrets)
    response = client.get(reverse("admin:deploycheck_export_csv", args=[run.pk]), secure=True)
    # A byte order mark first, so that Excel reads the file as UTF-8.
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == run.results.count()
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(FORMULA_STARTS), cell
            assert_inert(cell, *secrets)
    return rows


# The Heroku API as an attacker who controls a domain name, or a man in the middle, would answer.


@pytest.fixture
def hostile_heroku(heroku: FakeHeroku) -> FakeHeroku:
    heroku.add_app(
        "weareone",
        domains=[
            {"id": "w1", "hostname": "weareone.herokuapp.com", "kind": "heroku", "cname": None, "status": "none"},
            # Not a Heroku DNS target: heroku.dns fails with the hostname as the object.
            {"id": "w2", "hostname": FORMULA, "kind": "custom", "cname": "evil.example", "status": "succeeded"},
            {
                "id": "w3",
                "hostname": f"www{CLEAR_SCREEN}\x1b]0;owned\x07.example",
                "kind": "custom",
                "cname": "x.herokudns.com",
                "status": f"pending{CLEAR_SCREEN}",
                "acm_status": "cert issued",
            },
        ],
    )
    message = f"{CLEAR_SCREEN}You shall not pass {FORMULA}\x00\x7f\x9b"
    heroku.fail("/apps/weareone/formation", Fault(403, {"id": "forbidden", "message": message}, times=None))
    return heroku


def hostile_heroku_results(run: CheckRun) -> dict[str, list[CheckResult]]:
    results: dict[str, list[CheckResult]] = {}
    for result in run.results.filter(family="heroku"):
        results.setdefault(result.check_id, []).append(result)
    return results


def test_heroku_text_report_shows_escapes_instead_of_running_them(hostile_heroku):
    stdout, stderr, error = run_command("--tag", "heroku")
    assert error is not None
    for text in (stdout, stderr, str(error)):
        assert_inert(text)
    # Made visible, not lost: the reader sees what Heroku sent.
    assert "\\x1b[2J\\x1b[31mYou shall not pass" in stdout
    assert "\\x00\\x7f\\x9b" in stdout
    assert f"{FORMULA}: {FORMULA} has no Heroku DNS target." in stdout
    assert "www\\x1b[2j\\x1b[31m\\x1b]0;owned\\x07.example" in stdout


def test_heroku_json_report_and_stored_rows(hostile_heroku):
    stdout, _stderr, _error = run_command("--tag", "heroku", "--format", "json")
    document = json.loads(stdout)
    for text in strings_in(document):
        assert_inert(text)
    run = CheckRun.objects.get(pk=document["run"]["id"])
    for text in stored_strings(run):
        assert_inert(text)
    results = hostile_heroku_results(run)
    assert [result.obj for result in results["heroku.dns"]] == [
        FORMULA,
        "www\\x1b[2j\\x1b[31m\\x1b]0;owned\\x07.example",
    ]
    assert "\\x1b[2J\\x1b[31mYou shall not pass" in results["heroku.web_redundancy"][0].message
    # The JSON keeps what was sent, as text: only the CSV export guards against spreadsheets.
    assert any(result["obj"] == FORMULA for result in document["results"])


def test_heroku_junit_report_is_well_formed_xml(hostile_heroku):
    stdout, _stderr, _error = run_command("--tag", "heroku", "--format", "junit")
    root = ElementTree.fromstring(stdout)
    texts = [element.text or "" for element in root.iter()]
    texts += [value for element in root.iter() for value in element.attrib.values()]
    for text in texts:
        assert_inert(text)
    errors = [element.get("message", "") for element in root.iter("error")]
    assert any("\\x1b[2J\\x1b[31mYou shall not pass" in message for message in errors)


def test_heroku_admin_run_page_and_exports(hostile_heroku):
    run_command("--tag", "heroku")
    run = CheckRun.objects.get()
    rows = assert_admin_pages_inert(run)
    # OWASP's advice: a single quote first, the cell otherwise intact.
    assert "'" + FORMULA in [row["obj"] for row in rows if row["check"] == "heroku.dns"]


def test_a_heroku_api_url_with_credentials_is_never_shown(heroku, settings):
    settings.DEPLOYCHECK = {
        **settings.DEPLOYCHECK,
        "HEROKU_API_URL": refused_url().replace("http://", f"http://deploy:{API_PASSWORD}@"),
        "HEROKU_RETRIES": 0,
    }
    outputs = [run_command("--tag", "heroku", "--format", output_format) for output_format in ("text", "json")]
    for stdout, stderr, error in outputs:
        for text in (stdout, stderr, str(error)):
            assert_inert(text, API_PASSWORD)
    assert "cannot connect to http://***@127.0.0.1:" in outputs[0][0]
    for run in CheckRun.objects.all():
        for text in stored_strings(run):
            assert_inert(text, API_PASSWORD)
        assert_admin_pages_inert(run, API_PASSWORD)


# A live site: HTTPS on 443 behind Basic authentication, plain HTTP on 80, both hostile.


class HostileSite(BaseHTTPRequestHandler):
    server_version = "nginx/1.25.3" + CLEAR_SCREEN
    sys_version = ""
    authorizations: list[str | None]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if not isinstance(self.connection, ssl.SSLSocket):
            self.send_response(301)
            self.send_header("Location", f"https://evil.example/{CLEAR_SCREEN}")
            self.end_headers()
            return
        self.authorizations.append(self.headers.get("Authorization"))
        expected = "Basic " + base64.b64encode(f"admin:{SITE_PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="staging"')
            self.end_headers()
            return
        if self.path != "/":
            body = b"You're seeing this error because you have <code>DEBUG = True</code>"
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Strict-Transport-Security", f"max-age=31536000{CLEAR_SCREEN}")
        self.send_header("Referrer-Policy", "same-origin\x1b]0;owned\x07")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Set-Cookie", "-2+3+cmd|' /C calc'!A0=1; Path=/")
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def hostile_site(certificate_authority, monkeypatch) -> Iterator[Callable[[], list[str | None]]]:
    """The site on SITE_HOST:443 and :80; yields what returns the Authorization headers it saw."""
    ca, directory = certificate_authority
    bundle = directory / "hostile-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(SITE_HOST).configure_cert(context)
    seen: list[str | None] = []
    handler = type("Handler", (HostileSite,), {"authorizations": seen})
    try:
        servers = [ThreadingHTTPServer((SITE_HOST, port), handler) for port in (443, 80)]
    except PermissionError:
        pytest.skip("the live HTTP tests serve on ports 80 and 443 of 127.0.0.N, which needs root")
    servers[0].socket = context.wrap_socket(servers[0].socket, server_side=True)
    threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    yield lambda: seen
    for server in servers:
        server.shutdown()
        server.server_close()


def test_live_probes_use_the_credentials_and_never_show_them(hostile_site, caplog):
    url = f"https://admin:{SITE_PASSWORD}@{SITE_HOST}/"
    caplog.set_level(logging.DEBUG)
    outputs = {
        output_format: run_command("--tag", "http", "--url", url, "--format", output_format)
        for output_format in ("text", "json", "junit")
    }
    # The probe authenticated with what --url carried.
    expected = "Basic " + base64.b64encode(f"admin:{SITE_PASSWORD}".encode()).decode()
    assert set(hostile_site()) == {expected}
    for stdout, stderr, error in outputs.values():
        for text in (stdout, stderr, str(error)):
            assert_inert(text, SITE_PASSWORD)
    text = outputs["text"][0]
    assert f"https://***@{SITE_HOST}/" in text
    assert "Versions are public: Server: nginx/1.25.3\\x1b[2J\\x1b[31m" in text
    assert "Plain HTTP redirects to https://evil.example/\\x1b[2J\\x1b[31m" in text

    document = json.loads(outputs["json"][0])
    assert document["run"]["selection"]["urls"] == [f"https://***@{SITE_HOST}/"]
    results = {result["check"]: result for result in document["results"]}
    assert results["http.hsts"]["status"] == "passed"
    assert results["http.hsts"]["message"] == "max-age=31536000\\x1b[2J\\x1b[31m"
    assert results["http.debug_page"]["status"] == "failed"
    assert results["http.cookies"]["obj"] == "-2+3+cmd|' /C calc'!A0"
    for value in strings_in(document):
        assert_inert(value, SITE_PASSWORD)

    ElementTree.fromstring(outputs["junit"][0])
    for line in caplog.messages:
        assert_inert(line, SITE_PASSWORD)
    for run in CheckRun.objects.all():
        assert run.selection["urls"] == [f"https://***@{SITE_HOST}/"]
        for value in stored_strings(run):
            assert_inert(value, SITE_PASSWORD)
        rows = assert_admin_pages_inert(run, SITE_PASSWORD)
        assert "'-2+3+cmd|' /C calc'!A0" in [row["obj"] for row in rows]


def test_an_invalid_url_with_credentials_is_refused_without_echoing_them():
    _stdout, _stderr, error = run_command("--url", f"https://admin:{SITE_PASSWORD}@{SITE_HOST}:99999/")
    assert error is not None
    assert_inert(str(error), SITE_PASSWORD)
    assert f"https://***@{SITE_HOST}:99999/" in str(error)


# A project's own check: it may quote whatever it read, and it may raise.


HOSTILE = Family("project")


@HOSTILE.check("project.hostile", title=f"Quotes a peer{CLEAR_SCREEN}", level=Level.ERROR)
def quotes_a_peer(facts: Any) -> Any:
    return failed(
        f"{FORMULA} said {CLEAR_SCREEN}",
        obj=f"@SUM(1)\r\nhttps://user:{SITE_PASSWORD}@example.com/",
        hint="\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
        details={"url": f"https://user:{SITE_PASSWORD}@example.com/?token=abc", f"k{ESC}": [ESC]},
    )


@HOSTILE.check("project.raises", title="Raises")
def raises(facts: Any) -> Any:
    raise ValueError(f"{CLEAR_SCREEN}https://user:{SITE_PASSWORD}@example.com/")


@pytest.fixture
def hostile_project_checks(settings: Any) -> None:
    settings.DEPLOYCHECK = {**getattr(settings, "DEPLOYCHECK", {}), "CHECKS": [f"{__name__}.HOSTILE"]}


def test_a_project_check_cannot_write_harmful_output(hostile_project_checks, caplog):
    caplog.set_level(logging.INFO, logger="deploycheck")
    outputs = [
        run_command("--tag", "project", "--format", output_format) for output_format in ("text", "json", "junit")
    ]
    for stdout, stderr, error in outputs:
        for text in (stdout, stderr, str(error)):
            assert_inert(text, SITE_PASSWORD)
    ElementTree.fromstring(outputs[2][0])
    assert "Quotes a peer\\x1b[2J\\x1b[31m" in outputs[0][0]
    assert "ValueError: \\x1b[2J\\x1b[31mhttps://***@example.com/" in outputs[0][0]
    # deploycheck's log record of the exception, traceback included, is inert too.
    records = [record for record in caplog.records if record.name == "deploycheck"]
    assert records
    for record in records:
        assert_inert(logging.Formatter().format(record), SITE_PASSWORD)
    for run in CheckRun.objects.all():
        for text in stored_strings(run):
            assert_inert(text, SITE_PASSWORD)
        hostile = run.results.get(check_id="project.hostile")
        assert hostile.details == {"url": "https://***@example.com/?token=***", "k\\x1b": ["\\x1b"]}
        rows = assert_admin_pages_inert(run, SITE_PASSWORD)
        assert {row["obj"] for row in rows if row["check"] == "project.hostile"} == {
            "'@SUM(1)\\x0d\\x0ahttps://***@example.com/"
        }
