"""Checks registered with the decorator; the `registered_checks` fixture loads and unloads them."""

from __future__ import annotations

import deploycheck
from deploycheck.checks import failed, passed
from deploycheck.choices import Level
from deploycheck.gathering import provides


@provides("answer")
def gather_answer(request):
    return {"answer.value": 42}


@provides("unreachable")
def gather_unreachable(request):
    raise ConnectionError("connection refused by tests.example")


@deploycheck.register("tests.answer_is_42", title="The answer is 42", requires=["answer.value"])
def answer_is_42(facts):
    return passed() if facts["answer.value"] == 42 else failed("wrong answer")


@deploycheck.register("tests.needs_unreachable", title="Needs an unreachable fact", requires=["unreachable.value"])
def needs_unreachable(facts):
    return passed()


@deploycheck.register("tests.several", title="Fails for two objects", level=Level.ERROR)
def several(facts):
    return [failed("first is wrong", obj="first"), failed("second is wrong", obj="second", level=30)]
