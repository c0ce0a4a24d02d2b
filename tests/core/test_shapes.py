"""Shapes of JSON answers: what fits, and the words for what does not, in English and French."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from deploycheck.core.shapes import (
    BOOLEAN,
    INTEGER,
    NULL,
    STRING,
    Shape,
    either,
    items,
    nullable,
    optional,
    record,
    values,
)

NAMED = record(name=STRING)
FORMATION = items(record(type=STRING, quantity=INTEGER, dyno_size=optional(nullable(NAMED))))


def words(shape: Shape, value: Any, language: str = "en") -> str | None:
    problem = shape.problem(value)
    if problem is None:
        return None
    with translation.override(language):
        return str(problem.words)


def test_what_fits_extra_keys_included():
    assert words(FORMATION, []) is None
    assert words(FORMATION, [{"type": "web", "quantity": 2, "size": "Basic", "id": "f1"}]) is None
    assert words(FORMATION, [{"type": "web", "quantity": 0, "dyno_size": None}]) is None
    assert words(values(nullable(STRING)), {}) is None
    assert words(values(nullable(STRING)), {"A": "x", "B": None}) is None


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        ({}, "an object where a list was expected", "un objet alors qu'il fallait une liste"),
        (None, "null where a list was expected", "null alors qu'il fallait une liste"),
        ("web", "a string where a list was expected", "une chaîne alors qu'il fallait une liste"),
        (
            [{"type": "web", "quantity": "2"}],
            "a string where an integer was expected, at `[0].quantity`",
            "une chaîne alors qu'il fallait un entier, à `[0].quantity`",
        ),
        (
            [{"type": "web", "quantity": 1.5}],
            "a number where an integer was expected, at `[0].quantity`",
            "un nombre alors qu'il fallait un entier, à `[0].quantity`",
        ),
        (
            [{"type": "web", "quantity": 1}, {"type": "web"}],
            "an object without `quantity`, at `[1]`",
            "un objet sans `quantity`, à `[1]`",
        ),
        (
            [{"type": "web", "quantity": 1, "dyno_size": {"id": "d"}}],
            "an object without `name`, at `[0].dyno_size`",
            "un objet sans `name`, à `[0].dyno_size`",
        ),
        (
            [{"type": "web", "quantity": 1, "dyno_size": ["Basic"]}],
            "a list where an object or null was expected, at `[0].dyno_size`",
            "une liste alors qu'il fallait un objet ou null, à `[0].dyno_size`",
        ),
    ],
)
def test_what_does_not_fit_is_said_with_where_in_both_languages(value, english, french):
    assert words(FORMATION, value) == english
    assert words(FORMATION, value, "fr") == french


def test_a_boolean_is_no_integer_and_an_integer_no_boolean():
    assert words(INTEGER, True) == "a boolean where an integer was expected"
    assert words(BOOLEAN, 1) == "an integer where a boolean was expected"
    assert words(BOOLEAN, False) is None
    assert words(NULL, None) is None


def test_a_missing_key_at_the_top_and_one_that_may_be_missing():
    app = record(acm=BOOLEAN, generation=optional(either(NAMED, STRING, NULL)))
    assert words(app, {"generation": "fir"}) == "an object without `acm`"
    assert words(app, {"acm": True}) is None
    assert words(app, {"acm": True, "generation": 3}) == (
        "an integer where an object, a string or null was expected, at `generation`"
    )
    assert words(app, {"acm": True, "generation": 3}, "fr") == (
        "un entier alors qu'il fallait un objet, une chaîne ou null, à `generation`"
    )


def test_a_key_the_peer_named_is_cut_short_and_cannot_end_the_code_around_it():
    found = words(values(STRING), {"OK": "x", "`" + "K" * 100: 3})
    assert found is not None
    assert found.startswith("an integer where a string was expected, at `'KKK")
    assert found.endswith("K…`")
    assert found.count("`") == 2
