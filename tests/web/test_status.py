"""status.json: each app's latest verdict, behind a bearer token, read from real stored runs."""

from __future__ import annotations

import json
import logging
from datetime import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from deploycheck.core.choices import Outcome, Status
from deploycheck.models import CheckResult, CheckRun
from tests.web.test_overview import stored_run

pytestmark = pytest.mark.django_db

TOKEN = "status-token-for-tests-0123456789abcdef"
STATUS = "/deploycheck/status.json"
URLS = [STATUS, "/deploycheck/metrics", "/deploycheck/badge.svg?app=shop"]


@pytest.fixture
def token(settings) -> str:
    settings.DEPLOYCHECK = {"OSV_API_URL": None, "STATUS_TOKEN": TOKEN}
    return TOKEN


def reader(authorization: str | None = f"Bearer {TOKEN}") -> Client:
    return Client(headers={"Authorization": authorization} if authorization is not None else {})


def passing_and_failing() -> None:
    stored_run("shop", {"security.W018": Status.PASSED}, 0, Outcome.FAILED)
    stored_run("shop", {"security.W018": Status.PASSED}, 10)
    stored_run("shop-staging", {"security.W018": Status.FAILED}, 20, Outcome.FAILED)
    stored_run("", {"security.W018": Status.PASSED}, 30)


# The token rules, on all three URLs.


@pytest.mark.parametrize("url", URLS)
def test_closed_without_a_token_as_if_absent(url):
    passing_and_failing()
    for client in (reader(), reader(None)):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        (None, 401),
        ("", 401),
        ("Bearer", 401),
        ("Bearer   ", 401),
        (f"Basic {TOKEN}", 401),
        (TOKEN, 401),
        ("Bearer wrong", 403),
        (f"Bearer {TOKEN}x", 403),
        (f"Bearer {TOKEN[:-1]}", 403),
        (f"Bearer {TOKEN.upper()}", 403),
        (f"Bearer {TOKEN} extra", 403),
        ("Bearer é" + TOKEN[1:], 403),
        (f"Bearer {TOKEN}", None),
        (f"bearer  {TOKEN} ", None),
    ],
)
def test_the_token_rules(token, url, authorization, expected):
    passing_and_failing()
    response = reader(authorization).get(url)
    if expected is None:
        assert response.status_code in {200, 503}
        return
    assert response.status_code == expected
    assert response["Cache-Control"] == "no-store"
    assert "Authorization" in response["Vary"]
    assert (response.get("WWW-Authenticate") == 'Bearer realm="deploycheck"') == (expected == 401)


@pytest.mark.parametrize("url", URLS)
def test_refusals_say_nothing_of_the_history(token, url):
    """401 and 403 are the same bytes with no run, with runs, and whatever the app asked for."""
    empty = [(reader(auth).get(url).status_code, reader(auth).get(url).content) for auth in (None, "Bearer no")]
    passing_and_failing()
    full = [(reader(auth).get(url).status_code, reader(auth).get(url).content) for auth in (None, "Bearer no")]
    assert empty == full == [(401, b"Authentication required.\n"), (403, b"Forbidden.\n")]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_only_get_and_head(token, url, method):
    passing_and_failing()
    # A POST needs no CSRF token to be told 405: the views only read.
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {TOKEN}"})
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert CheckRun.objects.count() == 4


@pytest.mark.parametrize("url", URLS)
def test_head_answers_as_get_without_a_body(token, url):
    passing_and_failing()
    got, head = reader().get(url), reader().head(url)
    assert head.status_code == got.status_code
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""


@pytest.mark.parametrize("url", URLS)
def test_no_session_and_no_cookie(token, url):
    response = reader().get(url)
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


# status.json


