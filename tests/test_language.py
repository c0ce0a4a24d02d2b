"""French is a run condition: no verdict depends on the language a run is made in."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from deploycheck import runner
from deploycheck.core.choices import Status
from deploycheck.core.results import Report
from deploycheck.store import history
from deploycheck.store.saving import store
from tests.heroku_fake import Fault

pytestmark = pytest.mark.django_db

STAGING = "weareone-staging"


@pytest.fixture
def two_apps(heroku, settings):
    """Production passes everything; staging runs on Eco dynos and its add-ons cannot be read."""
    heroku.add_app(STAGING, formation=[{"id": "f9", "type": "web", "quantity": 1, "dyno_size": {"name": "Eco"}}])
    heroku.fail(
        f"/apps/{STAGING}/addons",
        Fault(503, {"id": "unavailable", "message": "Service unavailable."}, times=None),
    )
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_APPS": ["weareone", STAGING]}
    return heroku


def run_in(language: str, settings, urls: list[str]) -> Report:
    # Both what the settings say and what the caller activated, as with a French team's
    # release phase, or an admin page in a French browser.
    settings.LANGUAGE_CODE = language
    with translation.override(language):
        return runner.execute(urls=urls, save=False)


def by_key(report: Report) -> dict[tuple[str, str | None, str], str]:
    return {(result.message_id, result.app, result.obj): result.status for result in report.results}


def test_every_family_finds_the_same_in_english_and_in_french(two_apps, site, secure_settings):
    urls = [site("insecure", "127.0.0.31"), "https://127.0.0.32/"]  # the second one is down
    english = run_in("en", secure_settings, urls)
    french = run_in("fr", secure_settings, urls)
    assert by_key(french) == by_key(english)
    # The comparison covers every family, both apps and every status.
    assert {result.family for result in english.results} == {"django", "heroku", "release", "http"}
    assert {result.app for result in english.results} >= {"weareone", STAGING}
    assert {result.status for result in english.results} == set(Status)
    assert french.outcome == english.outcome


def test_migration_checks_pass_under_french(secure_settings):
    # The autodetector compares untranslated migration files with the models: under an active
    # French translation every app once looked changed.
    report = run_in("fr", secure_settings, [])
    pending = [result for result in report.results if result.check_id == "release.pending_model_changes"]
    assert [result.status for result in pending] == [Status.PASSED]


@pytest.mark.parametrize(
    ("settings_language", "reader", "expected"),
    [
        (
            "en",
            "fr",
            "impossible de lire la formation de weareone-staging : l'API de Heroku est en panne "
            "(GET /apps/weareone-staging/formation: HTTP 502 une page d'erreur qui n'est pas le JSON de Heroku "
            "(text/html)",
        ),
        (
            "fr",
            "en",
            "cannot read the formation of weareone-staging: Heroku's API is failing "
            "(GET /apps/weareone-staging/formation: HTTP 502 an error page that is not Heroku's JSON (text/html)",
        ),
    ],
)
def test_reasons_gathered_on_other_threads_read_in_the_readers_language(
    two_apps, settings, settings_language, reader, expected
):
    # A release phase in English settings, read by a French browser in the admin, and the reverse.
    two_apps.fail(f"/apps/{STAGING}/formation", Fault(502, "<html>Bad gateway</html>", times=None))
    settings.LANGUAGE_CODE = settings_language
    with translation.override(reader):
        report = runner.execute(check_ids=["heroku.web_redundancy"], save=False)
        [staging] = [result for result in report.results if result.app == STAGING]
        assert staging.status == Status.ERROR
        assert expected in str(staging.message)


def words(report: Report, language: str) -> list[tuple[str, ...]]:
    """Everything a reader reads of each result, rendered in ``language``."""
    with translation.override(language):
        return sorted(
            (result.message_id, result.app or "", result.obj, str(result.title), str(result.message), str(result.hint))
            for result in report.results
        )


@pytest.mark.parametrize(("ran_in", "read_in"), [("en", "fr"), ("fr", "en")])
def test_a_stored_run_reads_in_the_readers_language_whatever_language_it_ran_in(
    ran_in, read_in, two_apps, site, secure_settings
):
    urls = [site("insecure", "127.0.0.33"), "https://127.0.0.34/"]
    made_here = run_in(read_in, secure_settings, urls)
    made_elsewhere = run_in(ran_in, secure_settings, urls)
    assert made_elsewhere.run is None
    stored = store(made_elsewhere)
    assert stored.run is not None
    read_back = history.stored_report(stored.run)
    # Read back, the run made in the other language says word for word what a run made in the
    # reader's language says, once what varies from run to run (durations, request ids, the random
    # address of a missing page) is set aside.
    assert normalised(words(read_back, read_in)) == normalised(words(made_here, read_in))
    assert normalised(words(read_back, ran_in)) != normalised(words(read_back, read_in))


def normalised(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    varying = [
        (r"\d+(\.\d+)? ?(ms|s)\b", "N s"),
        (r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "<request id>"),
        (r"deploycheck-missing-[0-9a-f]+", "deploycheck-missing-<random>"),
    ]

    def steady(text: str) -> str:
        for pattern, replacement in varying:
            text = re.sub(pattern, replacement, text)
        return text

    return sorted(tuple(steady(field) for field in row) for row in rows)
