"""The overview and the top of the runs list: one card per app, a chart and a grid per app."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deploycheck.core.catalogue import catalogue
from deploycheck.core.choices import Level, Outcome, Status, Trigger
from deploycheck.models import CheckResult, CheckRun
from deploycheck.store import history
from tests.test_admin import CHANGELIST, OVERVIEW, client_for, run_page, staff

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=10)


def stored_run(app: str, statuses: dict[str, str], minutes: int, outcome: str = Outcome.PASSED) -> CheckRun:
    """A run of ``app`` with one result per check id, written directly as the runner would store it."""
    started = START + timedelta(minutes=minutes)
    run = CheckRun.objects.create(
        started_at=started,
        finished_at=started + timedelta(seconds=2),
        duration=timedelta(seconds=2),
        trigger=Trigger.RELEASE,
        outcome=outcome,
        fail_level=Level.ERROR,
        heroku_app=app,
        release_version=f"v{minutes}",
        commit=f"{minutes:040x}",
        django_version="5.2",
        python_version="3.12",
        deploycheck_version="0.1.0",
    )
    CheckResult.objects.bulk_create(
        CheckResult(
            run=run,
            check_id=check_id,
            message_id=check_id,
            family="django",
            title=f"Stored title of {check_id}",
            wording={"title": f"Stored title of {check_id}"},
            status=status,
            level=Level.ERROR if status == Status.FAILED else None,
            duration=timedelta(milliseconds=1),
        )
        for check_id, status in statuses.items()
    )
    return run


@pytest.fixture
def two_apps() -> dict[str, list[CheckRun]]:
    """Production fails on its last deploy; staging, checked after it, passes; this site once."""
    passed, failed, error = Status.PASSED, Status.FAILED, Status.ERROR
    production = [
        stored_run("shop", {"security.W018": passed, "security.W004": passed, "x.net": passed}, 0),
        stored_run("shop", {"security.W018": failed, "security.W004": passed, "x.net": error}, 20, Outcome.FAILED),
        stored_run("shop", {"security.W018": failed, "security.W004": failed, "x.net": error}, 40, Outcome.FAILED),
    ]
    staging = [
        stored_run("shop-staging", {"security.W018": failed, "security.W004": passed}, 10, Outcome.FAILED),
        stored_run("shop-staging", {"security.W018": passed, "security.W004": passed}, 50),
    ]
    site = [stored_run("", {"security.W018": passed}, 30)]
    return {"shop": production, "shop-staging": staging, "": site}


def viewer_client() -> Client:
    return client_for(staff("viewer", "view_checkrun"))


def test_one_card_per_app_with_its_latest_run_and_what_is_new(two_apps):
    response = viewer_client().get(OVERVIEW)
    states = {state.app: state for state in response.context["app_states"]}
    assert list(states) == ["shop", "shop-staging", ""]
    shop = states["shop"]
    # Production's last deploy failed even though staging passed after it.
    assert (shop.run, shop.previous) == (two_apps["shop"][-1], two_apps["shop"][-2])
    assert (shop.failed, shop.new_failed) == (2, 1)  # W004 is new; W018 failed before too
    assert (shop.not_evaluated, shop.new_not_evaluated) == (1, 0)
    staging = states["shop-staging"]
    assert staging.run == two_apps["shop-staging"][-1]
    assert (staging.failed, staging.not_evaluated, staging.new_failed) == (0, 0, 0)
    assert states[""].previous is None
    page = response.content.decode()
    assert "This site" in page
    assert "<dt>fail level</dt><dd>ERROR</dd>" in page
    for state in states.values():
        assert f'href="{run_page(state.run)}" class="deploycheck-card-run"' in page
        assert state.run.release_version in page
    assert two_apps["shop"][-1].commit[:8] in page


def test_a_card_says_what_failed_below_the_fail_level_as_the_run_page_does(two_apps):
    run = stored_run("shop", {"security.W018": Status.PASSED, "security.W004": Status.FAILED}, 60)
    CheckResult.objects.filter(run=run, status=Status.FAILED).update(level=Level.WARNING)
    client = viewer_client()
    [shop] = [state for state in client.get(OVERVIEW).context["app_states"] if state.app == "shop"]
    assert shop.verdict == "passed at ERROR, 1 warning"
    # The same words on the card of the runs list as in the list's own verdict column.
    assert client.get(CHANGELIST).content.decode().count(">passed at ERROR, 1 warning</span>") == 2


def test_the_runs_list_opens_with_the_cards(two_apps):
    response = viewer_client().get(CHANGELIST)
    assert [state.app for state in response.context["app_states"]] == ["shop", "shop-staging", ""]
    page = response.content.decode()
    cards = page.index('id="deploycheck-app-states"')
    assert cards < page.index('id="result_list"')
    assert f'href="{run_page(two_apps["shop"][-1])}" class="deploycheck-card-run"' in page


def test_charts_and_grids_never_mix_apps(two_apps):
    sections = {section.state.app: section for section in viewer_client().get(OVERVIEW).context["sections"]}
    for app, runs in two_apps.items():
        section = sections[app]
        # Newest first, left to right, in the grid and in the chart alike.
        assert section.runs == runs[::-1]
        assert [bar.run for bar in section.chart.bars] == runs[::-1]
        assert [label.run_id for label in section.labels] == [run.pk for run in runs[::-1]]
    shop = {row.check_id: row for row in sections["shop"].rows}
    assert [status for status, _label in shop["security.W018"].cells] == ["failed", "failed", "passed"]
    staging = {row.check_id: row for row in sections["shop-staging"].rows}
    assert "x.net" not in staging
    assert [status for status, _label in staging["security.W018"].cells] == ["passed", "failed"]
    tallies = [(bar.tally.failed, bar.tally.not_evaluated, bar.tally.passed) for bar in sections["shop"].chart.bars]
    assert tallies == [(2, 1, 0), (1, 1, 1), (0, 0, 3)]


def test_problems_first_and_checks_that_always_passed_can_be_hidden(two_apps):
    client = viewer_client()
    response = client.get(OVERVIEW)
    shop = next(section for section in response.context["sections"] if section.state.app == "shop")
    # Failing now, then not evaluated now; alphabetical order would put x.net last.
    assert [row.check_id for row in shop.rows] == ["security.W004", "security.W018", "x.net"]
    site = next(section for section in response.context["sections"] if section.state.app == "")
    assert [row.check_id for row in site.rows] == ["security.W018"]
    page = response.content.decode()
    assert 'href="?hide=passing"' in page
    # The check column stays in view: the page's stylesheet, a static file so that a strict CSP allows it.
    assert '<link rel="stylesheet" href="/static/deploycheck/admin.css">' in page
    assert "position: sticky" in Path(str(finders.find("deploycheck/admin.css"))).read_text()
    hidden = client.get(OVERVIEW, {"hide": "passing"})
    site = next(section for section in hidden.context["sections"] if section.state.app == "")
    assert (site.rows, site.hidden) == ([], 1)
    staging = next(section for section in hidden.context["sections"] if section.state.app == "shop-staging")
    assert [row.check_id for row in staging.rows] == ["security.W018"]  # it failed once: kept
    assert "1 check that always passed is hidden." in hidden.content.decode()
    assert 'id="deploycheck-show-passing"' in hidden.content.decode()


def test_grid_titles_come_from_the_catalogue(two_apps):
    page = viewer_client().get(OVERVIEW).content.decode()
    assert str(catalogue.contents.by_id["security.W018"].title) in page
    assert "Stored title of security.W018" not in page
    assert "Stored title of x.net" in page  # unknown to the catalogue: as stored


def test_the_chart_has_axes_values_and_a_link_per_bar(two_apps):
    page = viewer_client().get(OVERVIEW).content.decode()
    charts = re.findall(r'<svg class="deploycheck-chart".*?</svg>', page, re.S)
    assert len(charts) == 3
    shop = charts[0]
    for run in two_apps["shop"]:
        assert f'<a href="{run_page(run)}" class="deploycheck-bar">' in shop
    assert shop.count("<title>Run ") == 3
    assert f"<title>Run {two_apps['shop'][-1].pk}," in shop
    assert "2 failed, 1 not evaluated, 0 passed</title>" in shop
    # The problems' scale above the line (0 to 3), then the passes' top value below it.
    assert re.findall(r'text-anchor="end" dominant-baseline="middle">(\d+)</text>', shop) == ["0", "1", "2", "3", "5"]
    assert shop.count('class="axis"') == 1
    assert shop.count('class="axis line"') == 1


# Every page of the history at most this many queries, the admin's session and user included.
MOST_QUERIES = 8


def add_runs(count: int) -> CheckRun:
    """``count`` more runs taking turns over two Heroku apps and this site; the last one added."""
    have = CheckRun.objects.count()
    for index in range(have, have + count):
        app = ("shop", "shop-staging", "")[index % 3]
        statuses: dict[str, str] = {"security.W018": Status.FAILED if index % 4 else Status.PASSED}
        statuses["x.net"] = Status.ERROR
        run = stored_run(app, statuses, index)
    return run


def page_queries(client: Client, run: CheckRun) -> dict[str, int]:
    pages = {
        "runs list": CHANGELIST,
        "runs list of one app": f"{CHANGELIST}?heroku_app=shop",
        "runs list of this site": f"{CHANGELIST}?heroku_app=",
        "runs list of a year": f"{CHANGELIST}?started_at__year={run.started_at.year}",
        "run page": run_page(run),
        "check history": reverse("admin:deploycheck_history", args=["security.W018"]),
        "check history of one app": reverse("admin:deploycheck_history", args=["security.W018"])
        + f"?heroku_app=shop&from=run-{run.pk}",
        "overview": OVERVIEW,
    }
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[name] = len(captured)
    return counts


# Transactional: no savepoint of the test's own transaction around each page, as on a server.
@pytest.mark.django_db(transaction=True)
def test_every_page_takes_the_same_few_queries_for_3_and_30_runs_over_3_apps():
    admin = Client()
    admin.force_login(User.objects.create_superuser("admin", password="pw"))
    viewer = viewer_client()
    first = add_runs(3)
    few = page_queries(admin, first)
    last = add_runs(27)
    assert history.previous_run(last) is not None  # the run page compares it with its app's previous run
    many = page_queries(admin, last)
    # A first run has no earlier evaluation to read: its page takes one query fewer.
    assert history.previous_run(first) is None
    assert many == {**few, "run page": few["run page"] + 1}
    assert max(many.values()) <= MOST_QUERIES, many
    # A staff member's permissions are two queries of django.contrib.auth, on every page.
    assert page_queries(viewer, last) == {name: count + 2 for name, count in many.items()}


def test_the_chart_draws_in_french_too(two_apps, settings):
    # A French decimal comma in an SVG coordinate would leave the bars undrawn.
    settings.LANGUAGE_CODE = "fr"
    page = viewer_client().get(OVERVIEW, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    coordinates = re.findall(r'<rect class="\w+" x="([^"]+)" y="([^"]+)" width="([^"]+)"', page)
    assert coordinates
    assert all("," not in value for found in coordinates for value in found)
    assert "échoués" in page


@pytest.mark.parametrize(
    "ages",
    [
        pytest.param((0, 1, 2), id="one day"),
        pytest.param((0, 40, 70), id="months of one year"),
        pytest.param((0, 800, 1200), id="years with a gap"),
    ],
)
@pytest.mark.parametrize("query", ["", "started_at__year={year}", "started_at__year={year}&started_at__month={month}"])
def test_the_date_drill_down_lists_what_djangos_does(ages: tuple[int, ...], query: str):
    from django.contrib.admin.templatetags.admin_list import date_hierarchy

    from deploycheck.web.dates import run_date_hierarchy

    runs = [stored_run("", {"security.W018": Status.PASSED}, -days * 24 * 60) for days in ages]
    newest = timezone.localtime(runs[0].started_at)
    url = f"{CHANGELIST}?{query.format(year=newest.year, month=newest.month)}"
    changelist = viewer_client().get(url).context["cl"]
    assert run_date_hierarchy(changelist) == date_hierarchy(changelist)


def test_the_runs_list_filters_by_app_this_site_included(two_apps):
    client = viewer_client()
    page = client.get(CHANGELIST).content.decode()
    assert "By Heroku app" in page
    assert 'href="?heroku_app=shop-staging"' in page
    for app, runs in two_apps.items():
        listed = client.get(CHANGELIST, {"heroku_app": app}).context["cl"].result_list
        assert {run.pk for run in listed} == {run.pk for run in runs}


# Transactional: the page reads in autocommit, as on a server without ATOMIC_REQUESTS.
@pytest.mark.django_db(transaction=True)
def test_a_failed_read_in_autocommit_is_a_503_and_leaves_the_connection_usable(monkeypatch):
    from deploycheck.web import overview

    add_runs(3)

    def refused() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM deploycheck_no_such_table")

    monkeypatch.setattr(overview, "app_states", refused)
    assert not connection.in_atomic_block
    response = viewer_client().get(CHANGELIST)
    assert response.status_code == 503
    assert "The run history cannot be shown" in response.content.decode()
    assert CheckRun.objects.count() == 3


def test_the_apps_are_every_app_with_a_run_by_name():
    from deploycheck.store.latest import app_names

    assert app_names() == []
    for app in ("shop-staging", "", "shop", "shop", "a-shop"):
        stored_run(app, {"security.W018": Status.PASSED}, len(app))
    assert app_names() == ["", "a-shop", "shop", "shop-staging"]
