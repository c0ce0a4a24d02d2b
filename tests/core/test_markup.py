"""Code between backticks: read in one place, shown as code where a surface can, as plain words elsewhere."""

from __future__ import annotations

from deploycheck.core import markup

HINT = "Turn preboot on: `heroku features:enable preboot -a weareone`, then deploy."


def test_a_text_is_cut_into_words_and_code_in_order():
    assert markup.pieces(HINT) == [
        ("Turn preboot on: ", False),
        ("heroku features:enable preboot -a weareone", True),
        (", then deploy.", False),
    ]
    assert markup.pieces("`DEBUG = False`") == [("DEBUG = False", True)]
    assert markup.pieces("") == []


def test_a_lone_backtick_or_one_across_lines_is_only_a_character():
    assert markup.pieces("a ` lone backtick") == [("a ` lone backtick", False)]
    assert markup.pieces("not `across\nlines`") == [("not `across\nlines`", False)]
    assert markup.pieces("``") == [("``", False)]


def test_plain_keeps_the_words_and_drops_the_marks():
    assert markup.plain(HINT) == "Turn preboot on: heroku features:enable preboot -a weareone, then deploy."
    assert markup.plain("a ` lone backtick") == "a ` lone backtick"
    assert markup.plain("") == ""


def test_html_escapes_every_piece_and_marks_only_the_code():
    text = "Set `DEBUG = False` <script>alert(1)</script> or `<b>` & go"
    assert markup.as_html(text) == (
        "Set <code>DEBUG = False</code> &lt;script&gt;alert(1)&lt;/script&gt; or <code>&lt;b&gt;</code> &amp; go"
    )


def test_a_cut_counts_what_is_shown_and_never_leaves_half_a_mark():
    # 17 characters before the code; a limit of 25 keeps 24 of them, then the ellipsis.
    assert markup.pieces(HINT, 25) == [("Turn preboot on: ", False), ("heroku ", True), ("…", False)]
    assert markup.as_html(HINT, 25) == "Turn preboot on: <code>heroku </code>…"
    assert markup.pieces(HINT, 18) == [("Turn preboot on: ", False), ("…", False)]
    assert markup.pieces(HINT, len(markup.plain(HINT))) == markup.pieces(HINT)
