"""The ``heroku`` family's check of the app's stack, from ``GET /stacks`` and the dated table.

Declared on the family of deploycheck.families.heroku.family; deploycheck.families.heroku.checks imports this
module, so that the catalogue, which loads that one, finds this check too. Both sources are
read, and the worse verdict wins: Heroku's list says what it offers today, the table what is
known ahead (an end of life, builds that fail on purpose before it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from deploycheck.core.check import Finding, error, failed, passed, skipped
from deploycheck.core.choices import Level
from deploycheck.core.deferred_text import later as _
from deploycheck.core.deferred_text import plural_later as ngettext
from deploycheck.families.heroku import reference
from deploycheck.families.heroku.family import ANY_APP, FAMILY, AppFacts
from deploycheck.families.heroku.gather import ResourceError
from deploycheck.families.heroku.reference import BuildFailures, StackSupport


@FAMILY.check(
    "heroku.stack",
    title=_("The app runs on a supported stack"),
    level=Level.ERROR,
    hint=_("Move to the current stack: `heroku stack:set %(stack)s -a %(app)s`, then deploy.")
    % {"stack": reference.RECOMMENDED_STACK, **ANY_APP},
    doc="stack",
    needs=("app",),
    optional=("stacks",),
)
def check_stack(app: AppFacts) -> Finding:
    stack = app["app"]["stack"]
    if not stack:
        return error(_("Heroku's answer does not name the app's stack."))
    if stack in reference.SELF_MANAGED_STACKS:
        return skipped(
            _("The %(stack)s stack runs an image the team maintains; Heroku does not support it for you.")
            % {"stack": stack}
        )
    known = reference.STACKS.get(stack)
    live = app["stacks"]
    problems = [
        problem for problem in (_table_problem(stack, known, app), _live_problem(stack, known, live)) if problem
    ]
    if problems:
        # The worse one; a finding without a level fails at the check's own, ERROR.
        return max(problems, key=lambda problem: Level.ERROR if problem.level is None else problem.level)
    listed = None if isinstance(live, ResourceError) else live.get(stack)
    if known is None and listed is None:
        return error(
            _("The %(stack)s stack is not in deploycheck's table, and %(reason)s")
            % {"stack": stack, "reason": live.reason}
        )
    if stack == reference.FIR_STACK:
        return passed(_("%(stack)s (Fir: Heroku maintains its Cloud Native Buildpacks images)") % {"stack": stack})
    if listed:
        return passed(_("%(stack)s (%(state)s)") % {"stack": stack, "state": listed})
    return passed(stack)


def _table_problem(stack: str, known: StackSupport | None, app: AppFacts) -> Finding | None:
    """What the dated table says is wrong with ``stack`` today, if anything."""
    if known is None:
        return None
    if known.state == "end-of-life" or (known.end_of_life and known.end_of_life <= app.today):
        return failed(_("The %(stack)s stack has reached its end of life.") % {"stack": stack})
    failing = known.build_failures_on(app.today)
    if failing:
        return _failing_builds(stack, failing, known.end_of_life)
    if known.state == "deprecated":
        return failed(
            _("The %(stack)s stack is deprecated; its end of life is %(date)s.")
            % {"stack": stack, "date": known.end_of_life},
            level=Level.WARNING,
        )
    return None


def _failing_builds(stack: str, failing: BuildFailures, end_of_life: date | None) -> Finding:
    # Builds that fail once a month cost a retry; weekly or daily, they hold releases back.
    level = Level.WARNING if failing.every_days >= 30 else None
    values = {"stack": stack, "since": failing.since, "days": failing.every_days, "date": end_of_life}
    if failing.every_days == 1:
        message = _(
            "The %(stack)s stack is deprecated: since %(since)s Heroku fails the first build of each day "
            "on purpose, ahead of its end of life on %(date)s."
        )
        return failed(message % values, level=level)
    message = ngettext(
        "The %(stack)s stack is deprecated: since %(since)s Heroku fails the first build in any %(days)d day "
        "on purpose, ahead of its end of life on %(date)s.",
        "The %(stack)s stack is deprecated: since %(since)s Heroku fails the first build in any %(days)d days "
        "on purpose, ahead of its end of life on %(date)s.",
        failing.every_days,
    )
    return failed(message % values, level=level)


def _live_problem(stack: str, known: StackSupport | None, live: Any) -> Finding | None:
    """What Heroku's list of stacks says is wrong with ``stack``, if it could be read."""
    if isinstance(live, ResourceError):
        return None
    if stack not in live:
        # Heroku lists every stack it offers, betas included; the table knows those it does not (cnb).
        return None if known else failed(_("Heroku does not list the %(stack)s stack any more.") % {"stack": stack})
    state = live[stack]
    if not state or state in reference.USABLE_STACK_STATES:
        return None
    if state == "deprecated":
        return failed(_("The %(stack)s stack is deprecated.") % {"stack": stack}, level=Level.WARNING)
    return failed(_("Heroku lists the %(stack)s stack as %(state)s.") % {"stack": stack, "state": state})
