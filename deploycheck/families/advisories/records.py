"""OSV vulnerability records (https://ossf.github.io/osv-schema/), read for one installed package.

Only what the check needs is kept, and only in shapes that cannot carry anything else: ids that
look like advisory ids, a severity from a fixed list, versions that parse as PEP 440 versions.
A record that is not a JSON object with an id is refused with :class:`RecordError`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from deploycheck.core.input_rules import is_advisory_id

# GitHub's words, which its advisories carry in database_specific.severity, least severe first.
SEVERITIES = ("LOW", "MODERATE", "HIGH", "CRITICAL")
ADVISORY_PAGE = "https://osv.dev/vulnerability/"


class RecordError(ValueError):
    """A record not in OSV's shape; its message names the field, in the schema's words."""


@dataclass(frozen=True)
class Advisory:
    """One vulnerability as it affects one installed version, under all the ids it is known by."""

    id: str
    aliases: tuple[str, ...] = ()
    severity: str | None = None
    # The first version after the installed one that fixes it; None when no release does yet.
    fixed: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)

    @property
    def url(self) -> str:
        return ADVISORY_PAGE + self.id


def _version(value: Any) -> Version | None:
    try:
        return Version(value) if isinstance(value, str) else None
    except InvalidVersion:
        return None


def first_fixed(record: dict[str, Any], package: str, installed: str) -> str | None:
    """The fixed version of the range that holds ``installed``, else the first fixed version above it."""
    version = _version(installed)
    if version is None:
        return None
    holding: list[Version] = []
    later: list[Version] = []
    for affected in _objects(record.get("affected")):
        named = affected.get("package")
        if not isinstance(named, dict) or named.get("ecosystem") != "PyPI":
            continue
        if canonicalize_name(str(named.get("name", ""))) != canonicalize_name(package):
            continue
        for ecosystem_range in _objects(affected.get("ranges")):
            if ecosystem_range.get("type") != "ECOSYSTEM":
                continue
            introduced: Version | None = None
            for event in _objects(ecosystem_range.get("events")):
                if "introduced" in event:
                    introduced = _version(event["introduced"])
                fixed = _version(event.get("fixed"))
                if fixed is None or fixed <= version:
                    continue
                later.append(fixed)
                if introduced is not None and introduced <= version:
                    holding.append(fixed)
    found = holding or later
    return str(min(found)) if found else None


def severity(record: dict[str, Any]) -> str | None:
    """GitHub's rating when the record has one, else the rating of its CVSS v3 base score."""
    specific = record.get("database_specific")
    rated = specific.get("severity") if isinstance(specific, dict) else None
    if isinstance(rated, str) and rated.upper() in SEVERITIES:
        return rated.upper()
    for scored in _objects(record.get("severity")):
        if scored.get("type") == "CVSS_V3" and isinstance(scored.get("score"), str):
            score = cvss3_base_score(scored["score"])
            if score is not None:
                return cvss_rating(score)
    return None


def read_record(record: Any, package: str, installed: str) -> Advisory | None:
    """What a record says of ``package`` at version ``installed``; None for a withdrawn one."""
    if not isinstance(record, dict) or not is_advisory_id(record.get("id")):
        raise RecordError("id")
    if record.get("withdrawn"):
        return None
    aliases = record.get("aliases")
    kept = [alias for alias in aliases if is_advisory_id(alias)] if isinstance(aliases, list) else []
    return Advisory(
        id=record["id"],
        aliases=tuple(sorted(set(kept) - {record["id"]})),
        severity=severity(record),
        fixed=first_fixed(record, package, installed),
    )


def merged(advisories: Iterable[Advisory]) -> list[Advisory]:
    """One advisory per vulnerability: OSV lists GitHub's, PyPI's and others' records of the same one,
    each naming the others in its aliases. The worst severity and the latest fix win."""
    groups: list[list[Advisory]] = []
    for advisory in advisories:
        linked = [group for group in groups if any(set(advisory.ids) & set(other.ids) for other in group)]
        for group in linked:
            groups.remove(group)
        groups.append([advisory, *(other for group in linked for other in group)])
    return sorted((_one(group) for group in groups), key=lambda advisory: advisory.id)


def _one(group: list[Advisory]) -> Advisory:
    ids = sorted({advisory_id for advisory in group for advisory_id in advisory.ids})
    # A reader knows GitHub's and PyPI's ids best; the others are listed after it.
    primary = next((i for prefix in ("GHSA-", "PYSEC-") for i in ids if i.startswith(prefix)), ids[0])
    ratings = [advisory.severity for advisory in group if advisory.severity]
    fixes = [Version(advisory.fixed) for advisory in group if advisory.fixed]
    return Advisory(
        id=primary,
        aliases=tuple(i for i in ids if i != primary),
        severity=max(ratings, key=SEVERITIES.index) if ratings else None,
        fixed=str(max(fixes)) if fixes else None,
    )


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# CVSS v3.x base score, as the specification computes it (https://www.first.org/cvss/v3.1/specification-document).
_WEIGHTS: dict[str, dict[str, float]] = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
    "I": {"H": 0.56, "L": 0.22, "N": 0.0},
    "A": {"H": 0.56, "L": 0.22, "N": 0.0},
}
# Privileges required weigh more when the scope changes.
_PRIVILEGES = {"U": {"N": 0.85, "L": 0.62, "H": 0.27}, "C": {"N": 0.85, "L": 0.68, "H": 0.5}}


def _round_up(value: float) -> float:
    whole = round(value * 100_000)
    return whole / 100_000.0 if whole % 10_000 == 0 else (math.floor(whole / 10_000) + 1) / 10.0


def cvss3_base_score(vector: str) -> float | None:
    """The base score of a ``CVSS:3.x/AV:N/AC:L/...`` vector; None for one that is not complete and valid."""
    parts = vector.split("/")
    if not parts or parts[0] not in ("CVSS:3.0", "CVSS:3.1"):
        return None
    metrics = dict(part.partition(":")[::2] for part in parts[1:])
    try:
        scope = metrics["S"]
        weights = {name: _WEIGHTS[name][metrics[name]] for name in _WEIGHTS}
        privileges = _PRIVILEGES[scope][metrics["PR"]]
    except KeyError:
        return None
    base = 1 - (1 - weights["C"]) * (1 - weights["I"]) * (1 - weights["A"])
    impact = 6.42 * base if scope == "U" else 7.52 * (base - 0.029) - 3.25 * (base - 0.02) ** 15
    exploitability = 8.22 * weights["AV"] * weights["AC"] * privileges * weights["UI"]
    if impact <= 0:
        return 0.0
    total = impact + exploitability if scope == "U" else 1.08 * (impact + exploitability)
    return _round_up(min(total, 10.0))


def cvss_rating(score: float) -> str | None:
    """The rating of a CVSS score, in GitHub's words (MODERATE for CVSS's Medium); None for 0."""
    if score >= 9.0:
        return "CRITICAL"
    if score >= 7.0:
        return "HIGH"
    if score >= 4.0:
        return "MODERATE"
    return "LOW" if score > 0 else None
