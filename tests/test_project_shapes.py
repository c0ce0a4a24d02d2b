"""deploycheck in projects of other shapes (tests/projects/), each driven by processes of its own.

Per shape, in order on one database: migrate, `check`, the command, the Python API with its
signals and e-mail to ADMINS, and every admin site that shows deploycheck, as a superuser: each
page answers and every link on it stays on its own site.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.projects import SHAPES, Shape

pytestmark = pytest.mark.slow


@pytest.fixture(params=SHAPES, ids=lambda shape: shape.name)
def shape(request: pytest.FixtureRequest) -> Shape:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def in_shape(manage, shape: Shape) -> Callable[..., Any]:
    def run(*args: str) -> Any:
        process = manage(*args, env={"DJANGO_SETTINGS_MODULE": shape.settings_module})
        assert "Traceback" not in process.stderr, process.stderr
        assert process.returncode == 0, process.stdout + process.stderr
        return process

    return run


def exercise(in_shape: Callable[..., Any], *arguments: str) -> Any:
    code = f"from tests.projects import exercise; exercise.main{arguments!r}"
    return json.loads(in_shape("shell", "--no-imports", "-c", code).stdout)


def test_the_project_migrates_checks_runs_and_shows_its_runs(in_shape, shape):
    in_shape("migrate", "--no-input", "-v0")
    assert "System check identified no issues" in in_shape("check").stdout
    command_runs_every_family(in_shape)
    python_api_signals_and_mail_work(in_shape, shape)
    for prefix in shape.admin_prefixes:
        admin_pages_link_within_their_own_site(in_shape, prefix)


def command_runs_every_family(in_shape: Callable[..., Any]) -> None:
    document = json.loads(in_shape("deploycheck", "--format", "json").stdout)
    assert document["run"]["saved"] is True
    assert document["run"]["outcome"] == "passed"
    not_evaluated = [(result["id"], result["message"]) for result in document["results"] if result["status"] == "error"]
    assert not_evaluated == []
    assert {result["family"] for result in document["results"]} >= {"django", "release"}


def python_api_signals_and_mail_work(in_shape: Callable[..., Any], shape: Shape) -> None:
    # Two runs of security.W018: DEBUG off, then on. The user is deleted before the runs are read.
    found = exercise(in_shape, "api")
    first, second = found["runs"]
    assert [run["triggered_by"] for run in found["runs"]] == [shape.username, "release-bot"]
    assert [run["trigger"] for run in found["runs"]] == ["api", "api"]
    assert found["run_finished"] == [first["pk"], second["pk"]]
    assert found["regression"] == [{"run": second["pk"], "previous": first["pk"], "checks": ["security.W018"]}]
    subject = "[Django] 1 check fails that passed when last evaluated"
    assert found["mail"] == [{"to": ["ops@example.com"], "subject": subject}]


def admin_pages_link_within_their_own_site(in_shape: Callable[..., Any], prefix: str) -> None:
    found = exercise(in_shape, "admin", prefix)
    run, base = found["run"], f"/{prefix}deploycheck/"
    changelist, overview = f"{base}checkrun/", f"{base}checkrun/overview/"
    run_page, history = f"{changelist}{run}/change/", f"{changelist}history/security.W018/"
    # Each HTML page, and links it must hold.
    pages = {
        f"/{prefix}": [changelist, f"{base}overview/"],
        changelist: [overview, f"{changelist}run/", run_page],
        run_page: [f"{changelist}{run}/export.json", f"{changelist}{run}/export.csv", overview, history],
        overview: [f"{changelist}run/", run_page, history],
        # Opened without an origin, the history leads back to the runs list.
        history: [changelist, run_page],
    }
    assert found["status"] == {
        **dict.fromkeys(pages, 200),
        f"{changelist}{run}/export.json": 200,
        f"{changelist}{run}/export.csv": 200,
        f"{base}overview/": 302,
        f"{changelist}run/": 302,
    }
    assert found["location"] == {
        f"{base}overview/": overview,
        f"{changelist}run/": f"{changelist}{run + 1}/change/",
    }
    for page, expected in pages.items():
        links = found["links"][page]
        # A history link carries the app and where it came from in its query string.
        assert set(expected) <= {link.split("?")[0] for link in links}, (prefix, page, links)
        assert [link for link in links if not link.startswith(f"/{prefix}")] == [], (prefix, page)
