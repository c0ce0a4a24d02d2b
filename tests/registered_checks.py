"""A project's family of checks and the providers of its facts, for the `registered_checks` fixture."""

from __future__ import annotations

from deploycheck.core.check import failed, passed
from deploycheck.core.choices import Level
from deploycheck.core.family import Family


def gather_answer(request):
    return {"answer.value": 42}


def gather_unreachable(request):
    raise ConnectionError("connection refused by tests.example")


FAMILY = Family("project", providers={"answer": gather_answer, "unreachable": gather_unreachable})


@FAMILY.check("tests.answer_is_42", title="The answer is 42", requires=["answer.value"])
def answer_is_42(facts):
    return passed() if facts["answer.value"] == 42 else failed("wrong answer")


@FAMILY.check("tests.needs_unreachable", title="Needs an unreachable fact", requires=["unreachable.value"])
def needs_unreachable(facts):
    return passed()


@FAMILY.check("tests.several", title="Fails for two objects", level=Level.ERROR)
def several(facts):
    return [failed("first is wrong", obj="first"), failed("second is wrong", obj="second", level=30)]
