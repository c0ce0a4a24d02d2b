"""Lock files and Python version files, written for real and read as Heroku's Python buildpack reads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deploycheck.core.check import Facts
from deploycheck.families.release import checks, gather
from tests.families.findings import FAIL, PASS, SKIP, WARN, as_list, statuses
from tests.families.release.projects import COMMIT, DJANGO, ERROR, drift, messages, pinned, pins
from tests.families.release.test_checks import env

# Lock files: the pins Heroku installs from.


def uv_lock(version: str) -> str:
    return (
        'version = 1\nrequires-python = ">=3.10"\n\n'
        '[[package]]\nname = "django"\nversion = "'
        + version
        + '"\nsource = { registry = "https://pypi.org/simple" }\n\n'
        '[[package]]\nname = "shop"\nversion = "0.1.0"\nsource = { editable = "." }\n\n'
        '[[package]]\nname = "lock-only-dev-tool"\nversion = "9.9"\nsource = { registry = "https://pypi.org/simple" }\n'
    )


def test_uv_lock(tmp_path):
    found = pins(tmp_path, uv_lock=uv_lock(DJANGO))
    assert [(r.name, r.pinned_version) for r in found.requirements] == [
        ("django", DJANGO),
        ("lock-only-dev-tool", "9.9"),
    ]
    assert messages(pinned(found)) == ["uv.lock pins every dependency."]
    # Only what is installed here is compared: a package of another group or platform is not drift.
    assert statuses(drift(found)) == PASS
    assert messages(drift(pins(tmp_path, uv_lock=uv_lock("4.0")))) == [
        f"django is pinned to 4.0 but {DJANGO} is installed."
    ]


def test_poetry_lock(tmp_path):
    lock = (
        '[[package]]\nname = "Django"\nversion = "{}"\noptional = false\ngroups = ["main"]\n\n'
        '[[package]]\nname = "tool"\nversion = "1.0"\ngroups = ["main"]\n\n[package.source]\ntype = "git"\n'
        'url = "https://github.com/example/tool"\nreference = "main"\nresolved_reference = "{}"\n\n'
        '[metadata]\nlock-version = "2.1"\n'
    )
    found = pins(tmp_path, poetry_lock=lock.format(DJANGO, COMMIT))
    assert [(r.name, r.pinned_commit) for r in found.requirements] == [("django", None), ("tool", COMMIT)]
    assert statuses(pinned(found)) == PASS
    assert statuses(drift(found)) == PASS
    assert statuses(drift(pins(tmp_path, poetry_lock=lock.format("4.0", COMMIT)))) == FAIL


def test_pipfile_lock(tmp_path):
    def lock(version: str) -> str:
        return json.dumps(
            {
                "_meta": {"requires": {"python_version": "3.12"}},
                "default": {
                    "django": {"version": "==" + version, "hashes": ["sha256:aaa"]},
                    "pywin32": {"version": "==306", "markers": "sys_platform == 'win32'"},
                },
                "develop": {"pytest": {"version": "==0.0.1"}},
            }
        )

    found = pins(tmp_path, Pipfile_lock=lock(DJANGO))
    assert [(r.name, r.pinned_version) for r in found.requirements] == [("django", DJANGO)]
    assert statuses(pinned(found)) == PASS
    assert statuses(drift(found)) == PASS
    assert statuses(drift(pins(tmp_path, Pipfile_lock=lock("4.0")))) == FAIL


def test_a_lock_file_that_cannot_be_read(tmp_path):
    found = pins(tmp_path, uv_lock="[[package]\nname = ")
    [finding] = as_list(pinned(found))
    assert statuses(finding) == ERROR
    assert str(finding.message).startswith("uv.lock cannot be read: TOMLDecodeError: ")
    assert statuses(pinned(pins(tmp_path / "empty", uv_lock="version = 1\n"))) == SKIP


def test_pdm_lock_is_not_a_lock_file_heroku_reads(tmp_path):
    alone = pins(tmp_path, pdm_lock="[metadata]\n")
    assert statuses(pinned(alone)) == ERROR
    assert messages(pinned(alone))[0].startswith("Heroku does not read pdm.lock: ")
    # Beside requirements.txt, pdm.lock pins nothing Heroku installs.
    beside = pins(tmp_path, requirements_txt="django>=5.2\n")
    assert messages(pinned(beside)) == ["requirements.txt:1: django>=5.2 is not pinned."]
    assert statuses(pinned(pins(tmp_path / "none"))) == SKIP


def test_several_package_manager_files_fail_the_build(tmp_path):
    found = pins(tmp_path, requirements_txt=f"django=={DJANGO}\n", uv_lock=uv_lock(DJANGO))
    [finding] = as_list(pinned(found))
    assert statuses(finding) == ERROR
    assert str(finding.message) == (
        "Heroku's Python buildpack refuses to build with several package manager files: requirements.txt, uv.lock."
    )
    assert statuses(pinned(pins(tmp_path / "one", requirements_txt=f"django=={DJANGO}\n"))) == PASS


# The Python version, as Heroku's classic Python buildpack chooses it.


def version_file(settings, root: Path, files: dict[str, str], python: tuple[int, int] = (3, 12)) -> Any:
    """The check's findings on a project root holding ``files`` (file name -> text)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text)
    settings.DEPLOYCHECK = {"PROJECT_ROOT": str(root)}
    found = gather.python_version_file()
    return checks.check_python_version_file(
        Facts({"release.python_version_file": found, "release.environment": env(python=python)})
    )


