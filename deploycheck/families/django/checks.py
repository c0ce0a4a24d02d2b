"""The ``django`` family: Django's system checks, deployment checks included.

Each check function registered with Django becomes one catalogue entry, so that a run
records a ``passed`` row for every function that found nothing and one ``failed`` row per
message for the others: the same messages ``manage.py check --deploy`` prints, with the
same ids and levels. Django's functions are called while gathering, inside the run's time
budget, with the arguments `check --deploy` gives them; evaluating reads what they returned.
Functions Django registers for deployment carry a readable title and remedy; any other
function (models, urls, a third-party app's checks) is named after its tag and function name.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, NamedTuple, cast

import django
from django.core.checks import CheckMessage
from django.core.checks import registry as django_registry
from django.core.checks.registry import CheckRegistry
from django.db import connections
from django.db.models import Model
from django.db.models.base import ModelBase

from deploycheck.core.check import PASSED, Check, Facts, Finding, failed, raised_error
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import DjangoMessage, Text
from deploycheck.core.deferred_text import later as _
from deploycheck.core.family import Family
from deploycheck.core.gathering import GatherRequest, in_process
from deploycheck.families.django.words import KNOWN, TITLES, is_djangos_fixed_hint

DjangoCheckFunction = Callable[..., Iterable[CheckMessage]]
# What each function returned is a fact: "django.<check id>", or "djangodb.<check id>" for the
# database checks, which connect to a database and so are called on a thread of their own.
FACT_PREFIX = "django."
DATABASE_FACT_PREFIX = "djangodb."
# The fact of a function that found nothing, as most do: one shared value rather than the empty list
# it returned, which is let go at once instead of being kept and looked at again when evaluating.
FOUND_NOTHING: tuple[CheckMessage, ...] = ()


@dataclass(frozen=True)
class Raised:
    """What a Django check function raised instead of returning its messages."""

    exception: str
    message: str


def docs(path: str) -> str:
    return f"https://docs.djangoproject.com/en/{django.VERSION[0]}.{django.VERSION[1]}/{path}"


def _generic_id(func: DjangoCheckFunction) -> str:
    tags = getattr(func, "tags", ())
    if tags:
        prefix = tags[0]
    else:
        # Untagged functions (django.contrib.auth's check_middleware): name them after their app.
        parts = [part for part in func.__module__.split(".") if part not in {"checks", "django", "contrib"}]
        prefix = parts[-1] if parts else "django"
    return f"{prefix}.{func.__name__}"


def _format_obj(obj: object) -> str:
    # As CheckMessage.__str__ does, a model is shown by its label.
    if obj is None:
        return ""
    if isinstance(obj, ModelBase):
        return str(cast("type[Model]", obj)._meta.label)
    return str(obj)


def _hint(message: CheckMessage, remedy: Text) -> Text:
    # Django's fixed hints are English only: where deploycheck has a remedy, it reads in every language.
    if message.hint is None or (remedy and is_djangos_fixed_hint(message.id or "", str(message.hint))):
        return remedy
    # Otherwise Django's hint, in the reader's language where deploycheck knows its wording.
    return DjangoMessage(message.id or "", str(message.hint), hint=True) if str(message.hint) else ""


def _as_findings(messages: Iterable[CheckMessage], default_hint: Text) -> list[Finding]:
    findings = [
        failed(
            DjangoMessage(message.id or "", str(message.msg)),
            level=message.level,
            # Most messages have no hint and no object: no call made for them.
            hint=default_hint if message.hint is None else _hint(message, default_hint),
            obj="" if message.obj is None else _format_obj(message.obj),
            message_id=message.id,
        )
        for message in messages
    ]
    return findings or [PASSED]


@cache
def _django_arguments(database_check: bool) -> dict[str, Any]:
    """The keyword arguments `check --deploy` passes to check functions on the installed Django.

    Django changed them between versions (5.2 passes databases=None, 6.1 every alias), so
    ask its own run_checks with a probe rather than hard-coding either.
    """
    received: dict[str, Any] = {}

    def probe(**kwargs: Any) -> list[CheckMessage]:
        received.update(kwargs)
        return []

    probing = CheckRegistry()
    if database_check:
        # Selected on purpose, as `check --database` would be: every configured database.
        probing.register(probe, "database")
        probing.run_checks(tags=["database"], databases=list(connections))
    else:
        probing.register(probe)
        probing.run_checks()
    return received


def _evaluator(fact: str, remedy: Text) -> Callable[[Facts], Finding | list[Finding]]:
    def evaluate(facts: Facts) -> Finding | list[Finding]:
        messages = facts.values[fact]
        if messages is FOUND_NOTHING:  # most functions find nothing: skip the conversion
            return PASSED
        if isinstance(messages, Raised):
            return [raised_error(messages.exception, messages.message)]
        return _as_findings(messages, remedy)

    return evaluate


@cache  # registered functions live as long as the process; their entries never change
def _as_check(func: DjangoCheckFunction, deploy: bool) -> Check:
    django_tags = frozenset(getattr(func, "tags", ()))
    djangos_own = func.__module__.startswith("django.")
    known = KNOWN.get(func.__name__) if djangos_own else None
    # Django's page documents its own checks, by tag; a project's or another app's are not there.
    anchor = min(django_tags, default="")
    doc_url = docs(f"ref/checks/#{anchor}" if anchor else "ref/checks/") if djangos_own else ""
    if known is not None:
        setting_doc = docs(f"ref/settings/#{known.setting.lower().replace('_', '-')}") if known.setting else doc_url
        return Check(
            id=known.ids[0],
            aliases=known.ids[1:],
            family=FAMILY.name,
            title=known.title,
            function=_evaluator("", known.remedy),
            level=known.level,
            hint=known.remedy,
            doc_url=setting_doc,
            tags=django_tags | {"deploy"},
        )
    if func.__name__ in TITLES:
        title = TITLES[func.__name__]
    else:
        title = _("System check %(name)s") % {"name": func.__name__.removeprefix("check_").replace("_", " ")}
    return Check(
        id=_generic_id(func),
        family=FAMILY.name,
        title=title,
        function=_evaluator("", ""),
        level=Level.ERROR,
        doc_url=doc_url,
        tags=django_tags | ({"deploy"} if deploy else frozenset()),
        # As in `check`, database checks run only when asked for by tag or id.
        selected_by_default="database" not in django_tags,
    )


@cache
def _entry(func: DjangoCheckFunction, deploy: bool, check_id: str) -> Check:
    check = _as_check(func, deploy)
    fact = (DATABASE_FACT_PREFIX if "database" in getattr(func, "tags", ()) else FACT_PREFIX) + check_id
    return replace(check, id=check_id, requires=(fact,), function=_evaluator(fact, check.hint))


def _functions() -> tuple[tuple[Check, DjangoCheckFunction], ...]:
    """Each function registered with Django, deployment ones included, and its catalogue entry."""
    registry = django_registry.registry
    return _entries(frozenset(registry.registered_checks), frozenset(registry.deployment_checks))


@cache  # functions are registered once, when apps are ready: these sets rarely change
def _entries(
    registered: frozenset[DjangoCheckFunction], deployment: frozenset[DjangoCheckFunction]
) -> tuple[tuple[Check, DjangoCheckFunction], ...]:
    functions = [*registered, *deployment]
    drafts = sorted(((_as_check(func, func in deployment), func) for func in functions), key=lambda pair: pair[0].id)
    # Two apps may register functions with the same tag and name; number the later ones.
    seen: dict[str, int] = {}
    entries = []
    for draft, func in drafts:
        count = seen.get(draft.id, 0)
        seen[draft.id] = count + 1
        check_id = f"{draft.id}_{count + 1}" if count else draft.id
        entries.append((_entry(func, func in deployment, check_id), func))
    return tuple(entries)


def django_checks() -> list[Check]:
    return [check for check, _func in _functions()]


_Calls = dict[DjangoCheckFunction, tuple[str, dict[str, Any]]]


@cache
def _calls(registered: frozenset[DjangoCheckFunction], deployment: frozenset[DjangoCheckFunction]) -> _Calls:
    """Each function's fact, and the arguments `check --deploy` would call it with."""
    return {
        func: (fact, _django_arguments(fact.startswith(DATABASE_FACT_PREFIX)))
        for check, func in _entries(registered, deployment)
        for fact in check.requires
    }


