"""requirements.txt, written for real and read as pip reads it: includes, constraints, hashes, markers."""

from __future__ import annotations

import json
import sys

import pytest
from django.utils import translation

from tests.families.findings import FAIL, PASS, SKIP, statuses
from tests.families.release.projects import COMMIT, DJANGO, ERROR, drift, messages, pinned, pins


def test_included_files_are_read_relative_to_the_file_that_includes_them(tmp_path):
    found = pins(
        tmp_path,
        requirements_txt="-r requirements/production.txt\n",
        requirements__production_txt="--requirement=base.txt\ngunicorn==23.0.0\n",
        requirements__base_txt="django>=5.2\nrequests~=2.32  # HTTP\n",
    )
    assert [requirement.name for requirement in found.requirements] == ["django", "requests", "gunicorn"]
    assert messages(pinned(found)) == [
        "requirements/base.txt:1: django>=5.2 is not pinned.",
        "requirements/base.txt:2: requests~=2.32 is not pinned.",
    ]
    fixed = pins(
        tmp_path, requirements__base_txt="django==5.2.19\n-rshared.txt\n", requirements__shared_txt="idna==3.10"
    )
    assert messages(pinned(fixed)) == ["3 requirements pinned."]


def test_a_missing_include_fails_the_install(tmp_path):
    found = pins(tmp_path, requirements_txt="django==5.2.19\n-r requirements/gone.txt\n")
    assert statuses(pinned(found)) == ERROR
    assert messages(pinned(found)) == [
        "requirements.txt:2 includes requirements/gone.txt, which does not exist: the install fails."
    ]


def test_constraints_pin_the_requirements_they_name(tmp_path):
    found = pins(
        tmp_path, requirements_txt="django\n-c constraints.txt\n", constraints_txt="django==5.2.19\nidna==3.10\n"
    )
    assert [(r.name, r.pinned_version) for r in found.requirements] == [("django", "5.2.19")]
    assert statuses(pinned(found)) == PASS
    loose = pins(tmp_path, constraints_txt="django>=5.2\n")
    assert messages(pinned(loose)) == ["requirements.txt:1: django is not pinned."]


def test_hashes_and_line_continuations_of_pip_compile(tmp_path):
    compiled = (
        "#\n# pip-compile --generate-hashes\n#\n"
        "asgiref==3.8.1 \\\n    --hash=sha256:aaa \\\n    --hash=sha256:bbb\n    # via django\n"
        f"django=={DJANGO} \\\n    --hash=sha256:ccc\n    # via -r requirements.in\n"
    )
    found = pins(tmp_path, requirements_txt=compiled)
    assert [(r.name, r.pinned_version, r.origin) for r in found.requirements] == [
        ("asgiref", "3.8.1", "requirements.txt:4"),
        ("django", DJANGO, "requirements.txt:8"),
    ]
    assert messages(pinned(found)) == ["2 requirements pinned."]
    loose = pins(tmp_path, requirements_txt="requests>=2.32 \\\n    --hash=sha256:ddd\n")
    assert messages(pinned(loose)) == ["requirements.txt:1: requests>=2.32 is not pinned."]


def test_comments_alone_are_nothing_to_judge(tmp_path):
    found = pins(tmp_path, requirements_txt="# django==5.2.19\n\n-r base.txt\n", base_txt="   # nothing yet\n")
    assert statuses(pinned(found)) == SKIP
    assert messages(pinned(found)) == [
        "requirements.txt and the files it includes hold no requirement for this interpreter: nothing to judge."
    ]
    assert statuses(drift(found)) == SKIP


@pytest.mark.parametrize(
    ("line", "is_pinned"),
    [
        (f"tool @ git+https://github.com/example/tool@{COMMIT}", True),
        (f"git+https://github.com/example/tool@{COMMIT}#egg=tool", True),
        ("tool @ https://files.example/tool-1.0-py3-none-any.whl#sha256=" + "a" * 64, True),
        ("tool @ git+https://github.com/example/tool@main", False),
        ("tool @ git+https://github.com/example/tool", False),
        ("tool @ https://files.example/tool-1.0.tar.gz", False),
    ],
)
def test_a_direct_reference_is_pinned_by_a_commit_or_a_hash(tmp_path, line, is_pinned):
    found = pins(tmp_path, requirements_txt=line + "\n./vendor/own-0.1-py3-none-any.whl\n-e .\n")
    [requirement] = found.requirements
    assert (requirement.name, requirement.pinned) == ("tool", is_pinned)
    assert statuses(pinned(found)) == (PASS if is_pinned else FAIL)


@pytest.mark.parametrize(
    ("line", "is_pinned"),
    [
        ("django==5.2.*", False),
        ("django>=5.2,<6", False),
        ("django~=5.2.19", False),
        ("django==5.2", True),
        ("django>=5.2,==5.2.19", True),
        ("django===5.2.19", True),
    ],
)
def test_wildcards_and_ranges_are_not_pins(tmp_path, line, is_pinned):
    found = pins(tmp_path, requirements_txt=line + "\n")
    assert statuses(pinned(found)) == (PASS if is_pinned else FAIL)
    if not is_pinned:
        # Nothing pinned, so nothing to compare: not a drift from 5.2.*.
        assert statuses(drift(found)) == SKIP


def test_markers_are_evaluated_for_the_running_interpreter(tmp_path):
    other = 'colorama>=0.4 ; sys_platform == "nonesuch"\nbackports-zoneinfo ; python_version < "3.9"\n'
    found = pins(tmp_path, requirements_txt=other + "django==5.2.19 ; python_version >= '3.10'\n")
    assert [requirement.name for requirement in found.requirements] == ["django"]
    assert statuses(pinned(found)) == PASS
    here = pins(tmp_path, requirements_txt=f'requests>=2 ; python_version >= "{sys.version_info[0]}"\n')
    assert statuses(pinned(here)) == FAIL


def test_drift_compares_versions_not_strings(tmp_path):
    found = pins(tmp_path, requirements_txt=f"Django=={DJANGO}.0\n")
    assert found.installed["django"].version == DJANGO
    assert statuses(drift(found)) == PASS
    older = pins(tmp_path, requirements_txt="django==4.0\nnot-installed-anywhere==1.0\n")
    assert messages(drift(older)) == [
        f"django is pinned to 4.0 but {DJANGO} is installed.",
        "not-installed-anywhere is pinned to 1.0 but nothing is installed.",
    ]
    with translation.override("fr"):
        assert "rien" in messages(drift(older))[1]


def test_drift_of_a_commit_is_read_from_what_the_installer_recorded(tmp_path, monkeypatch):
    # A package installed from git, as pip records it (PEP 610).
    site = tmp_path / "site"
    info = site / "gittool-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gittool\nVersion: 1.0\n")
    direct_url = {"url": "https://github.com/example/gittool", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}
    (info / "direct_url.json").write_text(json.dumps(direct_url))
    monkeypatch.syspath_prepend(str(site))
    same = pins(tmp_path, requirements_txt=f"gittool @ git+https://github.com/example/gittool@{COMMIT}\n")
    assert statuses(drift(same)) == PASS
    other = "f" * 40
    moved = pins(tmp_path, requirements_txt=f"gittool @ git+https://github.com/example/gittool@{other}\n")
    assert messages(drift(moved)) == [f"gittool is pinned to {other} but {COMMIT} is installed."]