def test_runtime_txt_takes_precedence_over_python_version_and_is_deprecated(settings, tmp_path):
    both = version_file(settings, tmp_path, {"runtime.txt": "python-3.11.9\n", ".python-version": "3.12\n"})
    assert statuses(both) == WARN + FAIL
    assert messages(both) == [
        "runtime.txt is deprecated, and Heroku reads it before .python-version (3.12): it builds with Python "
        "3.11.9 from runtime.txt. Move the version to .python-version and delete runtime.txt.",
        "runtime.txt asks for Python 3.11.9 but 3.12 is running.",
    ]
    alone = version_file(settings, tmp_path / "alone", {"runtime.txt": "  python-3.12.7  \n"})
    assert messages(alone) == ["runtime.txt is deprecated: move 3.12.7 to .python-version."]
    assert statuses(alone) == WARN


def test_python_version_with_comments(settings, tmp_path):
    found = version_file(settings, tmp_path, {".python-version": "# the runtime\n\n3.12\n"})
    assert statuses(found) == PASS
    assert messages(found) == ["Heroku builds with Python 3.12, from .python-version."]
    other = version_file(settings, tmp_path / "other", {".python-version": "3.12.7\n"}, python=(3, 13))
    assert messages(other) == [".python-version asks for Python 3.12.7 but 3.13 is running."]


@pytest.mark.parametrize("text", ["python-3.12\n", "3.12\n3.13\n", "3.12 # comment\n", "# only a comment\n"])
def test_a_version_file_heroku_rejects_fails_the_build(settings, tmp_path, text):
    found = version_file(settings, tmp_path, {".python-version": text})
    assert statuses(found) == ERROR
    assert messages(found)[0].startswith("Heroku's build fails: .python-version names no Python version it accepts")


def test_pipfile_lock_python_version_and_no_file_at_all(settings, tmp_path):
    lock = json.dumps({"_meta": {"requires": {"python_full_version": "3.12.4", "python_version": "3.12"}}})
    assert messages(version_file(settings, tmp_path, {"Pipfile.lock": lock})) == [
        "Heroku builds with Python 3.12.4, from Pipfile.lock."
    ]
    assert statuses(version_file(settings, tmp_path / "nothing", {})) == FAIL
