"""Reading the history back: a check over one app's runs."""

from __future__ import annotations

import pytest

from deploycheck.core.choices import Status
from deploycheck.store.history import app_last_evaluating, check_history
from tests.web.test_overview import stored_run

pytestmark = pytest.mark.django_db


def test_a_checks_history_is_one_apps_newest_first_and_bounded():
    runs = [
        stored_run(("shop", "shop-staging")[index % 2], {"a": Status.PASSED, "b": Status.FAILED}, index)
        for index in range(8)
    ]
    stored_run("shop", {"b": Status.PASSED}, 20)  # did not evaluate a
    shop = check_history("a", "shop")
    assert [entry.run for entry in shop] == runs[::2][::-1]
    assert all([result.check_id for result in entry.results] == ["a"] for entry in shop)
    assert [entry.run for entry in check_history("a", "shop", limit=2)] == runs[::2][::-1][:2]
    assert [entry.run for entry in check_history("b", "shop-staging")] == runs[1::2][::-1]
    assert [entry.problems[0].check_id for entry in check_history("b", "shop-staging")] == ["b"] * 4
    assert check_history("a", "") == []


def test_the_app_of_the_last_run_stored_that_evaluated_a_check():
    assert app_last_evaluating("a") is None
    stored_run("shop", {"a": Status.PASSED}, 0)
    stored_run("", {"b": Status.PASSED}, 10)
    assert app_last_evaluating("a") == "shop"
    assert app_last_evaluating("b") == ""
