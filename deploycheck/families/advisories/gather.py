"""The ``advisories.scan`` fact: what the OSV database knows of every installed distribution.

Each distribution importlib.metadata finds (name and version) is one query of OSV's batch API,
a thousand to a request, the requests sent together; a query whose answer has more pages is asked
again with its page token, all such queries of a round in one batch. The batch answers ids only:
each advisory's record is then fetched on a small pool of threads. Everything happens within the
run's deadline; any answer that is late, failed or not in OSV's shape makes the whole fact a
FactError with the reason, since a scan with holes would read as a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from typing import Any, TypeVar
from urllib.parse import quote

from packaging.utils import canonicalize_name

from deploycheck import conf
from deploycheck.core.check import FactError
from deploycheck.core.deferred_text import later as _
from deploycheck.core.gathering import GatherRequest, run_concurrently
from deploycheck.core.input_rules import is_advisory_id
from deploycheck.core.shapes import STRING, Shape, items, nullable, optional, record, values
from deploycheck.families.advisories.client import OSVClient, OSVError
from deploycheck.families.advisories.records import Advisory, RecordError, merged, read_record

BATCH_PATH = "/v1/querybatch"
# OSV takes at most this many queries in one batch.
BATCH_LIMIT = 1000
# Rounds of follow-up queries for results with more pages; past that, the answer is not trusted.
MAX_PAGE_ROUNDS = 20
# Requests under way at once: the batches of a round, or the records being fetched.
WORKERS = 8
MAX_PAGE_TOKEN = 4096


@dataclass(frozen=True)
class VulnerablePackage:
    name: str
    version: str
    advisories: tuple[Advisory, ...]


@dataclass(frozen=True)
class Scan:
    """What was asked and found. ``source`` is the API's address; None when the check is turned off."""

    source: str | None
    checked: int = 0
    vulnerable: tuple[VulnerablePackage, ...] = ()
    # (advisory id, reason) pairs from DEPLOYCHECK["ACCEPTED_ADVISORIES"].
    accepted: tuple[tuple[str, str], ...] = ()


Package = tuple[str, str]  # (name, version)
Key = TypeVar("Key")
Answer = TypeVar("Answer")


def installed_distributions() -> list[Package]:
    """(name, version) of each installed distribution, once: the first one found, as import finds it."""
    found: dict[str, Package] = {}
    for distribution in metadata.distributions():
        name, version = getattr(distribution, "name", None), distribution.version
        if isinstance(name, str) and name and isinstance(version, str) and version:
            found.setdefault(canonicalize_name(name), (name, version))
    return [found[key] for key in sorted(found)]


# The keys the check reads of OSV's answers, and their types (https://google.github.io/osv.dev/api/,
# https://ossf.github.io/osv-schema/); other keys are not read. A query that matched nothing may
# answer an empty object.
BATCH = record(
    results=items(
        record(vulns=optional(nullable(items(record(id=STRING)))), next_page_token=optional(nullable(STRING)))
    )
)
RECORD = record(
    id=STRING,
    aliases=optional(nullable(items(STRING))),
    withdrawn=optional(nullable(STRING)),
    affected=optional(
        items(
            record(
                package=optional(record(ecosystem=optional(STRING), name=optional(STRING))),
                ranges=optional(items(record(type=STRING, events=items(values(STRING))))),
            )
        )
    ),
    severity=optional(nullable(items(record(type=STRING, score=STRING)))),
)


def not_osv(request: str, where: str) -> OSVError:
    return OSVError(request, _("an answer that is not in OSV's format (at %(field)s)") % {"field": where})


def shaped(request: str, shape: Shape, answer: Any) -> Any:
    """``answer`` when it has ``shape``; else the error saying what was unexpected, so the check is not evaluated."""
    problem = shape.problem(answer)
    if problem is not None:
        raise OSVError(request, _("an answer that is not in OSV's format: %(problem)s") % {"problem": problem.words})
    return answer


def _together(jobs: Mapping[Key, Callable[[], Answer]], request: GatherRequest, what: str) -> dict[Key, Answer]:
    """Each job's answer, the jobs run concurrently; one not done by the deadline fails them all."""
    answers = run_concurrently(
        jobs, request.seconds_left, late=lambda key: None, thread_name="deploycheck-osv", max_workers=WORKERS
    )
    if any(answer is None for answer in answers.values()):
        raise OSVError(what, _("no answer within the run's time budget"))
    return answers  # type: ignore[return-value]  # None was ruled out above