def test_200_when_every_app_passed(token):
    stored_run("shop", {"security.W018": Status.PASSED}, 0)
    stored_run("", {"security.W018": Status.PASSED}, 5)
    response = reader().get(STATUS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert "Authorization" in response["Vary"]
    document = response.json()
    assert document["passed"] is True
    assert [app["app"] for app in document["apps"]] == ["shop", None]


def test_the_json_schema(token):
    passing_and_failing()
    response = reader().get(STATUS)
    assert response.status_code == 503
    document = response.json()
    assert set(document) == {"schema", "passed", "generated_at", "apps"}
    assert document["schema"] == 1
    assert document["passed"] is False
    datetime.fromisoformat(document["generated_at"])
    shop, staging, site = document["apps"]
    run = CheckRun.objects.get(heroku_app="shop", release_version="v10")
    assert shop == {
        "app": "shop",
        "passed": True,
        "outcome": "passed",
        "fail_level": "ERROR",
        "release": "v10",
        "commit": f"{10:040x}",
        "run_id": run.pk,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
        "age_seconds": shop["age_seconds"],
        "counts": {"total": 0, "passed": 0, "failed": 0, "skipped": 0, "error": 0, "silenced": 0},
        "latest_run": {"id": run.pk, "outcome": "passed", "partial": False, "selection": {}},
        "oldest_evaluation": {
            "run_id": run.pk,
            "finished_at": run.finished_at.isoformat(),
            "age_seconds": shop["age_seconds"],
        },
    }
    assert 10 * 86400 - 3600 < shop["age_seconds"] < 10 * 86400
    assert (staging["app"], staging["passed"], staging["outcome"]) == ("shop-staging", False, "failed")
    assert (site["app"], site["passed"]) == (None, True)


def test_the_counts_are_the_runs(token):
    run = stored_run("shop", {"a": Status.PASSED}, 0)
    CheckRun.objects.filter(pk=run.pk).update(
        passed_count=7, failed_count=2, skipped_count=3, error_count=1, silenced_count=4
    )
    [app] = reader().get(STATUS).json()["apps"]
    assert app["counts"] == {"total": 13, "passed": 7, "failed": 2, "skipped": 3, "error": 1, "silenced": 4}


@pytest.mark.parametrize(
    "outcome", [Outcome.FAILED, Outcome.ERROR, Outcome.INTERRUPTED, "quarantined"]
)  # a newer version's outcome
def test_503_when_one_app_did_not_pass(token, outcome):
    stored_run("shop", {"security.W018": Status.PASSED}, 0)
    stored_run("shop-staging", {"security.W018": Status.PASSED}, 5, outcome)
    response = reader().get(STATUS)
    assert response.status_code == 503
    assert [app["outcome"] for app in response.json()["apps"]] == ["passed", str(outcome)]


def test_only_the_latest_run_counts(token):
    stored_run("shop", {"security.W018": Status.FAILED}, 0, Outcome.FAILED)
    assert reader().get(STATUS).status_code == 503
    stored_run("shop", {"security.W018": Status.PASSED}, 10)
    assert reader().get(STATUS).status_code == 200


def test_503_with_an_empty_list_when_there_is_no_run(token):
    response = reader().get(STATUS)
    assert response.status_code == 503
    assert response.json()["apps"] == []
    assert response.json()["passed"] is False


def reads(queries: CaptureQueriesContext) -> list[str]:
    """The statements that read, without the savepoint each answer takes inside the test's transaction
    (a server in autocommit takes none)."""
    statements = [query["sql"].lstrip().upper() for query in queries.captured_queries]
    return [statement for statement in statements if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_never_runs_checks_and_writes_nothing(token):
    passing_and_failing()
    before = (CheckRun.objects.count(), CheckResult.objects.count())
    with CaptureQueriesContext(connection) as queries:
        for url in URLS:
            reader().get(url)
    assert all(statement.startswith(("SELECT", "WITH")) for statement in reads(queries))
    assert (CheckRun.objects.count(), CheckResult.objects.count()) == before


def test_the_number_of_queries_does_not_grow_with_history(token):
    stored_run("shop", {"security.W018": Status.PASSED}, 0)
    with CaptureQueriesContext(connection) as few:
        reader().get(STATUS)
        reader().get("/deploycheck/metrics")
    for minutes in range(1, 40):
        stored_run(("shop", "shop-staging", "")[minutes % 3], {"security.W018": Status.PASSED}, minutes)
    with CaptureQueriesContext(connection) as many:
        reader().get(STATUS)
        reader().get("/deploycheck/metrics")
    # Per answer: the apps, their last runs, the results the states rest on.
    assert len(reads(many)) == len(reads(few)) <= 6


def test_the_token_appears_nowhere(token, caplog):
    """Not in an answer, a header, a log record or the database, whatever the request."""
    passing_and_failing()
    caplog.set_level(logging.DEBUG)
    answers = []
    for url in URLS:
        for authorization in (None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}"):
            response = reader(authorization).get(url)
            answers.append(response.content.decode() + str(response.headers))
            answers.append(reader(authorization).post(url).content.decode())
    assert not [answer for answer in answers if TOKEN in answer]
    assert TOKEN not in caplog.text
    stored = json.dumps(list(CheckRun.objects.values()) + list(CheckResult.objects.values()), default=str)
    assert TOKEN not in stored


@pytest.mark.parametrize("url", URLS)
def test_a_history_that_cannot_be_read_is_a_503_without_a_traceback(token, url, caplog):
    # The tables dropped inside the test's transaction, which brings them back when rolled back.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DROP TABLE {CheckResult._meta.db_table}")
        cursor.execute(f"DROP TABLE {CheckRun._meta.db_table}")
    response = reader().get(url)
    assert response.status_code == 503
    assert response.content == b"The run history cannot be read.\n"
    assert (response["Cache-Control"], response["Retry-After"]) == ("no-store", "60")
    [logged] = [record for record in caplog.records if record.name == "deploycheck"]
    assert "could not read the run history" in logged.getMessage()
    assert logged.exc_info is None
    # The connection is still usable after the failed read.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
