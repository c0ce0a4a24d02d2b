"""E-mail to ADMINS when checks regress, if DEPLOYCHECK["NOTIFY_ADMINS"] is on (see deploycheck.notify.announcing).

ADMINS names no language: the e-mail is written in the site's (LANGUAGE_CODE), whatever
language the run spoke, since results are stored without one.

The e-mail has two parts. The HTML one, which mail clients show, sets the commands of the hints as
code; the text one keeps their words without the backticks, which read as noise in a preview or a
phone's notification (deploycheck.core.markup).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import mail_admins
from django.utils import translation
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from deploycheck.core.markup import as_html, plain
from deploycheck.core.results import Result
from deploycheck.models import CheckRun
from deploycheck.notify.webhooks import admin_url, state_sentence
from deploycheck.store.state import State

logger = logging.getLogger("deploycheck")


def _html(template: str, **values: str) -> SafeString:
    """A translated sentence as HTML: its words escaped, its values escaped unless already HTML."""
    return mark_safe(escape(template) % {name: conditional_escape(value) for name, value in values.items()})


@dataclass(frozen=True)
class _Mail:
    """What the e-mail says, worded once in the site's language and written as text and as HTML."""

    run: CheckRun
    state: State
    regressions: Sequence[Result]
    link: str | None

    def intro(self) -> str:
        run = self.run
        return gettext("Run %(run)s (%(started)s) found checks failing that passed when last evaluated:") % {
            "run": run.pk,
            "started": run.started_at.isoformat(timespec="seconds"),
        }

    def release(self) -> str | None:
        if not (self.run.release_version or self.run.commit):
            return None
        return gettext("Release %(release)s, commit %(commit)s.") % {
            "release": self.run.release_version or "?",
            "commit": self.run.commit or "?",
        }

    def text(self) -> str:
        lines = [self.intro(), ""]
        for result in self.regressions:
            app = f" [{result.app}]" if result.app else ""
            lines.append(f"- {result.message_id}{app}: {result.title}")
            lines.append(f"  {plain(result.message)}")
            if result.hint:
                lines.append("  " + gettext("HINT: %(hint)s") % {"hint": plain(result.hint)})
        release = self.release()
        if release:
            lines += ["", release]
        # The app as a whole, in the words of the admin's cards and the badge.
        lines += ["", state_sentence(self.state)]
        if self.link is not None:
            lines += ["", gettext("Open run %(run)s in the admin: %(url)s") % {"run": self.run.pk, "url": self.link}]
        return "\n".join(lines)

    def html(self) -> str:
        items = format_html_join("", "<li>{}</li>", ((self._html_result(result),) for result in self.regressions))
        parts = [format_html("<p>{}</p>", self.intro()), format_html("<ul>{}</ul>", items)]
        release = self.release()
        if release:
            parts.append(format_html("<p>{}</p>", release))
        parts.append(format_html("<p>{}</p>", state_sentence(self.state)))
        if self.link is not None:
            label = gettext("Open run %(run)s in the admin") % {"run": self.run.pk}
            parts.append(format_html('<p><a href="{}">{}</a></p>', self.link, label))
        return format_html(
            '<!DOCTYPE html>\n<html lang="{}"><body>{}</body></html>', _language(), mark_safe("".join(parts))
        )

    @staticmethod
    def _html_result(result: Result) -> SafeString:
        app = format_html(" [{}]", result.app) if result.app else ""
        found = format_html(
            "<strong>{}</strong>{}: {}<br>{}", result.message_id, app, result.title, as_html(result.message)
        )
        if result.hint:
            found += format_html("<br>{}", _html(gettext("HINT: %(hint)s"), hint=as_html(result.hint)))
        return found


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def email_admins(run: CheckRun, regressions: list[Result], state: State) -> None:
    # The site's language, not whichever one the request or command happened to use.
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(count)d check fails that passed when last evaluated",
            "%(count)d checks fail that passed when last evaluated",
            len(regressions),
        ) % {"count": len(regressions)}
        if run.heroku_app:
            subject += f" ({run.heroku_app})"
        mail = _Mail(run, state, regressions, admin_url(run))
        text, html = mail.text(), mail.html()
        try:
            mail_admins(subject, text, html_message=html)
        except Exception as exc:  # a mail server that is down must not fail the run
            logger.warning("deploycheck could not e-mail ADMINS about regressions: %s: %s", type(exc).__name__, exc)
