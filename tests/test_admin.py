"""The admin pages with Django's test client: every page, every permission case, query counts."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from deploycheck import runner
from deploycheck.core import reporting
from deploycheck.core.choices import Outcome, Status, Trigger
from deploycheck.models import CheckRun
from deploycheck.web.display import failures_below_fail_level, list_verdict
from tests.heroku_fake import TOKEN

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:deploycheck_checkrun_changelist")
OVERVIEW = reverse("admin:deploycheck_overview")
RUN_NOW = reverse("admin:deploycheck_run_now")


def run_page(run: CheckRun) -> str:
    return reverse("admin:deploycheck_checkrun_change", args=[run.pk])


def history_page(check_id: str) -> str:
    return reverse("admin:deploycheck_history", args=[check_id])


def staff(username: str, *permissions: str) -> User:
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return user


def client_for(user: User | None, **options: Any) -> Client:
    client = Client(**options)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def runs(secure_settings) -> list[CheckRun]:
    """Three runs: DEBUG on (W018 fails), DEBUG off (fixed), then the CSRF cookie insecure (W016 new)."""
    secure_settings.DEBUG = True
    first = runner.execute(fail_level="WARNING").run
    secure_settings.DEBUG = False
    second = runner.execute().run
    secure_settings.CSRF_COOKIE_SECURE = False
    third = runner.execute(trigger=Trigger.RELEASE).run
    assert first is not None
    assert second is not None
    assert third is not None
    secure_settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
    return [first, second, third]


def pages(runs: list[CheckRun]) -> list[str]:
    run = runs[-1]
    return [
        CHANGELIST,
        run_page(run),
        OVERVIEW,
        history_page("security.W018"),
        reverse("admin:deploycheck_export_json", args=[run.pk]),
        reverse("admin:deploycheck_export_csv", args=[run.pk]),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(runs):
    client = client_for(None)
    for url in [*pages(runs), RUN_NOW]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    assert client.post(RUN_NOW).status_code == 302
    assert CheckRun.objects.count() == 3


def test_staff_without_the_view_permission_get_403(runs):
    client = client_for(staff("nobody"))
    for url in pages(runs):
        assert client.get(url).status_code == 403, url
    assert client.post(RUN_NOW).status_code == 403


def test_viewers_see_every_page_but_cannot_run(runs):
    client = client_for(staff("viewer", "view_checkrun"))
    for url in pages(runs):
        assert client.get(url).status_code == 200, url
    assert b"deploycheck-run-now" not in client.get(CHANGELIST).content
    assert b"deploycheck-run-now" not in client.get(OVERVIEW).content
    assert client.post(RUN_NOW).status_code == 403
    assert CheckRun.objects.count() == 3


def test_a_get_never_starts_a_run(runs):
    client = client_for(staff("runner", "view_checkrun", "run_checks"))
    assert client.get(RUN_NOW).status_code == 405
    assert CheckRun.objects.count() == 3


def test_running_needs_a_csrf_token(runs):
    client = client_for(staff("runner", "view_checkrun", "run_checks"), enforce_csrf_checks=True)
    assert client.post(RUN_NOW).status_code == 403
    page = client.get(CHANGELIST).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(RUN_NOW, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CheckRun.objects.count() == 4


def test_run_checks_now(runs, secure_settings):
    user = staff("runner", "view_checkrun", "run_checks")
    client = client_for(user)
    assert b"deploycheck-run-now" in client.get(CHANGELIST).content
    response = client.post(RUN_NOW, follow=True)
    run = CheckRun.objects.order_by("-pk").first()
    assert run is not None
    assert (run.trigger, run.triggered_by) == (Trigger.ADMIN, user.get_username())
    assert response.redirect_chain == [(run_page(run), 302)]
    messages = [str(message) for message in response.context["messages"]]
    # The message says what the run's page and the runs list say, failures below the level included.
    verdict = list_verdict(CheckRun.objects.annotate(**failures_below_fail_level()).get(pk=run.pk))
    assert messages == [f"Run {run.pk} finished: {verdict}."]
    assert f">{verdict}<" in response.content.decode()


def test_runs_list_columns_filters_and_search(runs):
    client = client_for(staff("viewer", "view_checkrun"))
    page = client.get(CHANGELIST).content.decode()
    assert 'class="deploycheck-badge deploycheck-failed">failed</span>' in page
    assert 'class="deploycheck-badge deploycheck-passed">passed</span>' in page
    assert 'id="deploycheck-overview-link"' in page
    for text in ("By outcome", "By trigger", "By Heroku app", "release phase"):
        assert text in page
    found = client.get(CHANGELIST, {"q": "security.W018"})
    assert list(found.context["cl"].result_list) == runs[::-1]
    assert list(client.get(CHANGELIST, {"outcome": Outcome.FAILED}).context["cl"].result_list) == [runs[0]]


def test_results_cannot_be_added_or_edited_and_only_superusers_delete(runs):
    viewer = client_for(staff("viewer", "view_checkrun", "change_checkrun", "add_checkrun", "delete_checkrun"))
    assert viewer.get(reverse("admin:deploycheck_checkrun_add")).status_code == 403
    assert (
        viewer.post(reverse("admin:deploycheck_checkrun_delete", args=[runs[0].pk]), {"post": "yes"}).status_code == 403
    )
    superuser = User.objects.create_superuser("root", password="pw")
    root = client_for(superuser)
    assert (
        root.post(reverse("admin:deploycheck_checkrun_delete", args=[runs[0].pk]), {"post": "yes"}).status_code == 302
    )
    assert not CheckRun.objects.filter(pk=runs[0].pk).exists()


def test_run_page_groups_failures_first_and_compares_with_the_previous_run(runs):
    client = client_for(staff("viewer", "view_checkrun"))
    response = client.get(run_page(runs[1]))
    sections = response.context["sections"]
    assert [result.status for result in sections.problems] == []
    assert {result.family for result in sections.passed + sections.skipped} == {"django", "heroku", "release", "http"}
    comparison = response.context["comparison"]
    assert [result.message_id for result in comparison.fixed] == ["security.W018"]
    assert comparison.newly_failing == comparison.still_failing == []
    page = response.content.decode()
    assert 'id="deploycheck-previous"' in page
    assert 'id="deploycheck-next"' in page
    third = client.get(run_page(runs[2]))
    assert [result.message_id for result in third.context["comparison"].newly_failing] == ["security.W016"]
    problems = third.context["sections"].problems
    assert problems[0].message_id == "security.W016"
    assert problems[0].status == Status.FAILED
    first = client.get(run_page(runs[0])).content.decode()
    assert "This is the first run." in first
    assert 'id="deploycheck-previous"' not in first


def test_json_export_is_the_command_format(runs, secure_settings):
    report = runner.execute()
    assert report.run is not None
    client = client_for(staff("viewer", "view_checkrun"))
    response = client.get(reverse("admin:deploycheck_export_json", args=[report.run.pk]))
    exported = json.loads(response.content)
    expected = reporting.report_as_dict(report)
    for document in (exported, expected):
        for result in document["results"]:
            result.pop("duration_seconds")
        document["run"].pop("duration_seconds")
    assert exported == expected
    assert response["Content-Disposition"] == f'attachment; filename="deploycheck-run-{report.run.pk}.json"'


def test_csv_export(runs):
    client = client_for(staff("viewer", "view_checkrun"))
    response = client.get(reverse("admin:deploycheck_export_csv", args=[runs[0].pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == runs[0].results.count()
    debug = next(row for row in rows if row["id"] == "security.W018")
    assert (debug["status"], debug["level"], debug["family"]) == ("failed", "WARNING", "django")


def test_check_history_is_a_timeline_linking_each_run(runs):
    client = client_for(staff("viewer", "view_checkrun"))
    response = client.get(history_page("security.W018"))
    entries = response.context["page"].entries
    assert [entry.run for entry in entries] == runs[::-1]
    assert [entry.status for entry in entries] == [Status.PASSED, Status.PASSED, Status.FAILED]
    page = response.content.decode()
    for run in runs:
        assert f'href="{run_page(run)}"' in page
    empty = client.get(history_page("no.such_check")).content.decode()
    assert "No run of this site has evaluated this check yet." in empty


def test_overview_grid_and_trend(runs):
    client = client_for(staff("viewer", "view_checkrun"))
    response = client.get(OVERVIEW)
    [section] = response.context["sections"]
    # Newest first, as the grid reads left to right.
    assert section.runs == runs[::-1]
    row = next(row for row in section.rows if row.check_id == "security.W018")
    assert [status for status, _label in row.cells] == ["passed", "passed", "failed"]
    assert row.latest == "passed"
    bars = section.chart.bars
    # The chart runs as the grid does: newest on the left.
    assert [bar.run for bar in bars] == runs[::-1]
    assert [bar.tally.failed for bar in bars] == [run.failed_count for run in runs]
    page = response.content.decode()
    assert "<svg" in page
    # The page works without JavaScript: only the admin's own theme script is loaded.
    assert "<script" not in page.split('id="content-main"')[1]


def test_overview_is_linked_from_the_admin_index(runs):
    client = client_for(staff("viewer", "view_checkrun"))
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:deploycheck_overview_changelist") in index
    assert client.get(reverse("admin:deploycheck_overview_changelist"))["Location"] == OVERVIEW


def test_query_counts_do_not_grow_with_the_history(runs, secure_settings, django_assert_max_num_queries):
    client = client_for(staff("viewer", "view_checkrun"))

    def counts() -> dict[str, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        measured = {}
        for url in pages(list(CheckRun.objects.order_by("started_at", "pk"))):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            measured[url.split("/")[-2] if url.endswith("/") else url.rsplit("/", 1)[-1]] = len(queries)
        return measured

    few = counts()
    for _ in range(5):
        runner.execute()
    many = counts()
    assert few.keys() == many.keys()
    for page, count in many.items():
        assert count <= 13, (page, count)
        assert count == few[page] or page.isdigit(), (page, few[page], count)


def test_pages_in_french(runs, settings):
    settings.LANGUAGE_CODE = "fr"
    client = client_for(staff("runner", "view_checkrun", "run_checks"))
    changelist = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Exécuter les contrôles maintenant" in changelist
    assert "Vue d'ensemble" in changelist
    run = client.get(run_page(runs[1]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for text in ("Comparée à l'exécution précédente", "Corrigés", "Exporter en JSON", "réussi"):
        assert text in run
    overview = client.get(OVERVIEW, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Résultats par exécution" in overview
    history = client.get(history_page("security.W018"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Exécution" in history


def test_run_page_counts_agree_in_french(runs, settings):
    settings.LANGUAGE_CODE = "fr"
    run = runs[0]  # DEBUG on: one failure, no error
    client = client_for(staff("viewer", "view_checkrun"))
    page = client.get(run_page(run), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"<title>Exécution {run.pk} (échouée)" in page
    assert f"{run.failed_count} échoué," in page
    assert "0 non évalué," in page
    assert "0 en sourdine" in page


def test_nothing_secret_on_any_page(heroku, runs):
    report = runner.execute(tags=["heroku"])
    assert report.run is not None
    client = client_for(staff("viewer", "view_checkrun"))
    for url in pages([report.run]):
        content = client.get(url).content.decode()
        for secret in (TOKEN, "secret-db-password", "super-secret-django-key"):
            assert secret not in content, url


def test_run_now_keeps_within_its_budget_and_records_what_was_not_gathered(heroku, runs, monkeypatch):
    from deploycheck import admin as deploycheck_admin
    from tests.heroku_fake import Fault

    monkeypatch.setattr(deploycheck_admin, "ADMIN_TIME_BUDGET", 2.5)
    heroku.fail("/apps/weareone/features", Fault(0, delay=6.0, times=None))
    client = client_for(staff("runner", "view_checkrun", "run_checks"))
    response = client.post(RUN_NOW)
    run = CheckRun.objects.order_by("-pk").first()
    assert run is not None
    assert response["Location"] == run_page(run)
    assert run.duration.total_seconds() < 6
    preboot = run.results.get(check_id="heroku.preboot")
    assert preboot.status == Status.ERROR
    assert "time budget" in preboot.message
    assert run.results.get(check_id="heroku.web_redundancy").status == Status.PASSED
