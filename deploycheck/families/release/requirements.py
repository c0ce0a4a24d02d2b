"""What pip would install from a project's requirements files, read with `packaging`.

The format is pip's (https://pip.pypa.io/en/stable/reference/requirements-file-format/): a line
that ends with a backslash goes on on the next one; ``#`` at the start of a line or after a space
starts a comment; ``-r``/``--requirement`` reads another requirements file and ``-c``/``--constraint``
a constraints file, each named relative to the file that names it; options such as ``--hash``
follow a requirement on its line, and option lines such as ``--index-url`` concern the whole install.
A requirement whose environment marker is false for the running interpreter is left out, as pip
leaves it out. Paths to the project's own files (``.``, ``./vendor/x.whl``) are not judged.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as Specified
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)


@dataclass(frozen=True)
class Requirement:
    """One requirement that applies to the running interpreter, and what pins it, if anything does."""

    name: str  # canonical (packaging.utils.canonicalize_name)
    line: str  # as written, without its options
    # The one version it allows (``==1.2.3``, ``===1.2.3``, a lock file's version, a hashed file's version).
    pinned_version: str | None = None
    # The git commit a direct reference names.
    pinned_commit: str | None = None
    # A direct reference to a file whose hash is given (``#sha256=...``).
    pinned_file: bool = False
    origin: str = ""  # file:line

    @property
    def pinned(self) -> bool:
        return bool(self.pinned_version or self.pinned_commit or self.pinned_file)


@dataclass(frozen=True)
class Installed:
    """What is installed under a requirement's name: its version, and the commit of a VCS install."""

    version: str | None
    commit: str | None = None


@dataclass(frozen=True)
class Problem:
    """Something in the files that stops an install, or that deploycheck did not read.

    ``kind`` is ``missing`` (an included file that does not exist), ``invalid`` (a line or file
    that cannot be read) or ``remote`` (a file included from the network, not fetched).
    """

    kind: str
    where: str
    text: str


@dataclass(frozen=True)
class Requirements:
    """The pins Heroku would install from, and what is installed under their names."""

    source: str | None  # the package manager file Heroku installs from, or None
    lock_file: str | None  # that file, when it is a lock file
    requirements: tuple[Requirement, ...]
    installed: Mapping[str, Installed]
    problems: tuple[Problem, ...] = ()
    # Package manager files found together: Heroku's Python buildpack refuses to build.
    several: tuple[str, ...] = ()
    # A lock file Heroku does not read (pdm.lock), found without a file it reads.
    unused_lock: str | None = None


_COMMENT = re.compile(r"(^|\s)#.*$")
# Where a requirement's own options (--hash=..., --config-settings ...) start on its line.
_OPTIONS = re.compile(r"\s--?[A-Za-z]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tar.bz2", ".tgz")
_HASHES = frozenset({"sha1", "sha224", "sha256", "sha384", "sha512", "md5"})
_FILE_OPTIONS = {
    "-r": "requirement",
    "--requirement": "requirement",
    "-c": "constraint",
    "--constraint": "constraint",
    "-e": "editable",
    "--editable": "editable",
}


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(number of its first physical line, text) of each line that is neither blank nor a comment."""
    parts: list[str] = []
    first = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not parts:
            first = number
        comment = raw.lstrip().startswith("#")
        if raw.endswith("\\") and not comment:
            parts.append(raw[:-1])
            continue
        parts.append("" if comment else raw)
        line = _COMMENT.sub("", "".join(parts)).strip()
        parts = []
        if line:
            yield first, line
    line = _COMMENT.sub("", "".join(parts)).strip()
    if line:
        yield first, line


def _file_option(tokens: list[str]) -> tuple[str, str] | None:
    """(kind, value) of a -r, -c or -e line, in any of the spellings pip's parser accepts."""
    first = tokens[0]
    for flag, kind in _FILE_OPTIONS.items():
        if first == flag:
            return kind, tokens[1] if len(tokens) > 1 else ""
        if flag.startswith("--") and first.startswith(flag + "="):
            return kind, first[len(flag) + 1 :]
        if not flag.startswith("--") and first.startswith(flag):
            return kind, first[len(flag) :].lstrip("=")
    return None


def _name_from_url(url: str) -> str | None:
    """The project a bare URL installs: its ``#egg=`` fragment, else its wheel or sdist file name."""
    parts = urlsplit(url)
    egg = parse_qs(parts.fragment).get("egg")
    if egg:
        return canonicalize_name(egg[0].split("[")[0])
    filename = parts.path.rsplit("/", 1)[-1]
    try:
        return canonicalize_name(parse_wheel_filename(filename)[0])
    except InvalidWheelFilename:
        pass
    try:
        return canonicalize_name(parse_sdist_filename(filename)[0])
    except InvalidSdistFilename:
        return None


