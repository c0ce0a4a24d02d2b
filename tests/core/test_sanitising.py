"""deploycheck.core.sanitising on its own: what each function makes of hostile text."""

from __future__ import annotations

import logging
from xml.etree import ElementTree

import pytest

from deploycheck.core.sanitising import SafeLogRecords, redact_url, redact_urls, safe_text, safe_value, spreadsheet_cell


def test_plain_text_is_returned_as_it_is():
    text = "Strict-Transport-Security is 'max-age=60': max-age is under a year. Été, 日本, 🙂"
    assert safe_text(text) is text
    assert safe_text("two\nlines\twith a tab") == "two\nlines\twith a tab"


def test_ansi_escape_sequences_become_visible():
    assert safe_text("\x1b[2J\x1b[31mred\x1b[0m") == "\\x1b[2J\\x1b[31mred\\x1b[0m"
    # An operating system command (sets the terminal's title, or a hyperlink) ends with BEL.
    assert safe_text("\x1b]0;owned\x07") == "\\x1b]0;owned\\x07"


@pytest.mark.parametrize(
    ("character", "shown"),
    [
        ("\x00", "\\x00"),
        ("\x08", "\\x08"),
        ("\r", "\\x0d"),
        ("\x0b", "\\x0b"),
        ("\x7f", "\\x7f"),
        ("\x85", "\\x85"),
        ("\x9b", "\\x9b"),  # the one-byte CSI
        ("\u202e", "\\u202e"),  # right-to-left override
        ("\u2066", "\\u2066"),
        ("\u2028", "\\u2028"),
        ("\ud800", "\ufffd"),  # a lone surrogate cannot be encoded in UTF-8
        ("\uffff", "\ufffd"),  # not a character XML allows
    ],
)
def test_every_control_character_becomes_visible(character, shown):
    assert safe_text(f"a{character}b") == f"a{shown}b"


def test_one_line_fields_show_newlines_and_tabs_too():
    assert safe_text("a\nb\tc", multiline=False) == "a\\x0ab\\x09c"
    assert safe_text("windows\r\nline ends") == "windows\nline ends"


def test_the_result_is_always_well_formed_xml():
    hostile = "".join(chr(code) for code in range(0x00, 0xA0)) + "\ud800\ufffe\uffff\u202e"
    element = ElementTree.Element("failure", message=safe_text(hostile, multiline=False))
    element.text = safe_text(hostile)
    parsed = ElementTree.fromstring(ElementTree.tostring(element, encoding="unicode"))
    assert "\x1b" not in parsed.get("message", "")
    assert "\x1b" not in (parsed.text or "")
    safe_text(hostile).encode("utf-8")  # no surrogate left


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("https://admin:PASS@example.com/", "https://***@example.com/"),
        ("https://TOKEN@example.com:8443/path", "https://***@example.com:8443/path"),
        ("https://a:p@ss@example.com/x@y", "https://***@example.com/x@y"),
        ("postgres://u:secret-db-password@db.example.net/d", "postgres://***@db.example.net/d"),
        ("https://example.com/?page=2&api_key=K&token=T#top", "https://example.com/?page=2&api_key=***&token=***#top"),
        (
            "https://s3.example/o?X-Amz-Signature=abc&X-Amz-Credential=c",
            "https://s3.example/o?X-Amz-Signature=***&X-Amz-Credential=***",
        ),
        (
            "https://example.com/?accessToken=T&sessionid=S&sig=G",
            "https://example.com/?accessToken=***&sessionid=***&sig=***",
        ),
    ],
)
def test_credentials_in_urls_are_redacted(url, redacted):
    assert redact_url(url) == redacted


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/",
        "https://example.com:8443/a/b?page=2&q=x#frag",
        "https://example.com/user@home",
        "/relative",
    ],
)
def test_a_url_without_credentials_is_unchanged(url):
    assert redact_url(url) == url


def test_urls_inside_a_text_are_redacted():
    text = "cannot connect to https://admin:PASS@site.example/: refused; see http://docs.example/?token=abc."
    assert (
        redact_urls(text) == "cannot connect to https://***@site.example/: refused; see http://docs.example/?token=***"
    )
    assert safe_text("'https://u:p@h/'") == "'https://***@h/'"


def test_safe_value_cleans_nested_values_and_keys():
    value = {"urls": ["https://u:p@h/"], "\x1bkey": {"n": 1, "ok": True, "none": None, "s": ("\x1b",)}}
    assert safe_value(value) == {
        "urls": ["https://***@h/"],
        "\\x1bkey": {"n": 1, "ok": True, "none": None, "s": ["\\x1b"]},
    }


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("security.W004", "security.W004"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_spreadsheet_cells_never_start_a_formula(cell, shown):
    assert spreadsheet_cell(cell) == shown


def test_log_records_are_made_safe():
    record = logging.LogRecord("deploycheck", logging.INFO, __file__, 1, "got %s", ("https://u:p@h/\x1b[2J",), None)
    try:
        raise ValueError("https://u:p@h/ \x1b[31m")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert SafeLogRecords().filter(record)
    line = logging.Formatter().format(record)
    assert "p@h" not in line
    assert "\x1b" not in line
    assert "got https://***@h/\\x1b[2J" in line


def test_a_secret_in_a_path_quoted_without_its_host_is_redacted():
    # As urllib3 words a failed request: the path and query alone.
    text = "Max retries exceeded with url: /status?token=SECRET123&page=2 (Caused by NewConnectionError)"
    assert safe_text(text) == "Max retries exceeded with url: /status?token=***&page=2 (Caused by NewConnectionError)"
    assert safe_text("Is it ready? Yes, x=1.") == "Is it ready? Yes, x=1."


def test_a_printable_text_has_nothing_to_make_visible():
    # safe_text returns a printable text as it is, without its patterns: none of them may match one.
    from deploycheck.core.sanitising import _UNSAFE_MULTILINE, _UNSAFE_ONE_LINE

    printable = "".join(character for code in range(0x110000) if (character := chr(code)).isprintable())
    assert not _UNSAFE_MULTILINE.search(printable)
    assert not _UNSAFE_ONE_LINE.search(printable)
