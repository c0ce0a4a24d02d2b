"""Storing a run: one transaction, a constant number of queries, or the reason it was not saved."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deploycheck import runner
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
    if connection.vendor != "sqlite":
        # SQLite caps the parameters of one statement, so Django may split a bulk insert there.
        assert len(large) == len(small)
