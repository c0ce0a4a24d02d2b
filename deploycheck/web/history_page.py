"""A check's history page: one app's runs of the check, a filter between the apps, and the way back.

Production, staging and this site each have their history: mixed in one list, a failure on staging
reads as production's. The links to the page (a run's page, the overview's grid) say which app, and
which page they are on; the breadcrumb leads back there. The way back is one of a few known origins,
named in the query ("overview", "run-42") and turned into a URL here by reversing deploycheck's own
pages: nothing the request carries is ever used as a URL, so no link can send a reader elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.utils.text import capfirst
from django.utils.translation import gettext

from deploycheck.models import CheckRun
from deploycheck.store import history, latest

# As the runs list's filter by app, so that a reader meets one name for one thing.
APP_PARAMETER = "heroku_app"
ORIGIN_PARAMETER = "from"
OVERVIEW = "overview"
RUN = "run"
# A run's id, as the admin's URLs take it; anything else is no known origin.
RUN_ORIGIN = re.compile(r"run-([1-9][0-9]{0,17})")
HISTORY_LENGTH = 50


def app_anchor(app: str) -> str:
    """The id of an app's section on the overview."""
    return f"deploycheck-app-{app or '-'}"


@dataclass(frozen=True)
class Origin:
    """Where the reader came from: the overview, a run's page, or no page known ("")."""

    page: str = ""
    run_id: int | None = None

    @classmethod
    def named(cls, value: str) -> Origin:
        """The origin a query names; anything but a known one is none."""
        if value == OVERVIEW:
            return cls(OVERVIEW)
        match = RUN_ORIGIN.fullmatch(value)
        return cls(RUN, int(match[1])) if match else cls()

    @classmethod
    def of_run(cls, run: CheckRun) -> Origin:
        return cls(RUN, run.pk)

    @property
    def name(self) -> str:
        return f"{RUN}-{self.run_id}" if self.page == RUN else self.page

    def trail(self, url: Callable[..., str], app: str) -> list[tuple[str, str]]:
        """The breadcrumb's links from the app's index to the history: back to this origin."""
        runs = (url("deploycheck_checkrun_changelist"), str(capfirst(CheckRun._meta.verbose_name_plural)))
        if self.page == OVERVIEW:
            # To the app's own section, where the reader was.
            return [(f"{url('deploycheck_overview')}#{quote(app_anchor(app))}", gettext("Overview"))]
        if self.page == RUN:
            run = gettext("Run %(id)s") % {"id": self.run_id}
            return [runs, (url("deploycheck_checkrun_change", self.run_id), run)]
        return [runs]


def history_query(app: str, origin: Origin) -> str:
    """The query string of a link to a check's history: the app, and the page the link is on."""
    parameters = {APP_PARAMETER: app}
    if origin.name:
        parameters[ORIGIN_PARAMETER] = origin.name
    return urlencode(parameters)


@dataclass(frozen=True)
class AppChoice:
    label: str
    query: str
    selected: bool


@dataclass
class HistoryPage:
    check_id: str
    app: str
    origin: Origin
    apps: list[str]  # every app with a run, in the cards' order
    entries: list[history.HistoryEntry] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.app:
            return gettext("History of %(check)s on %(app)s") % {"check": self.check_id, "app": self.app}
        return gettext("History of %(check)s on this site") % {"check": self.check_id}

    @property
    def check_title(self) -> str:
        first = self.entries[0].results if self.entries else []
        return str(first[0].title) if first else self.check_id

    @property
    def choices(self) -> list[AppChoice]:
        """The filter: every app with a run, each keeping the way back."""
        return [
            AppChoice(app or gettext("This site"), history_query(app, self.origin), app == self.app)
            for app in self.apps
        ]


def read(parameters: Mapping[str, str], check_id: str) -> HistoryPage:
    """The page a request's query asks for: its app, else the app that evaluated the check last."""
    origin = Origin.named(parameters.get(ORIGIN_PARAMETER, ""))
    # In the cards' order: the Heroku apps by name, then this site.
    apps = sorted(latest.app_names(), key=lambda name: (name == "", name))
    app = parameters.get(APP_PARAMETER)
    if app is None:
        last = history.app_last_evaluating(check_id)
        app = last if last is not None else (apps[0] if apps else "")
    page = HistoryPage(check_id, app, origin, apps)
    page.entries = history.check_history(check_id, app, HISTORY_LENGTH)
    return page
