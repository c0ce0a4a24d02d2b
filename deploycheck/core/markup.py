"""Code in deploycheck's words: a command, a setting or a path between backticks, as Markdown marks it.

Hints, and a few messages, say ``Run `heroku ps:scale web=2 -a weareone`.``. :func:`pieces` is the
one reader of those marks; each surface shows the pieces its own way: :func:`as_html` for the
admin and the e-mail's HTML part (``<code>``, everything escaped first), Slack's own code spans
(deploycheck.notify.webhooks), and :func:`plain` for what programs and spreadsheets read (the JSON
documents, the CSV export) and for the e-mail's text part: the words kept, the marks dropped.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Two backticks around some text on one line; a lone backtick is only a character.
CODE_SPAN = re.compile(r"`([^`\n]+)`")
ELLIPSIS = "…"

# A piece of a text: its words, and whether they are code.
Piece = tuple[str, bool]


def pieces(text: object, limit: int | None = None) -> list[Piece]:
    """``text`` as its pieces, in order; cut to ``limit`` characters shown, the last one an ellipsis."""
    text = str(text)
    found: list[Piece] = []
    position = 0
    for match in CODE_SPAN.finditer(text):
        if match.start() > position:
            found.append((text[position : match.start()], False))
        found.append((match.group(1), True))
        position = match.end()
    if position < len(text):
        found.append((text[position:], False))
    return found if limit is None else _cut(found, limit)


def _cut(found: list[Piece], limit: int) -> list[Piece]:
    # Cut by what a reader sees, so that a cut never leaves half a mark behind.
    if sum(len(words) for words, _code in found) <= limit:
        return found
    kept: list[Piece] = []
    left = limit - 1
    for words, code in found:
        if len(words) >= left:
            if left > 0:
                kept.append((words[:left], code))
            break
        kept.append((words, code))
        left -= len(words)
    return [*kept, (ELLIPSIS, False)]


def plain(text: object) -> str:
    """``text`` without its marks: ``Run heroku ps:scale web=2.`` for programs and spreadsheets."""
    return "".join(words for words, _code in pieces(text))


def as_html(text: object, limit: int | None = None) -> SafeString:
    """``text`` as HTML, its code as ``<code>``: every piece escaped, so nothing in it is taken as markup."""
    return mark_safe(
        "".join(f"<code>{escape(words)}</code>" if code else escape(words) for words, code in pieces(text, limit))
    )
