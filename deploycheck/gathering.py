"""Gathering: the only step of a run that does I/O.

A check names the facts it needs (``requires=("heroku.formation",)``). Facts are grouped by
namespace, the part of the name before the first dot, and each namespace has one provider,
called once per run with every name asked of it, so it can fetch what they share once and
concurrently. Providers run in parallel, within the run's time budget; whatever a provider
raises, or does not finish in time, becomes the reason its facts are missing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from deploycheck.checks.base import Facts


@dataclass(frozen=True)
class GatherRequest:
    """What a provider is asked for."""

    names: frozenset[str]
    # time.monotonic() value by which the provider must have returned.
    deadline: float
    # Run options a provider may use, such as the Heroku apps named with --app.
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())


Provider = Callable[[GatherRequest], Mapping[str, Any]]

PROVIDER_MARGIN = 0.5  # seconds

_providers: dict[str, Provider] = {}


def provides(namespace: str) -> Callable[[Provider], Provider]:
    """Register the provider of every fact named ``<namespace>.<something>``."""

    def decorator(provider: Provider) -> Provider:
        _providers[namespace] = provider
        return provider

    return decorator


def namespace_of(name: str) -> str:
    return name.partition(".")[0]


def gather(names: Iterable[str], budget: float, options: Mapping[str, Any] | None = None) -> Facts:
    """Gather the named facts, concurrently and within ``budget`` seconds."""
    wanted: dict[str, set[str]] = {}
    for name in names:
        wanted.setdefault(namespace_of(name), set()).add(name)
    errors: dict[str, str] = {}
    for namespace in [namespace for namespace in wanted if namespace not in _providers]:
        for name in wanted.pop(namespace):
            errors[name] = _("nothing gathers the fact %(name)s") % {"name": name}
    if not wanted:
        return Facts({}, errors)
    started = time.monotonic()
    # Providers are told to stop a little before the run stops waiting for them, so that they
    # can hand back what they did gather, with the rest marked late, rather than nothing.
    deadline = started + budget - min(PROVIDER_MARGIN, budget / 5)
    values: dict[str, Any] = {}
    pool = ThreadPoolExecutor(max_workers=len(wanted), thread_name_prefix="deploycheck-gather")
    try:
        futures = {
            pool.submit(_providers[namespace], GatherRequest(frozenset(names), deadline, options or {})): namespace
            for namespace, names in wanted.items()
        }
        done, not_done = wait(futures, timeout=budget)
        for future in done:
            namespace = futures[future]
            exc = future.exception()
            provided = future.result() if exc is None else {}
            for name in wanted[namespace]:
                if name in provided:
                    values[name] = provided[name]
                else:
                    errors[name] = (str(exc) or type(exc).__name__) if exc else _("its provider did not gather it")
        for future in not_done:
            for name in wanted[futures[future]]:
                errors[name] = _("not gathered within the %(budget)s s time budget") % {"budget": budget}
    finally:
        # A provider still running past the budget is abandoned, not waited for.
        pool.shutdown(wait=False, cancel_futures=True)
    return Facts(values, errors)
