"""Gathering advisories from a fake OSV API over HTTP: batches of at most a thousand, answers mapped back."""

from __future__ import annotations

import time

import pytest

from deploycheck.conf import RunTargets
from deploycheck.core.deadline import Watchdog
from deploycheck.core.gathering import GatherRequest
from deploycheck.families.advisories.client import OSVClient, OSVError
from deploycheck.families.advisories.gather import advisory_ids, installed_distributions, vulnerable_packages
from tests.osv_fake import record


@pytest.fixture
def request_and_client(osv):
    deadline = time.monotonic() + 10
    watchdog = Watchdog(deadline)
    client = OSVClient(osv.url, deadline=deadline, watchdog=watchdog)
    yield GatherRequest(frozenset({"advisories.scan"}), deadline, RunTargets(), watchdog), client
    client.close()
    watchdog.close()


def test_many_packages_are_asked_a_thousand_at_a_time_and_mapped_back(osv, request_and_client):
    request, client = request_and_client
    packages = [(f"package-{number}", "1.0") for number in range(2500)]
    osv.add(record("PYSEC-2099-1", "package-1700"), record("PYSEC-2099-2", "package-2499"))
    found = advisory_ids(client, packages, request)
    assert sorted(len(batch["queries"]) for batch in osv.batches()) == [500, 1000, 1000]
    assert {index: ids for index, ids in enumerate(found) if ids} == {1700: ["PYSEC-2099-1"], 2499: ["PYSEC-2099-2"]}


def test_versions_outside_the_affected_range_are_not_vulnerable(osv, request_and_client):
    request, client = request_and_client
    osv.add(record("PYSEC-2099-1", "demo", introduced="2.0", fixed="2.5"))
    found = vulnerable_packages(client, [("demo", "1.9"), ("Demo", "2.1")], request)
    assert [(package.name, package.version, package.advisories[0].fixed) for package in found] == [
        ("Demo", "2.1", "2.5")
    ]


def test_a_request_after_the_deadline_is_not_made(osv):
    watchdog = Watchdog(time.monotonic() - 1)
    client = OSVClient(osv.url, deadline=time.monotonic() - 1, watchdog=watchdog)
    with pytest.raises(OSVError, match="time budget was spent"):
        client.get("/v1/vulns/PYSEC-2099-1")
    assert osv.requests == []


def test_installed_distributions_are_named_once_with_their_version():
    installed = dict(installed_distributions())
    assert "Django" in installed or "django" in installed
    assert len({name.lower() for name in installed}) == len(installed)
