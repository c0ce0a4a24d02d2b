"""An SVG badge of one app's latest verdict, for a README or a wiki.

Server-rendered, in the site's LANGUAGE_CODE (an image in a README has no reader's language to
ask for): the app on the left, the verdict on the right, white text on colours with a contrast
of at least 4.5:1, and a <title> that screen readers read. Every text is made inert and escaped:
an app name comes from the database, and nothing in it may become markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from deploycheck.core.choices import Outcome
from deploycheck.core.sanitising import safe_text
from deploycheck.web.status import Verdict

LABEL_COLOUR = "#424a53"
# White text on each: 5.1:1, 5.4:1, 4.9:1 and 6.4:1 (WCAG AA asks 4.5:1 for small text).
OUTCOME_COLOURS: dict[str, str] = {
    Outcome.PASSED: "#1a7f37",
    Outcome.FAILED: "#cf222e",
    Outcome.ERROR: "#9a6700",
    Outcome.INTERRUPTED: "#9a6700",
}
UNKNOWN_COLOUR = "#57606a"
TEXT_COLOUR = "#ffffff"
# Heroku app names have at most 30 characters; a longer stored name is cut, so the badge stays a badge.
LONGEST_LABEL = 40
# A verdict names the failures below the fail level: "réussie au niveau ERROR, 6 avertissements".
LONGEST_VERDICT = 80
# An average advance of Verdana at 11 px; textLength fits the text to the box whatever the font.
CHARACTER_WIDTH = 7
PADDING = 6
HEIGHT = 20

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{title}">'
    "<title>{title}</title>"
    '<rect width="{left_width}" height="{height}" fill="{label_colour}"/>'
    '<rect x="{left_width}" width="{right_width}" height="{height}" fill="{colour}"/>'
    '<g fill="{text_colour}" text-anchor="middle" font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11">'
    '<text x="{left_middle}" y="14" textLength="{left_text}" lengthAdjust="spacingAndGlyphs">{left}</text>'
    '<text x="{right_middle}" y="14" textLength="{right_text}" lengthAdjust="spacingAndGlyphs">{right}</text>'
    "</g></svg>"
)


@dataclass(frozen=True)
class Badge:
    left: str
    right: str
    colour: str
    title: str

    def svg(self) -> str:
        left, right = _inert(self.left), _inert(self.right, LONGEST_VERDICT)
        left_text, right_text = len(left) * CHARACTER_WIDTH, len(right) * CHARACTER_WIDTH
        left_width, right_width = left_text + 2 * PADDING, right_text + 2 * PADDING
        return SVG.format(
            width=left_width + right_width,
            height=HEIGHT,
            title=escape(safe_text(self.title, multiline=False)),
            left_width=left_width,
            right_width=right_width,
            label_colour=LABEL_COLOUR,
            colour=self.colour,
            text_colour=TEXT_COLOUR,
            left_middle=left_width / 2,
            right_middle=left_width + right_width / 2,
            left_text=left_text,
            right_text=right_text,
            left=escape(left),
            right=escape(right),
        )


def _inert(text: str, longest: int = LONGEST_LABEL) -> str:
    # Control characters shown as escapes: most are not even allowed in XML.
    text = safe_text(text, multiline=False)
    return text if len(text) <= longest else text[: longest - 1] + "…"


def badge_of(verdict: Verdict | None) -> Badge:
    """The badge of an app's state, or the neutral "unknown" one when there is none to show."""
    with translation.override(settings.LANGUAGE_CODE):
        if verdict is None:
            unknown = pgettext("badge", "unknown")
            return Badge(
                "deploycheck",
                unknown,
                UNKNOWN_COLOUR,
                gettext("Latest deploycheck run: %(outcome)s") % {"outcome": unknown},
            )
        app = verdict.app or gettext("This site")
        outcome = verdict.state.outcome
        # The state's verdict, in the words of the run page and the cards: "passed at ERROR, 2 warnings";
        # an outcome written by a newer version: this version cannot say it passed.
        word = verdict.state.verdict if outcome in Outcome.values else pgettext("badge", "unknown")
        if verdict.app:
            title = gettext("deploycheck for %(app)s: %(verdict)s") % {"app": app, "verdict": word}
        else:
            title = gettext("deploycheck for this site: %(verdict)s") % {"verdict": word}
        return Badge(app, word, OUTCOME_COLOURS.get(outcome, UNKNOWN_COLOUR), title)
