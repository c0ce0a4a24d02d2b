"""A check's history: one app at a time, a filter between the apps, and a breadcrumb back to where the reader was."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from deploycheck.core.choices import Outcome, Status
from deploycheck.models import CheckRun
from deploycheck.web.history_page import Origin, history_query
from tests.test_admin import OVERVIEW, run_page
from tests.web.test_overview import stored_run, viewer_client

pytestmark = pytest.mark.django_db

HISTORY = reverse("admin:deploycheck_history", args=["security.W018"])


@pytest.fixture
def apps() -> dict[str, list[CheckRun]]:
    """Production failed its last deploy, staging passed, this site once; each oldest first."""
    passed, failed = Status.PASSED, Status.FAILED
    return {
        "shop": [
            stored_run("shop", {"security.W018": passed}, 0),
            stored_run("shop", {"security.W018": failed}, 20, Outcome.FAILED),
            stored_run("shop", {"security.W004": passed}, 25),  # did not evaluate W018
            stored_run("shop", {"security.W018": failed}, 40, Outcome.FAILED),
        ],
        "shop-staging": [
            stored_run("shop-staging", {"security.W018": failed}, 10, Outcome.FAILED),
            stored_run("shop-staging", {"security.W018": passed}, 50),
        ],
        "": [stored_run("", {"security.W018": passed}, 30)],
    }


def breadcrumbs(page: str) -> list[tuple[str, str]]:
    """The breadcrumb bar's links, (URL, text), in either of the admin's markups."""
    bar = re.search(r'class="breadcrumbs">(.*?)</(?:ol|div)>', page, re.S)
    assert bar, "no breadcrumb bar"
    return [(unescape(url), text) for url, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', bar[1])]


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("overview", Origin("overview")),
        ("run-42", Origin("run", 42)),
        ("", Origin()),
        ("run-0", Origin()),
        ("run-", Origin()),
        ("run-42/", Origin()),
        ("run-4e2", Origin()),
        ("run-1234567890123456789", Origin()),
        ("Overview", Origin()),
        ("https://evil.example/", Origin()),
        ("//evil.example", Origin()),
        ("javascript:alert(1)", Origin()),
        ("/admin/deploycheck/checkrun/overview/", Origin()),
    ],
)
def test_an_origin_is_one_of_a_few_known_pages(value: str, origin: Origin):
    assert Origin.named(value) == origin
    assert Origin.named(origin.name) == origin


def test_a_link_names_the_app_and_the_page_it_is_on():
    assert history_query("shop", Origin("run", 42)) == "heroku_app=shop&from=run-42"
    assert history_query("", Origin("overview")) == "heroku_app=&from=overview"
    assert history_query("shop", Origin()) == "heroku_app=shop"


def test_the_history_of_one_app_newest_first(apps):
    client = viewer_client()
    for app, runs in apps.items():
        page = client.get(HISTORY, {"heroku_app": app}).context["page"]
        evaluated = [run for run in runs if run.results.filter(check_id="security.W018").exists()]
        assert [entry.run for entry in page.entries] == evaluated[::-1], app
    shop = client.get(HISTORY, {"heroku_app": "shop"})
    assert [entry.status for entry in shop.context["page"].entries] == ["failed", "failed", "passed"]
    assert "<title>History of security.W018 on shop |" in shop.content.decode()
    site = client.get(HISTORY, {"heroku_app": ""}).content.decode()
    assert "<title>History of security.W018 on this site |" in site
    unknown = client.get(HISTORY, {"heroku_app": "no-such-app"}).content.decode()
    assert "No run of no-such-app has evaluated this check yet." in unknown


def test_without_an_app_the_page_shows_the_app_of_the_last_run_stored_that_evaluated_the_check(apps):
    client = viewer_client()
    # This site's run was stored last (the fixture stores the apps in turn), though not started last.
    assert client.get(HISTORY).context["page"].app == ""
    assert client.get(reverse("admin:deploycheck_history", args=["security.W004"])).context["page"].app == "shop"
    # Never evaluated: the first app, and the page says so.
    never = client.get(reverse("admin:deploycheck_history", args=["no.such_check"]))
    assert never.context["page"].app == "shop"
    assert "No run of shop has evaluated this check yet." in never.content.decode()


def test_the_filter_lists_every_app_as_the_cards_do_and_keeps_the_way_back(apps):
    run = apps["shop"][-1]
    response = viewer_client().get(HISTORY, {"heroku_app": "shop", "from": f"run-{run.pk}"})
    choices = response.context["page"].choices
    assert [(choice.label, choice.selected) for choice in choices] == [
        ("shop", True),
        ("shop-staging", False),
        ("This site", False),
    ]
    page = response.content.decode()
    assert f'href="?heroku_app=shop-staging&amp;from=run-{run.pk}"' in page
    assert f'href="?heroku_app=&amp;from=run-{run.pk}"' in page
    assert page.count('aria-current="page">shop</a>') == 1


def test_the_breadcrumb_leads_back_to_where_the_reader_came_from(apps):
    client = viewer_client()
    runs_list = reverse("admin:deploycheck_checkrun_changelist")
    run = apps["shop"][-1]
    from_run = breadcrumbs(client.get(HISTORY, {"heroku_app": "shop", "from": f"run-{run.pk}"}).content.decode())
    assert from_run[-2:] == [(runs_list, "Check runs"), (run_page(run), f"Run {run.pk}")]
    from_overview = breadcrumbs(client.get(HISTORY, {"heroku_app": "shop", "from": "overview"}).content.decode())
    assert from_overview[-1] == (f"{OVERVIEW}#deploycheck-app-shop", "Overview")
    site = breadcrumbs(client.get(HISTORY, {"heroku_app": "", "from": "overview"}).content.decode())
    assert site[-1] == (f"{OVERVIEW}#deploycheck-app--", "Overview")
    # Nowhere known: the runs list, the page's place in the admin.
    assert breadcrumbs(client.get(HISTORY, {"heroku_app": "shop"}).content.decode())[-1] == (runs_list, "Check runs")


@pytest.mark.parametrize(
    "origin", ["https://evil.example/", "//evil.example/", "run-1/../../evil.example", "javascript:alert(1)"]
)
def test_no_origin_from_the_request_becomes_a_link(apps, origin: str):
    page = viewer_client().get(HISTORY, {"heroku_app": "shop", "from": origin}).content.decode()
    assert breadcrumbs(page)[-1] == (reverse("admin:deploycheck_checkrun_changelist"), "Check runs")
    assert "evil.example" not in page
    assert "javascript:" not in page


def test_a_hostile_app_name_is_text(apps):
    hostile = '"><script>alert(1)</script>'
    page = viewer_client().get(HISTORY, {"heroku_app": hostile, "from": "overview"}).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # In the breadcrumb's URL, as a fragment: quoted.
    assert f"{OVERVIEW}#deploycheck-app-%22%3E%3Cscript%3E" in page


def test_links_to_a_history_carry_the_app_and_the_way_back(apps):
    client = viewer_client()
    run = apps["shop"][-1]
    page = client.get(run_page(run)).content.decode()
    assert f'href="{HISTORY}?heroku_app=shop&amp;from=run-{run.pk}"' in page
    overview = client.get(OVERVIEW).content.decode()
    for app in ("shop", "shop-staging", ""):
        assert f'href="{HISTORY}?heroku_app={app}&amp;from=overview"' in overview
