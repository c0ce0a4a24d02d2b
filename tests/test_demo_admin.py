"""`make demo-admin`: the example project's admin with a history, against a stand-in of Heroku's API.

example_project/demo_admin.py runs here as `make demo-admin` runs it, in a copy of the example
project and on a free port: it records four runs through the stand-in, creates the superuser and
serves the admin. The tests read the stored runs, log in with the password it printed, open the
runs list and the overview, and end it with Ctrl-C, which must stop runserver and the stand-in.
"""

from __future__ import annotations

import http.cookiejar
import importlib.util
import json
import os
import queue
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_project"
PRODUCTION, STAGING = "weareone-production", "weareone-staging"
# Four manage.py processes and a migration, on a loaded machine.
SET_UP_SECONDS = 120

# Read in the demo's database by the example project's own Django: each run, and what the run of
# production's second release says changed since the first.
READ_RUNS = """
import json, django
django.setup()
from deploycheck.models import CheckRun
from deploycheck.store.history import compared, stored_report
runs = []
for run in CheckRun.objects.order_by("id"):
    report, before = compared(stored_report(run))
    changed = report.comparison if before.runs else None
    runs.append({
        "app": run.heroku_app, "release": run.release_version, "trigger": run.trigger,
        "outcome": run.outcome, "selection": run.selection,
        "newly_failing": sorted(r.check_id for r in changed.newly_failing) if changed else [],
        "fixed": sorted(r.check_id for r in changed.fixed) if changed else [],
    })
print(json.dumps(runs))
"""


@dataclass
class Demo:
    project: Path
    port: int
    process: subprocess.Popen[str]
    lines: list[str]

    @property
    def standin_url(self) -> str:
        return _found(r"(http://127\.0\.0\.1:\d+)", self.lines)

    @property
    def password(self) -> str:
        return _found(r"user demo, password (\S+)", self.lines)


def _found(pattern: str, lines: list[str]) -> str:
    for line in lines:
        match = re.search(pattern, line)
        if match:
            return match.group(1)
    raise AssertionError(f"{pattern!r} not in {lines}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _lines_until(process: subprocess.Popen[str], last: str, seconds: float) -> list[str]:
    """The lines ``process`` prints up to the one starting with ``last``, read on a thread so a hang fails."""
    assert process.stdout is not None
    stdout, lines = process.stdout, queue.Queue[str | None]()

    def read() -> None:
        for line in stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + seconds
    while not seen or not seen[-1].startswith(last):
        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        assert line is not None, "\n".join(seen)
        seen.append(line)
    return seen


def _wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing answers on port {port}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """demo_admin.py serving, in its own session so that Ctrl-C can reach its process group as a terminal's does."""
    project = tmp_path_factory.mktemp("demo-admin") / "example_project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("*.sqlite3", ".env", "__pycache__", "staticfiles"))
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "demo_admin.py", "--port", str(port)],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT), "LANGUAGE_CODE": "en", "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        lines = _lines_until(process, "runserver on", SET_UP_SECONDS)
        _wait_for_port(port, 30)
        yield Demo(project, port, process, lines)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.slow
def test_the_history_shows_each_case(demo):
    lines = "\n".join(demo.lines)
    assert "FAILED (fail level ERROR)" in lines, lines
    assert "PASSED (fail level ERROR)" in lines, lines
    read = subprocess.run(
        [sys.executable, "-c", READ_RUNS],
        cwd=demo.project,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "example_project.settings",
            "DATABASE_URL": f"sqlite:///{demo.project / 'demo-admin.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert read.returncode == 0, read.stderr
    runs = json.loads(read.stdout.strip().splitlines()[-1])
    latest = {run["app"]: run for run in runs}
    assert latest[PRODUCTION]["outcome"] == "failed"
    assert latest[STAGING]["outcome"] == "passed"
    partial = [run for run in runs if run["selection"]["tags"] or run["selection"]["checks"]]
    assert [(run["app"], run["selection"]["tags"], run["trigger"]) for run in partial] == [
        (STAGING, ["heroku"], "schedule")
    ]
    # Production's second release: the certificate newly fails, the log drain fixed the logs.
    [v121] = [run for run in runs if run["release"] == "v121"]
    assert v121["newly_failing"] == ["heroku.ssl"]
    assert v121["fixed"] == ["heroku.log_monitoring"]
    assert {run["trigger"] for run in runs} == {"release", "schedule"}


@pytest.mark.slow
def test_the_admin_shows_both_apps_to_the_printed_user(demo):
    base = f"http://127.0.0.1:{demo.port}"
    # No proxy of the caller's may stand between the test and loopback.
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/admin/login/"
    form = browser.open(login, timeout=30).read().decode()
    token = _found(r'name="csrfmiddlewaretoken" value="([^"]+)"', [form])
    fields = {"csrfmiddlewaretoken": token, "username": "demo", "password": demo.password, "next": "/admin/"}
    with browser.open(login, data=urlencode(fields).encode(), timeout=30) as answer:
        assert answer.url == f"{base}/admin/", "the printed password did not log in"
    for page in ("/admin/deploycheck/checkrun/", "/admin/deploycheck/checkrun/overview/"):
        with browser.open(base + page, timeout=30) as answer:
            body = answer.read().decode()
            assert answer.status == 200, page
        assert PRODUCTION in body, page
        assert STAGING in body, page


@pytest.mark.slow
def test_ctrl_c_stops_runserver_and_the_stand_in(demo):
    standin = demo.standin_url
    # A terminal's Ctrl-C signals the whole foreground group: demo_admin.py and runserver.
    os.killpg(demo.process.pid, signal.SIGINT)
    assert demo.process.wait(timeout=30) == 0
    for port in (demo.port, int(standin.rsplit(":", 1)[1])):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still answers"


def _demo_module() -> ModuleType:
    """example_project/demo_admin.py as a module, imported as its script imports its neighbour; nothing left behind."""
    sys.path.insert(0, str(EXAMPLE))
    try:
        spec = importlib.util.spec_from_file_location("demo_admin", EXAMPLE / "demo_admin.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        # Dataclasses look their module up while the module loads.
        sys.modules["demo_admin"] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(EXAMPLE))
        sys.modules.pop("demo_admin", None)
        sys.modules.pop("heroku_standin", None)


def test_every_line_of_the_demo_exists_in_french():
    words = _demo_module().WORDS

    def fields(line: str) -> set[str]:
        return {name for _text, name, _spec, _conversion in string.Formatter().parse(line) if name}

    assert set(words["fr"]) == set(words["en"])
    assert all(fields(words["fr"][key]) == fields(line) for key, line in words["en"].items())


def test_a_taken_port_is_said_before_anything_is_recorded(tmp_path):
    for name in ("demo_admin.py", "heroku_standin.py"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        completed = subprocess.run(
            [sys.executable, "demo_admin.py", "--port", str(port)],
            cwd=tmp_path,
            env={**os.environ, "LANGUAGE_CODE": "en"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert completed.returncode == 2, completed.stderr
    assert f"DEMO_PORT={port + 1}" in completed.stderr
    assert not (tmp_path / "demo-admin.sqlite3").exists()