# A function no selected check asks for: its fact is never wanted.
_NOT_ASKED: tuple[str, dict[str, Any]] = ("", {})
# run_checks' own call, check(app_configs=..., databases=...), on every Django deploycheck supports.
_RUN_CHECKS_KEYWORDS = frozenset({"app_configs", "databases"})


class _Call(NamedTuple):
    """One function to call, the fact it gives, and its arguments.

    run_checks' two keywords are kept apart and passed by name: calling with ``**arguments``
    builds the keywords anew on every call. ``other`` holds arguments of any other shape.
    """

    function: DjangoCheckFunction
    fact: str
    app_configs: Any
    databases: Any
    other: dict[str, Any] | None

    @classmethod
    def of(cls, function: DjangoCheckFunction, fact: str, arguments: dict[str, Any]) -> _Call:
        if arguments.keys() == _RUN_CHECKS_KEYWORDS:
            return cls(function, fact, arguments["app_configs"], arguments["databases"], None)
        return cls(function, fact, None, None, arguments)


@dataclass(frozen=True)
class _Plan:
    """The calls a gather makes, planned for the registry's functions as they were, in that order."""

    functions: tuple[DjangoCheckFunction, ...]
    calls: tuple[_Call, ...]


# The last plan for each set of facts asked for. A run asks for the same facts of the same functions
# as the one before: comparing the functions by identity, in one pass, costs less than planning again.
_plans: dict[frozenset[str], _Plan] = {}


