from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import django
import pytest
from django.utils import translation
from pytest_httpserver import HTTPServer

from deploycheck import conf
from deploycheck.core.catalogue import Catalogue
from tests.heroku_fake import TOKEN, FakeHeroku
from tests.osv_fake import FakeOSV
from tests.secure import HEROKU_READY_SETTINGS, SECURE_SETTINGS, with_policy

ROOT = Path(__file__).resolve().parent.parent

if django.VERSION >= (6, 0):
    # As in a project whose apps enqueue tasks (Wagtail does): importing django.tasks registers
    # Django's own check_tasks, a generator, which every parity test then covers.
    import django.tasks


@pytest.fixture(autouse=True)
def language_of_the_settings() -> Iterator[None]:
    """Each test starts in settings.LANGUAGE_CODE: a request through LocaleMiddleware leaves its
    language active on the thread, as Django expects the next request to set its own."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def no_osv_by_default(monkeypatch) -> None:
    """The suite never asks the real OSV database, even in a test that replaces DEPLOYCHECK whole:
    OSV_API_URL defaults to None here; the advisory tests point it at the fake (the ``osv`` fixture)."""
    monkeypatch.setitem(conf.DEFAULTS, "OSV_API_URL", None)
    monkeypatch.setattr(conf, "_last", None)


@pytest.fixture
def secure_settings(settings, tmp_path):
    """Production-like settings, and a project root naming the running Python in .python-version."""
    for name, value in SECURE_SETTINGS.items():
        setattr(settings, name, value)
    settings.MIDDLEWARE = with_policy(settings.MIDDLEWARE)
    (tmp_path / ".python-version").write_text("{}.{}\n".format(*sys.version_info[:2]))
    settings.DEPLOYCHECK = {**getattr(settings, "DEPLOYCHECK", {}), "PROJECT_ROOT": str(tmp_path)}
    return settings


@pytest.fixture
def registered_checks() -> Catalogue:
    """A catalogue of deploycheck's families and the project family of tests/registered_checks.py."""
    from tests import registered_checks as project

    built = Catalogue()
    built.load()
    built.add(project.FAMILY)
    return built


@pytest.fixture
def manage(tmp_path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `django-admin` in a new process on its own SQLite file, as a shell would."""
    database = tmp_path / "db.sqlite3"

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "django", *args],
            capture_output=True,
            text=True,
            env=cli_environment(database, **(env or {})),
            timeout=timeout,
            cwd=ROOT,
        )

    return run


def cli_environment(database: Path, **env: str) -> dict[str, str]:
    """The environment of a `python -m django` process on its own SQLite file (tests/cli_settings.py)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.cli_settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT),
        **env,
    }


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once for the session, for tests to copy when they need the tables."""
    template = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    migrate = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"],
        env=cli_environment(template),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert migrate.returncode == 0, migrate.stderr
    return template


@pytest.fixture
def spawn() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start `python -m django ARGS` without waiting for it; whatever still runs at the end is killed."""
    started: list[subprocess.Popen[str]] = []

    def run(args: list[str], environment: dict[str, str]) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", *args],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        started.append(process)
        return process

    yield run
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def _loopback_server() -> Iterator[HTTPServer]:
    # One server per fake API for the session: stopping one takes half a second.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def heroku_server():
    yield from _loopback_server()


@pytest.fixture
def heroku(heroku_server, settings, monkeypatch):
    """A fake Heroku API on loopback holding one healthy app, weareone, deploycheck pointed at it and
    the settings a project deployed there has."""
    heroku_server.clear()
    fake = FakeHeroku(heroku_server)
    fake.add_app("weareone")
    monkeypatch.setenv("HEROKU_API_KEY", TOKEN)
    monkeypatch.delenv("HEROKU_APP_NAME", raising=False)
    for name, value in HEROKU_READY_SETTINGS.items():
        setattr(settings, name, value)
    settings.DEPLOYCHECK = {
        **getattr(settings, "DEPLOYCHECK", {}),
        "HEROKU_API_URL": fake.url,
        "HEROKU_APPS": ["weareone"],
        "HEROKU_BACKOFF": 0.01,
        "HEROKU_READ_TIMEOUT": 2.0,
    }
    yield fake
    heroku_server.clear()


@pytest.fixture(scope="session")
def osv_server():
    yield from _loopback_server()


@pytest.fixture
def osv(osv_server, settings):
    """A fake OSV API on loopback with no advisory, and deploycheck pointed at it."""
    osv_server.clear()
    fake = FakeOSV(osv_server)
    settings.DEPLOYCHECK = {**getattr(settings, "DEPLOYCHECK", {}), "OSV_API_URL": fake.url}
    yield fake
    osv_server.clear()


# Real sites: a Django project served by werkzeug on 127.0.0.N, port 443 with TLS and port 80.


def _can_bind_low_ports() -> bool:
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.250", 80))
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def certificate_authority(tmp_path_factory) -> Any:
    trustme = pytest.importorskip("trustme")
    return trustme.CA(), tmp_path_factory.mktemp("tls")


@pytest.fixture
def site(certificate_authority, monkeypatch) -> Iterator[Callable[..., str]]:
    """Start the test site with a profile on its own loopback address; returns its https:// URL."""
    if not _can_bind_low_ports():
        if os.environ.get("CI") == "true":
            pytest.fail("the live HTTP tests serve on ports 80 and 443 of 127.0.0.N, which needs root")
        pytest.skip("the live HTTP tests serve on ports 80 and 443 of 127.0.0.N, which needs root")
    ca, directory = certificate_authority
    bundle = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    processes: list[subprocess.Popen[str]] = []

    def start(
        profile: str,
        host: str,
        *,
        trusted: bool = True,
        not_after: datetime.datetime | None = None,
        certified_host: str | None = None,
    ) -> str:
        """``not_after`` ends the certificate's validity; ``certified_host`` issues it for another host."""
        import trustme

        issuer = ca if trusted else trustme.CA()
        # An expired certificate was valid once: its validity starts before it ends.
        not_before = not_after - datetime.timedelta(days=365) if not_after else None
        leaf = issuer.issue_cert(certified_host or host, not_before=not_before, not_after=not_after)
        cert, key = directory / f"{host}.crt", directory / f"{host}.key"
        leaf.cert_chain_pems[0].write_to_path(str(cert))
        leaf.private_key_pem.write_to_path(str(key))
        environment = {**os.environ, "SITE_PROFILE": profile, "PYTHONPATH": str(ROOT)}
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.http_site.serve", host, str(cert), str(key)],
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        processes.append(process)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        return f"https://{host}/"

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
