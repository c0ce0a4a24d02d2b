"""The ``release`` family's checks of the files Heroku builds from: requirements, lock files, Python version.

Each is judged as Heroku's Python buildpack would read it (deploycheck.families.release.locks and
deploycheck.families.release.gather gather what it would read). Declared on the family of
deploycheck.families.release.family; deploycheck.families.release.checks imports this module, so that the catalogue,
which loads that one, finds these checks too.
"""

from __future__ import annotations

from collections import defaultdict

from packaging.version import InvalidVersion, Version

from deploycheck.core.check import Facts, Finding, failed, passed, skipped
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import later as _
from deploycheck.core.deferred_text import plural_later as ngettext
from deploycheck.families.release.family import FAMILY, dotted
from deploycheck.families.release.gather import Environment, VersionFile
from deploycheck.families.release.requirements import Installed, Problem, Requirements

PIP_DOCS = "https://devcenter.heroku.com/articles/python-dependencies-via-pip"


def _problem(problem: Problem) -> Finding:
    values = {"where": problem.where, "file": problem.text, "text": problem.text}
    if problem.kind == "remote":
        return skipped(
            _("%(where)s includes %(file)s from the network: deploycheck does not read it.") % values,
            obj=problem.where,
        )
    if problem.kind == "missing":
        message = _("%(where)s includes %(file)s, which does not exist: the install fails.")
    else:
        message = _("%(where)s cannot be read: %(text)s")
    return failed(message % values, level=Level.ERROR, obj=problem.where)


@FAMILY.check(
    "release.requirements_pinned",
    title=_("Every top-level requirement is pinned"),
    level=Level.WARNING,
    hint=_("Pin exact versions (package==1.2.3), or commit a lock file (uv.lock, poetry.lock)."),
    doc=PIP_DOCS,
    requires=("release.requirements",),
)
def check_requirements_pinned(facts: Facts) -> Finding | list[Finding]:
    found: Requirements = facts["release.requirements"]
    if found.several:
        return failed(
            _("Heroku's Python buildpack refuses to build with several package manager files: %(files)s.")
            % {"files": ", ".join(found.several)},
            level=Level.ERROR,
            hint=_("Keep the file of the package manager you use and delete the others."),
        )
    if found.source is None:
        if found.unused_lock:
            return failed(
                _(
                    "Heroku does not read %(file)s: it installs with pip, Pipenv, Poetry or uv, from "
                    "requirements.txt, Pipfile.lock, poetry.lock or uv.lock."
                )
                % {"file": found.unused_lock},
                level=Level.ERROR,
                hint=_("Export the pins to requirements.txt (pdm export -o requirements.txt), or move to uv."),
            )
        return skipped(_("No requirements.txt or lock file in the project root."))
    findings = [_problem(problem) for problem in found.problems]
    if found.lock_file:
        if findings or found.requirements:
            return findings or passed(_("%(file)s pins every dependency.") % {"file": found.lock_file})
        return skipped(_("%(file)s locks no package: nothing to judge.") % {"file": found.lock_file})
    findings += [
        failed(
            _("%(origin)s: %(line)s is not pinned.") % {"origin": requirement.origin, "line": requirement.line},
            obj=requirement.name,
        )
        for requirement in found.requirements
        if not requirement.pinned
    ]
    if findings:
        return findings
    if not found.requirements:
        return skipped(
            _("%(file)s and the files it includes hold no requirement for this interpreter: nothing to judge.")
            % {"file": found.source}
        )
    return passed(
        ngettext("%(count)d requirement pinned.", "%(count)d requirements pinned.", len(found.requirements))
        % {"count": len(found.requirements)}
    )


def same_version(installed: str | None, pinned: str | None) -> bool:
    """Whether two versions are the same release (``5.2`` is ``5.2.0``), compared as PEP 440 versions."""
    if installed is None or pinned is None:
        return installed == pinned
    try:
        return Version(installed) == Version(pinned)
    except InvalidVersion:
        return installed == pinned