def _planned_calls(
    registered: Collection[DjangoCheckFunction], deployment: Collection[DjangoCheckFunction], wanted: frozenset[str]
) -> tuple[_Call, ...]:
    """Each function whose fact is ``wanted``, in the order run_checks calls them."""
    functions = (*registered, *deployment)
    plan = _plans.get(wanted)
    if plan is not None and plan.functions == functions:
        return plan.calls
    every = _calls(frozenset(registered), frozenset(deployment))
    calls: list[_Call] = []
    planned: set[str] = set()
    for func in functions:
        fact, arguments = every.get(func, _NOT_ASKED)
        if fact in wanted and fact not in planned:  # a function registered twice is called once
            planned.add(fact)
            calls.append(_Call.of(func, fact, arguments))
    if len(_plans) >= 32:  # selections come and go (tests make many): keep only recent ones
        _plans.clear()
    _plans[wanted] = plan = _Plan(functions, tuple(calls))
    return plan.calls


def gather_django(request: GatherRequest) -> dict[str, Any]:
    """Call each Django check function asked for; what it raises is kept as what it found.

    They are called in the order Django's run_checks calls them, which is also the fastest.
    """
    registry = django_registry.registry
    monotonic, deadline = time.monotonic, request.deadline
    gathered: dict[str, Any] = {}
    for func, fact, app_configs, databases, other in _planned_calls(
        registry.registered_checks, registry.deployment_checks, request.names
    ):
        if monotonic() >= deadline:
            break
        try:
            returned = func(app_configs=app_configs, databases=databases) if other is None else func(**other)
            # A list is what nearly every function returns: taken as it is, with no ABC check.
            messages = returned if type(returned) is list else _messages_of(func, returned)
            gathered[fact] = messages or FOUND_NOTHING
        except Exception as exc:
            gathered[fact] = Raised(type(exc).__name__, str(exc))
    return gathered


def _messages_of(func: DjangoCheckFunction, returned: object) -> list[CheckMessage]:
    """What ``func`` returned other than a list, taken as Django's run_checks takes it: from any iterable.

    A generator (Django 6.0's own ``check_tasks`` is one) does its work while it is read, so
    it is read here, on the gathering side, where what it raises is kept as what it found.
    """
    if not isinstance(returned, Iterable):
        raise TypeError(
            f"{func.__module__}.{func.__name__} returned {type(returned).__name__}, "
            "where Django expects a list of messages"
        )
    return list(returned)


def gather_django_databases(request: GatherRequest) -> dict[str, Any]:
    try:
        return gather_django(request)
    finally:
        # This runs on a gathering thread: the connections the checks opened must not outlive it.
        connections.close_all()


FAMILY = Family(
    "django",
    providers={"django": in_process(gather_django), "djangodb": gather_django_databases},
    discover=django_checks,
)
