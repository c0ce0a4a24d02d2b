"""What a webhook is sent about a stored run: a Slack message, or the run's summary as JSON.

deploycheck.notify.announcing decides when (it knows the regressions); this module words the messages,
in the site's language (LANGUAGE_CODE) as the e-mail is, and hands them to deploycheck.notify.delivery.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from deploycheck import conf
from deploycheck.core import markup
from deploycheck.core.choices import Outcome
from deploycheck.core.reporting import JSON_SCHEMA, report_as_dict, result_as_dict
from deploycheck.core.results import Report, Result
from deploycheck.core.rules import is_failing, is_partial, selection_text, verdict_of
from deploycheck.notify import delivery
from deploycheck.notify.webhook_settings import Webhook
from deploycheck.store.state import Before, State

if TYPE_CHECKING:
    from deploycheck.models import CheckRun

logger = logging.getLogger("deploycheck")

# Results listed under each heading of a Slack message; the rest are counted.
LISTED = 10


def events_without_previous(report: Report) -> set[str]:
    """The events a run is known to be, before its previous run is read."""
    return {"run"} | ({"failed"} if report.outcome != Outcome.PASSED else set())


def may_send(hooks: Iterable[Webhook], report: Report) -> bool:
    """Whether any webhook may be sent something, so that the previous run is worth reading."""
    known = events_without_previous(report)
    return any(hook.events & known or "regression" in hook.events for hook in hooks)


def send(
    report: Report,
    before: Before,
    regressions: Sequence[Result],
    state: State | None,
) -> None:
    """Post each webhook that wants one of the run's events; never raises: the run is stored already."""
    try:
        _send(report, before, regressions, state)
    except Exception as exc:
        # The type alone: an exception's text could quote a webhook's URL.
        logger.warning("deploycheck could not send webhooks: %s", type(exc).__name__)


def _send(
    report: Report,
    before: Before,
    regressions: Sequence[Result],
    state: State | None,
) -> None:
    run = report.run
    if run is None:
        return
    events = events_without_previous(report) | ({"regression"} if regressions else set())
    due = [hook for hook in conf.get_settings().webhooks if hook.events & events]
    if not due:
        return
    with translation.override(settings.LANGUAGE_CODE):
        summary = Summary(report, run, before, state)
        # Each format worded once, whatever the number of webhooks.
        bodies = {hook.format: json.dumps(summary.body(hook.format, sorted(events))).encode() for hook in due}
    delivery.deliver([delivery.Delivery(hook.name, hook.url, bodies[hook.format]) for hook in due])


def admin_url(run: CheckRun) -> str | None:
    """The run's page in the admin, when the site's address is set and the admin installed."""
    site_url = conf.get_settings().site_url
    if not site_url or not apps.is_installed("django.contrib.admin"):
        return None
    try:
        path = reverse("admin:deploycheck_checkrun_change", args=[run.pk])
    except NoReverseMatch:  # the admin installed, but not at the "admin" namespace
        return None
    return site_url.rstrip("/") + path


def state_sentence(state: State) -> str:
    """The app's state in one sentence: "deploycheck for weareone-production: failed"."""
    if state.app:
        return gettext("deploycheck for %(app)s: %(verdict)s") % {"app": state.app, "verdict": state.verdict}
    return gettext("deploycheck for this site: %(verdict)s") % {"verdict": state.verdict}


def _slack_inert(words: str) -> str:
    # Slack's three control characters, escaped as it asks: no <!channel>, no <@user>, no <url|link>.
    return words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_escaped(text: object, limit: int = 300) -> str:
    """Text a check or a peer wrote, on one line and inert in Slack's mrkdwn, its `code` as Slack's code.

    The marks are read once (deploycheck.core.markup); any other backtick becomes a quote, so that
    no text can open or close a code span of its own.
    """
    line = " ".join(str(text).split())
    return "".join(
        f"`{_slack_inert(words)}`" if code else _slack_inert(words).replace("`", "'")
        for words, code in markup.pieces(line, limit)
    )


