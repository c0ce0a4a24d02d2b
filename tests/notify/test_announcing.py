"""Announcing a stored run: regressions from the results in memory, the previous run read only when wanted."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from deploycheck import runner
from deploycheck.signals import regression
from tests.notify.test_email import ADMINS, locmem_mail

pytestmark = pytest.mark.django_db


def selects_of(queries: CaptureQueriesContext, table: str) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and table in query["sql"]
    ]


def test_regressions_are_found_without_reading_back_the_rows_just_written(secure_settings):
    received = []

    def receiver(sender, run, previous, regressions, **kwargs):
        received.append([result.message_id for result in regressions])

    regression.connect(receiver)
    try:
        first = runner.execute().run
        secure_settings.DEBUG = True
        with CaptureQueriesContext(connection) as queries:
            second = runner.execute().run
    finally:
        regression.disconnect(receiver)
    assert first is not None
    assert second is not None
    assert received == [["security.W018"]]
    # The previous run's passes are read, once; the new run's rows are only written.
    [read] = selects_of(queries, "deploycheck_checkresult")
    assert str(first.pk) in read
    assert str(second.pk) not in read.split("WHERE", 1)[1]


def test_only_the_earlier_evaluations_are_read_when_nobody_listens(secure_settings):
    runner.execute()
    with CaptureQueriesContext(connection) as queries:
        report = runner.execute()
    # Once, for the report's comparison; never the rows just written, nor the app's state.
    assert len(selects_of(queries, "deploycheck_checkrun")) == 1
    [results] = selects_of(queries, "deploycheck_checkresult")
    assert report.run is not None
    assert str(report.run.pk) not in results.split("WHERE", 1)[1]
    assert report.comparison is not None
    assert report.compared_with == (report.run.pk - 1,)


def test_the_email_reads_in_the_sites_language_whatever_language_the_run_spoke(secure_settings):
    locmem_mail(secure_settings)
    secure_settings.ADMINS = ADMINS
    secure_settings.LANGUAGE_CODE = "fr"
    secure_settings.DEPLOYCHECK = {"NOTIFY_ADMINS": True}
    with translation.override("en"):
        runner.execute()
        secure_settings.DEBUG = True
        runner.execute()
    [message] = mail.outbox
    assert "DEBUG est désactivé" in message.body
    assert "DEBUG vaut True : les pages d'erreur montrent les réglages et le code à tout le monde." in message.body
    assert "DEBUG is" not in message.body
