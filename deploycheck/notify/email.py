"""E-mail to ADMINS when checks regress, if DEPLOYCHECK["NOTIFY_ADMINS"] is on (see deploycheck.notify.announcing).

ADMINS names no language: the e-mail is written in the site's (LANGUAGE_CODE), whatever
language the run spoke, since results are stored without one.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import mail_admins
from django.utils import translation
from django.utils.translation import gettext, ngettext

from deploycheck.core.results import Result
from deploycheck.models import CheckRun
from deploycheck.notify.webhooks import admin_url, state_sentence
from deploycheck.store.state import State

logger = logging.getLogger("deploycheck")


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
        lines = [
            gettext("Run %(run)s (%(started)s) found checks failing that passed when last evaluated:")
            % {"run": run.pk, "started": run.started_at.isoformat(timespec="seconds")},
            "",
        ]
        for result in regressions:
            app = f" [{result.app}]" if result.app else ""
            lines.append(f"- {result.message_id}{app}: {result.title}")
            lines.append(f"  {result.message}")
            if result.hint:
                lines.append("  " + gettext("HINT: %(hint)s") % {"hint": result.hint})
        if run.release_version or run.commit:
            lines += [
                "",
                gettext("Release %(release)s, commit %(commit)s.")
                % {"release": run.release_version or "?", "commit": run.commit or "?"},
            ]
        # The app as a whole, in the words of the admin's cards and the badge.
        lines += ["", state_sentence(state)]
        link = admin_url(run)
        if link is not None:
            lines += ["", gettext("Open run %(run)s in the admin: %(url)s") % {"run": run.pk, "url": link}]
        try:
            mail_admins(subject, "\n".join(lines))
        except Exception as exc:  # a mail server that is down must not fail the run
            logger.warning("deploycheck could not e-mail ADMINS about regressions: %s: %s", type(exc).__name__, exc)
