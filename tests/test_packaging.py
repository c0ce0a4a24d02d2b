"""The wheel carries what a project needs at run time: migrations, templates, the compiled locale."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import deploycheck

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("django_deploycheck-*.whl")
    return zipfile.ZipFile(built)


@pytest.mark.slow
def test_wheel_contains_package_data(wheel):
    names = set(wheel.namelist())
    package_files = {
        path.relative_to(ROOT).as_posix()
        for pattern in ("migrations/*.py", "locale/*/LC_MESSAGES/*", "templates/**/*.html", "py.typed")
        for path in (ROOT / "deploycheck").glob(pattern)
    }
    assert "deploycheck/locale/fr/LC_MESSAGES/django.mo" in package_files
    assert "deploycheck/migrations/0001_initial.py" in package_files
    assert package_files <= names
    assert not any(name.startswith(("tests/", "example_project/", "bench/")) for name in names)


@pytest.mark.slow
def test_wheel_metadata(wheel):
    [metadata_name] = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(wheel.read(metadata_name).decode())
    assert metadata["Name"] == "django-deploycheck"
    assert metadata["Version"] == deploycheck.__version__
    assert metadata["Requires-Python"] == ">=3.10"
    classifiers = metadata.get_all("Classifier") or []
    for expected in ("Framework :: Django :: 5.2", "Framework :: Django :: 6.0", "Framework :: Django :: 6.1"):
        assert expected in classifiers
    for minor in range(10, 15):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    requirements = metadata.get_all("Requires-Dist") or []
    assert "Django<6.2,>=5.2" in requirements
    assert metadata["License-Expression"] == "MIT"
