"""Reading OSV records: the fix that applies to the installed version, the rating, one advisory per vulnerability."""

from __future__ import annotations

from typing import Any

import pytest

from deploycheck.families.advisories.records import (
    Advisory,
    RecordError,
    cvss3_base_score,
    first_fixed,
    merged,
    read_record,
)
from tests.osv_fake import record


def ranges(*events: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "id": "PYSEC-2099-1",
        "affected": [
            {"package": {"ecosystem": "PyPI", "name": "Django"}, "ranges": [{"type": "ECOSYSTEM", "events": list(e)}]}
            for e in events
        ],
    }


def test_the_fix_of_the_range_that_holds_the_installed_version_is_the_one_given():
    # Fixed in 4.2.20 for the 4.2 series and 5.1.8 for 5.1: a 5.1.2 install needs 5.1.8.
    body = ranges(
        [{"introduced": "0"}, {"fixed": "4.2.20"}],
        [{"introduced": "5.0"}, {"fixed": "5.1.8"}],
        [{"introduced": "5.2a1"}, {"fixed": "5.2.1"}],
    )
    assert first_fixed(body, "django", "5.1.2") == "5.1.8"
    assert first_fixed(body, "Django", "4.1") == "4.2.20"


def test_no_fix_when_only_last_affected_or_nothing_later():
    assert first_fixed(ranges([{"introduced": "0"}, {"last_affected": "5.2"}]), "django", "5.1") is None
    assert first_fixed(ranges([{"introduced": "0"}, {"fixed": "1.0"}]), "django", "5.1") is None
    assert first_fixed(ranges([{"introduced": "0"}, {"fixed": "not a version"}]), "django", "5.1") is None


def test_other_packages_and_ecosystems_are_ignored():
    body = ranges([{"introduced": "0"}, {"fixed": "9.0"}])
    assert first_fixed(body, "requests", "1.0") is None
    body["affected"][0]["package"]["ecosystem"] = "npm"
    assert first_fixed(body, "django", "1.0") is None


@pytest.mark.parametrize(
    ("vector", "score"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ("CVSS:3.1/AV:N/AC:L", None),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", None),
        ("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", None),
    ],
)
def test_cvss3_base_scores_as_the_specification_computes_them(vector, score):
    assert cvss3_base_score(vector) == score


def rating(body: dict[str, Any]) -> str | None:
    advisory = read_record(body, "x", "1.0")
    assert advisory is not None
    return advisory.severity


def test_github_rating_wins_then_the_cvss_score():
    assert rating(record("GHSA-a", "x", severity="moderate")) == "MODERATE"
    assert rating(record("PYSEC-1", "x", cvss="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")) == "CRITICAL"
    assert rating(record("PYSEC-1", "x", severity="SEVERE")) is None


def test_a_record_keeps_only_ids_that_look_like_ids_and_a_withdrawn_one_is_dropped():
    body = record("GHSA-aaaa", "x", aliases=("CVE-2099-1", "\x1b[31mred", "x" * 300))
    assert read_record(body, "x", "1.0") == Advisory("GHSA-aaaa", ("CVE-2099-1",), None, "999.0")
    assert read_record(record("GHSA-aaaa", "x", withdrawn=True), "x", "1.0") is None
    with pytest.raises(RecordError):
        read_record({"id": "\x1b[2J"}, "x", "1.0")
    with pytest.raises(RecordError):
        read_record(["GHSA-aaaa"], "x", "1.0")


def test_records_of_one_vulnerability_are_merged_through_their_aliases():
    found = merged(
        [
            Advisory("PYSEC-2099-7", ("CVE-2099-1",), "HIGH", "2.0"),
            Advisory("GHSA-aaaa", ("CVE-2099-1",), "LOW", "2.1"),
            Advisory("GHSA-bbbb", (), None, None),
        ]
    )
    assert found == [
        Advisory("GHSA-aaaa", ("CVE-2099-1", "PYSEC-2099-7"), "HIGH", "2.1"),
        Advisory("GHSA-bbbb", (), None, None),
    ]
