"""badge.svg: one app's latest verdict, public only when PUBLIC_BADGE says so."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from deploycheck.core.choices import Outcome, Status
from deploycheck.web.badge import LABEL_COLOUR, OUTCOME_COLOURS, TEXT_COLOUR, UNKNOWN_COLOUR
from tests.web.test_overview import stored_run
from tests.web.test_status import TOKEN, reader

pytestmark = pytest.mark.django_db

BADGE = "/deploycheck/badge.svg"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def public(settings) -> None:
    settings.DEPLOYCHECK = {"OSV_API_URL": None, "PUBLIC_BADGE": True}


@pytest.fixture
def private(settings) -> None:
    settings.DEPLOYCHECK = {"OSV_API_URL": None, "STATUS_TOKEN": TOKEN}


def texts(content: bytes) -> tuple[str, list[str]]:
    """The badge's title and its two texts, from an SVG that must parse."""
    root = ET.fromstring(content)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.findtext(f"{SVG}title") or ""
    assert root.get("aria-label") == title
    return title, [text.text or "" for text in root.iter(f"{SVG}text")]


def test_public_badge_without_a_token(public):
    stored_run("shop", {"a": Status.PASSED}, 0)
    response = reader(None).get(BADGE, {"app": "shop"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=60"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert texts(response.content) == ("deploycheck for shop: passed", ["shop", "passed"])
    assert f'fill="{OUTCOME_COLOURS[Outcome.PASSED]}"' in response.content.decode()


def test_public_badge_with_the_endpoint_open_too(public, settings):
    settings.DEPLOYCHECK = {"OSV_API_URL": None, "PUBLIC_BADGE": True, "STATUS_TOKEN": TOKEN}
    assert reader(None).get(BADGE).status_code == 200
    assert reader("Bearer wrong").get(BADGE).status_code == 200
    assert reader(None).get("/deploycheck/status.json").status_code == 401


def test_private_badge_needs_the_token(private):
    stored_run("shop", {"a": Status.FAILED}, 0, Outcome.FAILED)
    assert reader(None).get(BADGE, {"app": "shop"}).status_code == 401
    assert reader("Bearer wrong").get(BADGE, {"app": "shop"}).status_code == 403
    response = reader().get(BADGE, {"app": "shop"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Authorization" in response["Vary"]
    assert texts(response.content) == ("deploycheck for shop: failed", ["shop", "failed"])


def test_closed_when_neither_public_nor_a_token(settings):
    stored_run("shop", {"a": Status.PASSED}, 0)
    assert reader().get(BADGE, {"app": "shop"}).status_code == 404


@pytest.mark.parametrize("fixture", ["public", "private"])
def test_an_unknown_app_is_neutral_and_says_nothing_of_the_others(request, fixture):
    request.getfixturevalue(fixture)
    stored_run("shop", {"a": Status.PASSED}, 0)
    unknown = reader().get(BADGE, {"app": "nowhere<script>"})
    assert unknown.status_code == 200
    assert texts(unknown.content) == ("Latest deploycheck run: unknown", ["deploycheck", "unknown"])
    assert f'fill="{UNKNOWN_COLOUR}"' in unknown.content.decode()
    assert b"nowhere" not in unknown.content
    # The same bytes as for an app that does exist but has no run of this site.
    assert reader().get(BADGE, {"app": "other"}).content == unknown.content


def test_this_site_without_an_app(public):
    stored_run("", {"a": Status.PASSED}, 0, Outcome.ERROR)
    for query in ({}, {"app": ""}):
        assert texts(reader().get(BADGE, query).content) == (
            "deploycheck for this site: could not evaluate",
            ["This site", "could not evaluate"],
        )


def test_an_interrupted_run_and_a_newer_outcome(public):
    stored_run("shop", {"a": Status.PASSED}, 0, Outcome.INTERRUPTED)
    stored_run("next", {"a": Status.PASSED}, 0, "quarantined")  # a newer version's outcome
    assert texts(reader().get(BADGE, {"app": "shop"}).content)[1] == ["shop", "interrupted"]
    newer = reader().get(BADGE, {"app": "next"}).content
    assert texts(newer)[1] == ["next", "unknown"]
    assert f'fill="{UNKNOWN_COLOUR}"'.encode() in newer


def test_a_hostile_app_name_stored_in_the_database(public):
    # No NUL: PostgreSQL refuses it in a text column, so no stored app name holds one.
    hostile = '"><script>alert(1)</script>&\x1b[31m\x07'
    stored_run(hostile, {"a": Status.PASSED}, 0)
    content = reader().get(BADGE, {"app": hostile}).content
    assert b"<script" not in content
    assert b"\x07" not in content
    assert b"\x1b" not in content
    title, [left, right] = texts(content)
    assert left.startswith('"><script>alert(1)</script>&\\x1b[31m')
    assert right == "passed"
    assert title.endswith(": passed")


def test_a_long_name_is_cut(public):
    stored_run("a" * 100, {"a": Status.PASSED}, 0)
    _title, [left, _right] = texts(reader().get(BADGE, {"app": "a" * 100}).content)
    assert left == "a" * 39 + "…"


def test_in_the_sites_language_whatever_the_reader_asks(public, settings):
    settings.LANGUAGE_CODE = "fr"
    stored_run("shop", {"a": Status.FAILED}, 0, Outcome.FAILED)
    content = reader().get(BADGE, {"app": "shop"}, headers={"Accept-Language": "en"}).content
    _title, [left, right] = texts(content)
    assert (left, right) == ("shop", "échouée")


def _luminance(colour: str) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("background", [LABEL_COLOUR, UNKNOWN_COLOUR, *OUTCOME_COLOURS.values()])
def test_the_text_has_enough_contrast(background):
    lighter, darker = sorted((_luminance(TEXT_COLOUR), _luminance(background)), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5
