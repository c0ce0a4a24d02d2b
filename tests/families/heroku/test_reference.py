"""The Heroku reference tables: every entry sourced and dated, the review date kept, the stacks current."""

from __future__ import annotations

from datetime import date

from deploycheck.families.heroku import reference
from deploycheck.families.heroku.reference import Source, StackSupport


def entries() -> list[tuple[str, str, Source]]:
    return [
        (table, name, reference.source_of(entry))
        for table, contents in reference.TABLES.items()
        for name, entry in contents.items()
    ]


def test_every_table_of_the_module_is_listed():
    tables = {
        name
        for name, value in vars(reference).items()
        if isinstance(value, dict)
        and value
        and all(isinstance(entry, Source | StackSupport) for entry in value.values())
    }
    listed = {id(contents) for contents in reference.TABLES.values()}
    # The Postgres plans are listed together; every other table by itself.
    postgres = {"POSTGRES_NON_PRODUCTION_PLANS", "POSTGRES_HA_PLANS", "POSTGRES_ADVANCED_PLAN_PREFIXES"}
    assert {name for name in tables - postgres if id(vars(reference)[name]) not in listed} == set()
    postgres_names = set(reference.TABLES["Postgres plans"])
    assert postgres_names == {name for table in postgres for name in vars(reference)[table]}


def test_every_entry_says_where_it_comes_from_and_when_it_was_true():
    assert isinstance(reference.REVIEWED, date)
    for table, name, source in entries():
        assert source.where.startswith("https://") or not source.confirmed, (table, name)
        assert source.as_of <= reference.REVIEWED, (table, name)


def test_a_source_that_is_not_a_page_is_not_confirmed():
    unconfirmed = {name for _table, name, source in entries() if not source.confirmed}
    assert {"cedar-14", "cedar", "logentries"} <= unconfirmed
    assert {"heroku-26", "heroku-22", "cnb", "papertrail"}.isdisjoint(unconfirmed)


def test_the_stacks_as_of_the_review():
    stacks = reference.STACKS
    assert stacks["heroku-26"].end_of_life == date(2031, 4, 30)
    assert [(step.since, step.every_days) for step in stacks["heroku-22"].build_failures] == [
        (date(2026, 11, 1), 30),
        (date(2027, 2, 1), 7),
        (date(2027, 4, 1), 1),
    ]
    assert stacks["heroku-22"].end_of_life == date(2027, 4, 30)
    assert reference.RECOMMENDED_STACK == "heroku-26"
    assert stacks[reference.FIR_STACK].state == "supported"
    assert reference.FIR_STACK not in reference.SELF_MANAGED_STACKS
    assert set(reference.SELF_MANAGED_STACKS) == {"container"}
    # The recommended stack is the one supported longest.
    supported = {name: stack.end_of_life for name, stack in stacks.items() if stack.end_of_life}
    assert max(supported, key=lambda name: supported[name]) == reference.RECOMMENDED_STACK