def _drift(name: str, pinned: str, installed: str | None) -> Finding:
    return failed(
        _("%(name)s is pinned to %(pinned)s but %(installed)s is installed.")
        % {"name": name, "pinned": pinned, "installed": installed or _("nothing")},
        obj=name,
    )


def _lock_drift(found: Requirements) -> Finding | list[Finding]:
    """Installed packages whose version is not one the lock file gives; those not installed here
    (a development group, another platform's) are not judged."""
    locked: dict[str, set[str]] = defaultdict(set)
    for requirement in found.requirements:
        if requirement.pinned_version:
            locked[requirement.name].add(requirement.pinned_version)
    if not locked:
        return skipped(_("No pinned requirement to compare with."))
    findings = []
    for name, versions in sorted(locked.items()):
        version = found.installed.get(name, Installed(None)).version
        if version is not None and not any(same_version(version, pinned) for pinned in versions):
            findings.append(_drift(name, " / ".join(sorted(versions)), version))
    return findings or passed()


@FAMILY.check(
    "release.requirements_drift",
    title=_("Installed packages match their pins"),
    level=Level.WARNING,
    hint=_("Reinstall from the pins (pip install -r requirements.txt) or update the pins."),
    doc=PIP_DOCS,
    requires=("release.requirements",),
)
def check_requirements_drift(facts: Facts) -> Finding | list[Finding]:
    found: Requirements = facts["release.requirements"]
    if found.lock_file:
        return _lock_drift(found)
    pinned = [
        requirement for requirement in found.requirements if requirement.pinned_version or requirement.pinned_commit
    ]
    if not pinned:
        return skipped(_("No pinned requirement to compare with."))
    findings = []
    for requirement in pinned:
        installed = found.installed.get(requirement.name, Installed(None))
        if requirement.pinned_commit:
            if installed.commit != requirement.pinned_commit:
                findings.append(
                    _drift(requirement.name, requirement.pinned_commit, installed.commit or installed.version)
                )
        elif not same_version(installed.version, requirement.pinned_version):
            findings.append(_drift(requirement.name, requirement.pinned_version or "", installed.version))
    return findings or passed()


@FAMILY.check(
    "release.python_version_file",
    title=_(".python-version names the running Python"),
    level=Level.WARNING,
    hint=_("Write the running version's major.minor (e.g. 3.13) to .python-version and commit it."),
    doc="https://devcenter.heroku.com/articles/python-runtimes",
    requires=("release.python_version_file", "release.environment"),
)
def check_python_version_file(facts: Facts) -> Finding | list[Finding]:
    """Judged as Heroku's classic Python buildpack reads the files: runtime.txt (deprecated) first,
    then .python-version, then Pipfile.lock's Python fields."""
    version_file: VersionFile = facts["release.python_version_file"]
    env: Environment = facts["release.environment"]
    running = dotted(env.python)
    if version_file.name is None:
        return failed(_("Neither .python-version nor runtime.txt: Heroku picks its default Python."))
    value = version_file.value
    if value is None:
        return failed(
            _("Heroku's build fails: %(file)s names no Python version it accepts (it holds %(content)s).")
            % {"file": version_file.name, "content": version_file.content or '""'},
            level=Level.ERROR,
        )
    findings = []
    if version_file.name == "runtime.txt":
        ignored = ", ".join(f"{name} ({asked})" for name, asked in version_file.overridden)
        deprecated = (
            _(
                "runtime.txt is deprecated, and Heroku reads it before %(ignored)s: it builds with "
                "Python %(value)s from runtime.txt. Move the version to .python-version and delete runtime.txt."
            )
            if ignored
            else _("runtime.txt is deprecated: move %(value)s to .python-version.")
        )
        findings.append(failed(deprecated % {"value": value, "ignored": ignored}, level=Level.WARNING))
    if value != running and not value.startswith(running + "."):
        findings.append(
            failed(
                _("%(file)s asks for Python %(value)s but %(running)s is running.")
                % {"file": version_file.name, "value": value, "running": running}
            )
        )
    return findings or passed(
        _("Heroku builds with Python %(value)s, from %(file)s.") % {"value": value, "file": version_file.name}
    )
