"""Gathering: the only step of a run that does I/O.

A check names the facts it needs (``requires=("heroku.formation",)``). Facts are grouped by
namespace, the part of the name before the first dot, and each namespace has one provider,
declared by a family (deploycheck.core.check.Family) and called once per run with every name
asked of it, so it can fetch what they share once and concurrently. ``settings.<NAME>`` is
gathered here: checks read settings as facts, so that evaluating them reads nothing else.
Providers run in parallel, within the run's time budget; whatever a provider raises, or does
not finish in time, becomes the reason its facts are missing; a provider that could gather some
facts and not others hands back a FactError for each of the others.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import repeat
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.utils import translation

from deploycheck.conf import RunTargets, run_targets
from deploycheck.core.check import FactError, Facts
from deploycheck.core.deadline import Watchdog
from deploycheck.core.deferred_text import Text
from deploycheck.core.deferred_text import later as _


@dataclass(frozen=True)
class GatherRequest:
    """What a provider is asked for."""

    names: frozenset[str]
    # time.monotonic() value by which the provider must have returned.
    deadline: float
    # The apps and URLs the run looks at, decided once (deploycheck.conf.run_targets).
    targets: RunTargets = field(default_factory=RunTargets)
    # Every socket a provider opens is handed to it (see deploycheck.core.deadline): it is shut down at
    # the deadline, or as soon as the run ends, interrupted or not.
    watchdog: Watchdog = field(default_factory=Watchdog)

    @property
    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())


Provider = Callable[[GatherRequest], Mapping[str, Any]]

PROVIDER_MARGIN = 0.5  # seconds
# How many threads the caller, then each new thread, of a pool starts (see _Pool).
SPAWN_FANOUT = 4
# What in-process providers are handed: they open no socket, and one handed to it is cut at once.
NO_SOCKETS = Watchdog()
NO_SOCKETS.close()


ProviderType = TypeVar("ProviderType", bound=Callable[..., Any])


def in_process(provider: ProviderType) -> ProviderType:
    """Mark a provider that only computes, reading neither a socket nor a database: it runs on the
    calling thread (a thread of its own would cost more than it does) and watches the deadline itself."""
    provider.in_process = True  # type: ignore[attr-defined]
    return provider


@in_process
def gather_settings(request: GatherRequest) -> dict[str, Any]:
    """``settings.DEBUG`` -> settings.DEBUG, None for a setting the project does not have."""
    return {name: getattr(settings, name.partition(".")[2], None) for name in request.names}


BUILT_IN_PROVIDERS: Mapping[str, Provider] = {"settings": gather_settings}


Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


def run_concurrently(
    jobs: Mapping[Key, Callable[[], Value]],
    timeout: float,
    *,
    late: Callable[[Key], Value],
    thread_name: str,
    max_workers: int | None = None,
    here: Collection[Key] = (),
    interrupted: Callable[[Key], Value] | None = None,
) -> dict[Key, Value]:
    """Each job's result, the jobs run on their own threads; ``late(key)`` for one not done in time.

    A job still running at the timeout is abandoned, not waited for: jobs run on daemon threads,
    which the interpreter does not wait for at exit either, and a job not started by then never
    starts. What a job raises is raised here: jobs that expect failures return them as values.
    Jobs run in the caller's language: a new thread would otherwise speak settings.LANGUAGE_CODE,
    and a reason gathered there would read in another language than the sentence that quotes it.
    The jobs named in ``here`` run on the caller's thread once the others have started, and the
    time they take counts against ``timeout``: for jobs that only compute, a thread costs more
    than it saves. With ``interrupted``, Ctrl-C (or SIGTERM, made one by the command) stops the
    waiting: what was done is kept, and ``interrupted(key)`` stands for the rest.
    """
    if not jobs:
        return {}
    deadline = time.monotonic() + timeout
    pool = _Pool(jobs, here, translation.get_language())
    pool.start(thread_name, max_workers)
    missing = late
    try:
        for key in jobs.keys() - pool.jobs.keys():
            pool.put(key, jobs[key]())
        pool.wait(deadline)
    except KeyboardInterrupt:
        if interrupted is None:
            raise
        missing = interrupted
    finally:
        pool.stop()
    return pool.answers(jobs, missing)


class _Pool(Generic[Key, Value]):
    """Daemon threads that take jobs from a queue, in the caller's language, and hand back what they get.

    Starting a thread waits until the new thread runs, which can take a millisecond on a busy or
    virtual machine: one after the other, a hundred threads would wait a hundred times. So the
    caller starts a few, each new thread starts a few more before its first job, and the waits
    overlap. The caller waiting for the results is woken once, when the last is in.
    """

    def __init__(self, jobs: Mapping[Key, Callable[[], Value]], here: Collection[Key], language: str | None):
        self.jobs = {key: job for key, job in jobs.items() if key not in here}
        self.expected = len(jobs)
        self.language = language
        self.pending = deque(self.jobs.items())
        self.results: dict[Key, Value] = {}
        self.raised: list[BaseException] = []
        self.finished = threading.Condition()
        self.thread_name = ""
        self.to_start = self.started = 0

    def start(self, thread_name: str, max_workers: int | None) -> None:
        self.thread_name = thread_name
        self.to_start = min(max_workers or len(self.jobs), len(self.jobs))
        self._start_some()

    def _start_some(self) -> None:
        for _number in range(SPAWN_FANOUT):
            with self.finished:
                if self.started >= self.to_start or not self.pending:
                    return
                number = self.started
                self.started += 1
            threading.Thread(target=self._work, name=f"{self.thread_name}_{number}", daemon=True).start()

    def _work(self) -> None:
        # Out of threads, those running take every job from the queue all the same.
        with suppress(RuntimeError):
            self._start_some()
        with translation.override(self.language):
            while True:
                with self.finished:
                    if not self.pending:
                        return
                    key, job = self.pending.popleft()
                try:
                    value = job()
                except BaseException as exc:  # handed to the caller, as a future would
                    with self.finished:
                        self.raised.append(exc)
                        self.finished.notify()
                    return
                self.put(key, value)

    def put(self, key: Key, value: Value) -> None:
        with self.finished:
            self.results[key] = value
            if len(self.results) >= self.expected:
                self.finished.notify()

    def wait(self, deadline: float) -> None:
        """Until every result is in, a job raised, or the deadline."""
        with self.finished:
            # A wait with a timeout, so that Ctrl-C and SIGTERM interrupt it.
            while len(self.results) < self.expected and not self.raised and (left := deadline - time.monotonic()) > 0:
                self.finished.wait(left)

    def stop(self) -> None:
        """No job starts any more; those running are abandoned."""
        with self.finished:
            self.pending.clear()

    def answers(self, jobs: Mapping[Key, Any], missing: Callable[[Key], Value]) -> dict[Key, Value]:
        if self.raised:
            raise self.raised[0]
        with self.finished:
            return {key: self.results[key] if key in self.results else missing(key) for key in jobs}


def gather(
    names: Iterable[str],
    budget: float,
    targets: RunTargets | None = None,
    providers: Mapping[str, Provider] | None = None,
) -> Facts:
    """Gather the named facts with ``providers`` (namespace -> provider), concurrently and within ``budget`` s.

    ``targets`` are the run's (the settings' when not given).
    """
    targets = targets or run_targets()
    providers = {**BUILT_IN_PROVIDERS, **(providers or {})}
    wanted = _by_namespace(names if isinstance(names, frozenset) else frozenset(names))
    errors: dict[str, Text] = {}
    if not wanted.keys() <= providers.keys():
        for namespace in wanted.keys() - providers.keys():
            for name in wanted[namespace]:
                errors[name] = _("nothing gathers the fact %(name)s") % {"name": name}
        wanted = {namespace: group for namespace, group in wanted.items() if namespace in providers}
    if not wanted:
        return Facts({}, errors)
    started = time.monotonic()
    # Providers are told to stop a little before the run stops waiting for them, so that they
    # can hand back what they did gather, with the rest marked late, rather than nothing.
    deadline = started + budget - min(PROVIDER_MARGIN, budget / 5)
    in_process = {namespace for namespace in wanted if getattr(providers[namespace], "in_process", False)}
    only_in_process = in_process == wanted.keys()
    watchdog = NO_SOCKETS if only_in_process else Watchdog(deadline)

    if only_in_process:
        # Nothing to wait for on another thread (Django's own checks, settings): no scaffolding.
        # Ctrl-C reaches the caller as it would any code of its own.
        provided: dict[str, Mapping[str, Any] | Text] = {}
        for namespace, group in wanted.items():
            try:
                provided[namespace] = providers[namespace](GatherRequest(group, deadline, targets, watchdog))
            except Exception as exc:
                provided[namespace] = _reason_of(exc)
        return Facts(_sorted_answers(provided, wanted, errors), errors)
    stopped = _("not gathered: the run was interrupted")
    late = _("not gathered within the %(budget)s s time budget") % {"budget": budget}
    try:
        provided = run_concurrently(
            {
                namespace: partial(_provide, providers[namespace], GatherRequest(group, deadline, targets, watchdog))
                for namespace, group in wanted.items()
            },
            budget,
            late=lambda namespace: late,
            thread_name="deploycheck-gather",
            here=in_process,
            interrupted=lambda namespace: stopped,
        )
    finally:
        # Whatever is still reading, on time or interrupted, stops now and its thread ends.
        watchdog.close()
    values = _sorted_answers(provided, wanted, errors)
    return Facts(values, errors, interrupted=any(answer is stopped for answer in provided.values()))


def _provide(provider: Provider, request: GatherRequest) -> Mapping[str, Any] | Text:
    try:
        return provider(request)
    except Exception as exc:
        return _reason_of(exc)


def _reason_of(exc: Exception) -> Text:
    # A provider's failure is the reason its facts are missing.
    reason: Text = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
    return reason


@lru_cache(maxsize=64)
def _by_namespace(names: frozenset[str]) -> Mapping[str, frozenset[str]]:
    """``names`` by namespace (what precedes the first dot): computed once for the names a run keeps asking."""
    grouped: dict[str, set[str]] = {}
    for name in names:
        grouped.setdefault(name.partition(".")[0], set()).add(name)
    return MappingProxyType({namespace: frozenset(group) for namespace, group in grouped.items()})


def _sorted_answers(
    provided: Mapping[str, Mapping[str, Any] | Text], wanted: Mapping[str, frozenset[str]], errors: dict[str, Text]
) -> Mapping[str, Any]:
    """The facts each provider gave; what it did not give goes into ``errors``, with the reason."""
    values: dict[str, Any] = {}
    for namespace, answer in provided.items():
        if type(answer) is not dict and not isinstance(answer, Mapping):
            errors.update(dict.fromkeys(wanted[namespace], answer))
            continue
        if answer.keys() == wanted[namespace] and not any(map(isinstance, answer.values(), repeat(FactError))):
            # The usual answer, every fact asked for and no other: taken whole rather than name by name,
            # and as it is when it is the only one (Facts keeps a copy of its own).
            if len(provided) == 1:
                return answer
            values.update(answer)
            continue
        for name in wanted[namespace]:
            if name not in answer:
                errors[name] = _("its provider did not gather it")
            elif isinstance(answer[name], FactError):
                errors[name] = answer[name].reason
            else:
                values[name] = answer[name]
    return values
