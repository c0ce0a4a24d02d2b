"""The result record: the rules of a run, and a stored row read back in the reader's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from deploycheck.core.catalogue import catalogue
from deploycheck.core.choices import Level, Outcome, Status, Trigger
from deploycheck.core.deferred_text import DjangoMessage, later
from deploycheck.core.deploy_info import DeployInfo
from deploycheck.core.results import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_NOT_EVALUATED,
    EXIT_OK,
    Report,
    Result,
)
from deploycheck.core.rules import outcome_of, worst_status
from deploycheck.models import CheckResult, CheckRun
from deploycheck.notify.announcing import regressions

pytestmark = pytest.mark.django_db

TITLE = later("DEBUG is off")
HINT = later("Set DEBUG = False in production, for example from a config var.")


def result(status: str = Status.FAILED, **fields) -> Result:
    return Result(**{"check_id": "security.W018", "family": "django", "title": TITLE, "status": status, **fields})


def test_outcome_and_exit_status_rules():
    warning = result(level=Level.WARNING)
    error = result(level=Level.ERROR)
    assert outcome_of([warning], Level.ERROR) == Outcome.PASSED
    assert outcome_of([warning], Level.WARNING) == Outcome.FAILED
    assert outcome_of([error, result(Status.ERROR)], Level.ERROR) == Outcome.FAILED
    assert outcome_of([result(Status.ERROR)], Level.ERROR) == Outcome.ERROR
    assert outcome_of([result(Status.ERROR, silenced=True)], Level.ERROR) == Outcome.PASSED
    assert outcome_of([result("deferred")], Level.ERROR) == Outcome.ERROR
    assert outcome_of([error], Level.ERROR, interrupted=True) == Outcome.INTERRUPTED
    report = Report((), timezone.now(), timezone.now(), Level.ERROR, Trigger.API, DeployInfo.from_environment(), {})
    assert report.exit_status == EXIT_OK
    for results, status in (([error], EXIT_FAILED), ([result(Status.ERROR)], EXIT_NOT_EVALUATED)):
        assert replace(report, results=tuple(results)).exit_status == status
    assert replace(report, interrupted=True).exit_status == EXIT_INTERRUPTED


def test_a_failure_below_the_fail_level_is_a_problem_that_does_not_block():
    warning = result(level=Level.WARNING)
    assert warning.is_problem
    assert not warning.blocks_at(Level.ERROR)
    assert warning.blocks_at(Level.WARNING)
    assert not result(level=Level.ERROR, silenced=True).blocks_at(Level.WARNING)


def test_worst_status_and_regressions():
    assert worst_status([Status.PASSED, Status.SKIPPED]) == Status.SKIPPED
    assert worst_status([Status.PASSED, "deferred", Status.ERROR]) == Status.ERROR
    assert worst_status([Status.PASSED, "deferred"]) == "deferred"
    now = [result(level=Level.ERROR), result(level=Level.ERROR, app="weareone-staging"), result(Status.PASSED)]
    assert regressions(now, {("security.W018", "")}) == [now[0]]


def stored(**fields) -> CheckResult:
    run = CheckRun.objects.create(
        started_at=timezone.now(),
        finished_at=timezone.now(),
        duration=timedelta(seconds=1),
        trigger=Trigger.API,
        outcome=Outcome.FAILED,
        fail_level=Level.ERROR,
        django_version="5.2",
        python_version="3.12",
        deploycheck_version="0",
    )
    row = result(**{"level": Level.WARNING, "hint": HINT, **fields}).to_row(run)
    row.save()
    return CheckResult.objects.get(pk=row.pk)


def read(row: CheckResult, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        back = Result.from_row(row, catalogue.contents.by_id)
        return str(back.title), str(back.message), str(back.hint)


def test_a_row_is_stored_untranslated_and_read_in_each_readers_language():
    with translation.override("fr"):
        row = stored(
            message=later("%(url)s shows Django's debug page: settings and URL patterns are public.")
            % {"url": "https://x.example/"}
        )
    # The text columns hold the English, whatever language the run spoke.
    assert row.title == "DEBUG is off"
    assert row.message == "https://x.example/ shows Django's debug page: settings and URL patterns are public."
    english, french = read(row, "en"), read(row, "fr")
    assert english == (row.title, row.message, row.hint)
    assert all(fr != en for fr, en in zip(french, english, strict=True))
    assert "https://x.example/" in french[1]


def test_rows_of_earlier_versions_read_as_they_were_stored():
    # A run stored in French by deploycheck 0.1.0, of a check the catalogue knows (security.W018).
    row = stored(message="Un message enregistré en français.")
    CheckResult.objects.filter(pk=row.pk).update(wording={}, title="Titre d'avant", hint="Conseil d'avant")
    row.refresh_from_db()
    for language in ("en", "fr"):
        assert read(row, language) == ("Titre d'avant", "Un message enregistré en français.", "Conseil d'avant")


def test_a_row_of_this_version_is_told_from_an_older_one_whatever_its_words():
    row = stored(title="A project's title, plain text", message="plain text")
    assert row.wording["title"] is None
    assert read(row, "fr")[1] == "plain text"


def test_djangos_messages_and_hints_naming_values_read_in_french_from_a_row():
    original = "Your 'files' cache LOCATION path is relative. Use an absolute path instead."
    hint = "Add a 'default' entry to MAILERS."
    row = stored(
        message=DjangoMessage("caches.W003", original),
        hint=DjangoMessage("mail.W001", hint, hint=True),
        message_id="caches.W003",
    )
    assert (row.message, row.hint) == (original, hint)
    assert read(row, "en")[1:] == (original, hint)
    assert read(row, "fr")[1:] == (
        "Le LOCATION du cache 'files' est un chemin relatif : utilisez un chemin absolu.",
        "Ajoutez une entrée 'default' à MAILERS.",
    )


def test_djangos_messages_are_stored_as_django_wrote_them():
    original = "You have 'django.middleware.security.SecurityMiddleware' not in your MIDDLEWARE."
    row = stored(message=DjangoMessage("security.W001", original), message_id="security.W001")
    assert row.message == original
    assert read(row, "en")[1] == original
