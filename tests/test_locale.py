"""The French catalogue is complete, compiled, and up to date with the sources."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from deploycheck.core.catalogue import catalogue
from deploycheck.core.choices import Outcome, Status, Trigger

PACKAGE = Path(__file__).resolve().parent.parent / "deploycheck"
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

_ENTRY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', re.MULTILINE)


def _unquote(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def parse_po(text: str) -> list[dict[str, str]]:
    """The entries of a .po file as {keyword: text}; enough for a catalogue gettext wrote."""
    entries = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        fields = {
            keyword: _unquote("".join(re.findall(r'"(.*)"', strings)))
            for keyword, strings in _ENTRY.findall(block + "\n")
        }
        fields["fuzzy"] = "fuzzy" if re.search(r"^#,.*\bfuzzy\b", block, re.MULTILINE) else ""
        if fields.get("msgid"):
            entries.append(fields)
    return entries


def test_every_french_entry_is_translated():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    assert len(entries) > 150
    untranslated = [
        entry["msgid"] for entry in entries if not any(entry[key] for key in entry if key.startswith("msgstr"))
    ]
    assert untranslated == []
    assert [entry["msgid"] for entry in entries if entry["fuzzy"]] == []


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as compiled:
        french = gettext.GNUTranslations(compiled)
    for entry in parse_po(PO.read_text(encoding="utf-8")):
        if "msgid_plural" in entry:
            assert french.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
        elif "msgctxt" in entry:
            assert french.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"], entry["msgid"]
        else:
            assert french.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_po_file_is_up_to_date_with_the_sources(tmp_path):
    copy = tmp_path / "deploycheck"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location", "--no-obsolete", "-v0"],
        cwd=copy,
        check=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
    )

    def keys(text: str) -> set[tuple[str, str]]:
        return {(entry.get("msgctxt", ""), entry["msgid"]) for entry in parse_po(text)}

    fresh = keys((copy / PO.relative_to(PACKAGE)).read_text(encoding="utf-8"))
    shipped = keys(PO.read_text(encoding="utf-8"))
    assert fresh == shipped


def test_check_titles_and_choices_read_in_french():
    with translation.override("fr"):
        titles = {check.id: str(check.title) for check in catalogue.contents.checks}
        assert titles["security.W018"] == "DEBUG est désactivé"
        assert titles["models.check_all_models"] == "Les modèles sont valides"
        # A result ("un résultat") and a run ("une exécution") agree in gender.
        assert str(Status.PASSED.label) == "réussi"
        assert str(Outcome.PASSED.label) == "réussie"
        assert str(Outcome.FAILED.label) == "échouée"
        assert str(Outcome.INTERRUPTED.label) == "interrompue"
        assert str(Trigger.RELEASE.label) == "phase de release"
    with translation.override("en"):
        assert str(Status.PASSED.label) == "passed"


def test_a_run_reads_as_a_whole_french_phrase():
    from deploycheck.models import CheckRun

    with translation.override("fr"):
        assert str(CheckRun(pk=14, outcome=Outcome.FAILED)) == "Exécution 14 (échouée)"
        assert str(CheckRun(pk=15, outcome=Outcome.PASSED)) == "Exécution 15 (réussie)"
