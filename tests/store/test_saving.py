"""Storing a run: one transaction, a constant number of queries, or the reason it was not saved."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deploycheck import runner
from deploycheck.core.choices import Status
from deploycheck.core.deferred_text import Message
from deploycheck.core.results import Result
from deploycheck.models import CheckResult
from deploycheck.store.saving import store

pytestmark = pytest.mark.django_db


def test_saving_uses_a_constant_number_of_queries(secure_settings):
    sample = runner.execute(save=False)
    report = replace(sample, results=(sample.results * 3)[:100])
    with CaptureQueriesContext(connection) as small:
        store(replace(report, results=report.results[:10]))
    with CaptureQueriesContext(connection) as large:
        store(report)
    assert len(large) <= 5
    assert len(large) == len(small)


def test_every_value_comes_back_as_it_was_stored_in_order(secure_settings):
    """A thousand rows, written in one statement on SQLite: each field read back unchanged."""
    sample = runner.execute(save=False)
    odd = Result(
        check_id="project.odd",
        family="project",
        title=Message('A title with "quotes", a \' and é'),
        status=Status.FAILED,
        message=Message('%(value)s: ✗ [1, 2] {"a": null}') % {"value": "\\ back\\slash\n"},
        level=35,
        hint=Message(""),
        obj="[0]",
        message_id="project.W001",
        doc_url="https://example.com/?a=1&b=2",
        silenced=True,
        seconds=0.123456,
        app="weareone-staging",
        details={"plan": "essential-0", "nested": [1, 2.5, None, True]},
    )
    results = (*(sample.results * (1000 // len(sample.results) + 1))[:999], odd)
    saved = store(replace(sample, results=results))
    assert saved.run is not None
    rows = list(CheckResult.objects.filter(run=saved.run).order_by("pk"))
    expected = [result.to_row(saved.run) for result in results]
    fields = [field.attname for field in CheckResult._meta.concrete_fields if not field.primary_key]
    assert [[getattr(row, name) for name in fields] for row in rows] == [
        [getattr(row, name) for name in fields] for row in expected
    ]
