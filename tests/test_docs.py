"""The README documents every check in the catalogue, every exit status and every setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deploycheck import conf, runner
from deploycheck.checks.registry import catalogue

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def test_every_check_id_and_alias_is_in_the_readme():
    missing = [check_id for check in catalogue() for check_id in check.ids if check_id.split(".")[1] not in README]
    assert missing == []
    assert [check.id for check in catalogue() if f"`{check.id}`" not in README] == []


def test_every_exit_status_is_in_the_readme():
    for status in (runner.EXIT_OK, runner.EXIT_FAILED, runner.EXIT_USAGE, runner.EXIT_NOT_EVALUATED, 130):
        assert re.search(rf"^\| {status} \|", README, re.MULTILINE), status


def test_every_setting_and_system_check_is_in_the_readme():
    for key in conf.DEFAULTS:
        assert f"| `{key}` |" in README
    for number in range(1, 15):
        assert f"`deploycheck.E{number:03d}`" in README