def _query(package: Package, token: str | None) -> dict[str, Any]:
    query: dict[str, Any] = {"package": {"name": package[0], "ecosystem": "PyPI"}, "version": package[1]}
    if token:
        query["page_token"] = token
    return query


def _batch(client: OSVClient, queries: list[dict[str, Any]]) -> list[tuple[list[str], str | None]]:
    """(advisory ids, next page token) for each query, in the order asked, as OSV guarantees."""
    request = f"POST {BATCH_PATH}"
    results = shaped(request, BATCH, client.post(BATCH_PATH, {"queries": queries}))["results"]
    if len(results) != len(queries):
        raise not_osv(request, "results")
    read = []
    for position, result in enumerate(results):
        ids: list[str] = []
        for number, vuln in enumerate(result.get("vulns") or []):
            if not is_advisory_id(vuln["id"]):
                raise not_osv(request, f"results[{position}].vulns[{number}].id")
            ids.append(vuln["id"])
        token = result.get("next_page_token") or None
        if token is not None and len(token) > MAX_PAGE_TOKEN:
            raise not_osv(request, f"results[{position}].next_page_token")
        read.append((ids, token))
    return read


def advisory_ids(client: OSVClient, packages: list[Package], request: GatherRequest) -> list[list[str]]:
    """The ids of the advisories OSV lists for each package, every page of them."""
    found: list[list[str]] = [[] for _package in packages]
    pending: list[tuple[int, str | None]] = [(index, None) for index in range(len(packages))]
    for _round in range(MAX_PAGE_ROUNDS):
        if not pending:
            return found
        chunks = [pending[start : start + BATCH_LIMIT] for start in range(0, len(pending), BATCH_LIMIT)]
        jobs = {
            number: partial(_batch, client, [_query(packages[index], token) for index, token in chunk])
            for number, chunk in enumerate(chunks)
        }
        answers = _together(jobs, request, f"POST {BATCH_PATH}")
        pending = []
        for number, chunk in enumerate(chunks):
            for (index, _token), (ids, token) in zip(chunk, answers[number], strict=True):
                found[index].extend(advisory_id for advisory_id in ids if advisory_id not in found[index])
                if token:
                    pending.append((index, token))
    if pending:
        detail = _("more than %(rounds)d pages of results") % {"rounds": MAX_PAGE_ROUNDS}
        raise OSVError(f"POST {BATCH_PATH}", detail)
    return found


def _record(client: OSVClient, advisory_id: str) -> Any:
    path = "/v1/vulns/" + quote(advisory_id, safe="")
    return shaped(f"GET {path}", RECORD, client.get(path))


def vulnerable_packages(
    client: OSVClient, packages: list[Package], request: GatherRequest
) -> tuple[VulnerablePackage, ...]:
    ids = advisory_ids(client, packages, request)
    wanted = sorted({advisory_id for package_ids in ids for advisory_id in package_ids})
    records = _together(
        {advisory_id: partial(_record, client, advisory_id) for advisory_id in wanted}, request, "GET /v1/vulns"
    )
    vulnerable = []
    for (name, version), package_ids in zip(packages, ids, strict=True):
        advisories = []
        for advisory_id in package_ids:
            try:
                advisory = read_record(records[advisory_id], name, version)
            except RecordError as exc:
                raise not_osv(f"GET /v1/vulns/{advisory_id}", str(exc)) from None
            if advisory is not None:
                advisories.append(advisory)
        if advisories:
            vulnerable.append(VulnerablePackage(name, version, tuple(merged(advisories))))
    return tuple(vulnerable)


def scan(request: GatherRequest) -> Scan | FactError:
    settings = conf.get_settings()
    if settings.osv_api_url is None:
        return Scan(None, accepted=settings.accepted_advisories)
    packages = installed_distributions()
    client = OSVClient(settings.osv_api_url, deadline=request.deadline, watchdog=request.watchdog)
    try:
        found = vulnerable_packages(client, packages, request)
    except OSVError as exc:
        return FactError(exc.reason)
    finally:
        client.close()
    return Scan(settings.osv_api_url, len(packages), found, settings.accepted_advisories)


def gather_advisories(request: GatherRequest) -> dict[str, Any]:
    return {"advisories.scan": scan(request)} if "advisories.scan" in request.names else {}