class Summary:
    """One run's summary, worded once for every webhook it is sent to."""

    def __init__(self, report: Report, run: CheckRun, before: Before, state: State | None):
        self.report, self.run, self.previous, self.state = report, run, before.previous, state
        self.compared_with = before.runs
        # The runner compared the stored run once; a webhook words that comparison.
        self.comparison = report.comparison if before.runs else None
        self.failing = [result for result in report.results if is_failing(result)]
        self.verdict = verdict_of(run.outcome, run.fail_level, report.results)
        self.admin_url = admin_url(run)

    def body(self, body_format: str, events: list[str]) -> dict[str, Any]:
        return self.slack() if body_format == "slack" else self.json(events)

    def json(self, events: list[str]) -> dict[str, Any]:
        comparison = self.comparison
        return {
            "schema": JSON_SCHEMA,
            "events": events,
            "run": report_as_dict(self.report)["run"],
            "verdict": self.verdict,
            "admin_url": self.admin_url,
            "previous_run": self.previous.pk if self.previous is not None else None,
            "partial": is_partial(self.run.selection),
            "compared_with_runs": [earlier.pk for earlier in self.compared_with],
            "failing": [result_as_dict(result) for result in self.failing],
            "newly_failing": [result_as_dict(result) for result in comparison.newly_failing] if comparison else [],
            "fixed": [result_as_dict(result) for result in comparison.fixed] if comparison else [],
            "still_failing": [_with_change(result, was) for result, was in comparison.still_failing_with_change]
            if comparison
            else [],
            "not_checked": [result_as_dict(result) for result in comparison.not_checked] if comparison else [],
            "app_state": self._state_dict(),
        }

    def _state_dict(self) -> dict[str, Any] | None:
        state = self.state
        if state is None:
            return None
        return {
            "passed": state.passed,
            "outcome": state.outcome,
            "verdict": state.verdict,
            "oldest_evaluation_run": state.oldest.pk,
        }

    def slack(self) -> dict[str, Any]:
        run = self.run
        values = {"run": run.pk, "app": run.heroku_app, "verdict": self.verdict}
        # "of this site" within a sentence: the capitalised "This site" is a label's.
        headline = (
            gettext("Run %(run)s of %(app)s: %(verdict)s")
            if run.heroku_app
            else gettext("Run %(run)s of this site: %(verdict)s")
        )
        lines = [headline % values]
        if run.release_version or run.commit:
            lines.append(
                gettext("Release %(release)s, commit %(commit)s.")
                % {"release": run.release_version or "?", "commit": run.commit or "?"}
            )
        if is_partial(run.selection):
            lines.append(gettext("Partial run (%(selection)s).") % {"selection": selection_text(run.selection)})
        if self.state is not None:
            lines.append(state_sentence(self.state))
        lines = [slack_escaped(line) for line in lines]
        # The hint where a failure is met for the first time: what to do, its commands as code.
        if self.comparison is None:
            lines += _listed(gettext("Failing"), self.failing, with_hint=True)
        else:
            lines += _listed(gettext("Newly failing"), self.comparison.newly_failing, with_hint=True)
            lines += _listed(gettext("Newly not evaluated"), self.comparison.newly_not_evaluated)
            lines += _listed(gettext("Fixed"), self.comparison.fixed, with_message=False)
            # With its message: alone, a title ("DEBUG is off") reads as the state, not the problem.
            lines += _listed(gettext("Still failing"), self.comparison.still_failing)
            lines += _listed(gettext("Failing, not checked in this run"), self.comparison.not_checked)
        if self.admin_url:
            label = slack_escaped(gettext("Open run %(run)s in the admin") % {"run": run.pk})
            lines.append(f"<{self.admin_url}|{label}>")
        return {"text": "\n".join(lines)}


def _listed(heading: str, results: Sequence[Result], with_message: bool = True, with_hint: bool = False) -> list[str]:
    if not results:
        return []
    lines = [f"{slack_escaped(heading)} ({len(results)})"]
    for result in results[:LISTED]:
        # A code span cannot hold a backtick: one in an id would end it.
        message_id = slack_escaped(result.message_id, 100).replace("`", "'")
        line = f"• `{message_id}`"
        if result.app:
            line += f" [{slack_escaped(result.app, 100)}]"
        line += f" {slack_escaped(result.title, 200)}"
        if with_message and str(result.message):
            line += f" — {slack_escaped(result.message, 300)}"
        lines.append(line)
        if with_hint and result.hint:
            lines.append("    " + gettext("HINT: %(hint)s") % {"hint": slack_escaped(result.hint, 300)})
    if len(results) > LISTED:
        more = len(results) - LISTED
        lines.append(slack_escaped(ngettext("… and %(count)d more", "… and %(count)d more", more) % {"count": more}))
    return lines


def _with_change(result: Result, was: Result | None) -> dict[str, Any]:
    """A failure still failing, with its earlier message when that changed ("essential-0" then "standard-0")."""
    found = result_as_dict(result)
    found["previous_message"] = str(was.message) if was is not None else None
    return found