def url_pin(url: str) -> tuple[str | None, bool, str | None]:
    """(commit, hashed file, version) a direct reference pins: a git commit, or a file with its hash."""
    parts = urlsplit(url)
    if parts.scheme.startswith("git+"):
        revision = parts.path.rpartition("@")[2] if "@" in parts.path else ""
        return (revision, False, None) if _COMMIT.match(revision) else (None, False, None)
    if not _HASHES & parse_qs(parts.fragment).keys():
        return None, False, None
    filename = parts.path.rsplit("/", 1)[-1]
    version: str | None = None
    try:
        version = str(parse_wheel_filename(filename)[1])
    except InvalidWheelFilename:
        try:
            version = str(parse_sdist_filename(filename)[1])
        except InvalidSdistFilename:
            version = None
    return None, True, version


def _looks_like_path(text: str) -> bool:
    return text.startswith((".", "/", "~")) or "/" in text or "\\" in text or text.endswith(_ARCHIVES)


def parse_requirement(text: str, origin: str) -> Requirement | Problem | None:
    """One requirement line (options removed); None when it does not apply or names the project's own files."""
    if _URL.match(text):
        name = _name_from_url(text)
        commit, hashed, version = url_pin(text)
        return Requirement(name or text, text, version, commit, hashed, origin)
    try:
        specified = Specified(text)
    except InvalidRequirement:
        return None if _looks_like_path(text) else Problem("invalid", origin, text)
    if specified.marker is not None and not specified.marker.evaluate():
        return None
    name = canonicalize_name(specified.name)
    if specified.url:
        commit, hashed, version = url_pin(specified.url)
        return Requirement(name, text, version, commit, hashed, origin)
    exact = [
        clause.version
        for clause in specified.specifier
        if clause.operator == "===" or (clause.operator == "==" and not clause.version.endswith(".*"))
    ]
    return Requirement(name, text, exact[0] if exact else None, origin=origin)


@dataclass
class _Reader:
    root: Path
    requirements: list[Requirement] = field(default_factory=list)
    constraints: dict[str, Requirement] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def read(self, path: Path, *, constraint: bool) -> None:
        resolved = path.resolve()
        if resolved in self.seen:
            return
        self.seen.add(resolved)
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        for number, line in logical_lines(text):
            self.line(path, f"{self.shown(path)}:{number}", line, constraint=constraint)

    def line(self, path: Path, origin: str, line: str, *, constraint: bool) -> None:
        if line.startswith("-"):
            try:
                tokens = shlex.split(line)
            except ValueError:
                self.problems.append(Problem("invalid", origin, line))
                return
            option = _file_option(tokens) if tokens else None
            if option is None:
                return  # --index-url and the like: how to install, not what
            kind, value = option
            if kind == "editable":
                self.add(parse_requirement(value, origin), constraint=constraint)
            else:
                self.include(path, origin, value, constraint=kind == "constraint")
            return
        match = _OPTIONS.search(line)
        self.add(parse_requirement(line[: match.start()].strip() if match else line, origin), constraint=constraint)

    def include(self, path: Path, origin: str, value: str, *, constraint: bool) -> None:
        if _URL.match(value):
            self.problems.append(Problem("remote", origin, value))
            return
        included = Path(value).expanduser()
        included = included if included.is_absolute() else path.parent / included
        if not included.is_file():
            self.problems.append(Problem("missing", origin, value))
            return
        self.read(included, constraint=constraint)

    def add(self, found: Requirement | Problem | None, *, constraint: bool) -> None:
        if isinstance(found, Problem):
            self.problems.append(found)
        elif found is not None and constraint:
            if found.pinned:
                self.constraints.setdefault(found.name, found)
        elif found is not None:
            self.requirements.append(found)


def read_requirements_file(path: Path, root: Path) -> tuple[tuple[Requirement, ...], tuple[Problem, ...]]:
    """Every requirement of ``path`` and the files it includes, a constraint's pin applied to its
    requirement; and the problems found on the way."""
    reader = _Reader(root)
    reader.read(path, constraint=False)
    pinned = []
    for requirement in reader.requirements:
        constraint = reader.constraints.get(requirement.name)
        if not requirement.pinned and constraint is not None:
            requirement = replace(
                constraint,
                line=requirement.line,
                origin=f"{requirement.origin} ({constraint.origin})",
            )
        pinned.append(requirement)
    return tuple(pinned), tuple(reader.problems)
