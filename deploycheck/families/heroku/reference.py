"""Heroku facts that change with time, kept as data: each entry with its source and the day it was true.

Update an entry, its source and its date together when Heroku retires a stack, a plan or a
size, and move :data:`REVIEWED` to the day of the review (``release.reference_data`` warns when
it grows old). The checks prefer live answers (``GET /stacks`` gives each stack's state) and
fall back on these tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

# The day every table below was last compared with its sources.
REVIEWED = date(2026, 12, 7)

DEV_CENTER = "https://devcenter.heroku.com/articles/"
ELEMENTS = "https://elements.heroku.com/addons/"


@dataclass(frozen=True)
class Source:
    """Where an entry comes from, and the day it was last found true there.

    ``confirmed`` is False for an entry that is believed rather than checked (an add-on that
    exists under that name, as far as anyone here knows): it only ever makes a check pass.
    """

    where: str
    as_of: date = REVIEWED
    confirmed: bool = True


def sourced(names: Iterable[str], source: Source) -> dict[str, Source]:
    return dict.fromkeys(names, source)


def elements(names: Iterable[str], *, confirmed: bool = True) -> dict[str, Source]:
    """Add-on services, each sourced by its page in the Elements marketplace."""
    return {name: Source(ELEMENTS + name, confirmed=confirmed) for name in names}


@dataclass(frozen=True)
class BuildFailures:
    """From ``since``, Heroku fails the first build of each app in any ``every_days`` days, on purpose."""

    since: date
    every_days: int


@dataclass(frozen=True)
class StackSupport:
    state: str  # "supported", "deprecated" or "end-of-life"
    source: Source
    end_of_life: date | None = None
    # Ahead of the end of life, Heroku fails some builds on purpose, more often step by step.
    build_failures: tuple[BuildFailures, ...] = ()

    def build_failures_on(self, today: date) -> BuildFailures | None:
        """The step of the schedule in force on ``today``, if one has begun."""
        begun = [step for step in self.build_failures if step.since <= today]
        return max(begun, key=lambda step: step.since) if begun else None


STACK_PAGE = Source(DEV_CENTER + "stack")
FIRST_TABLE = Source("deploycheck 0.1's reference table", confirmed=False)
# Heroku's stacks: Ubuntu LTS releases, supported as long as Canonical's standard support.
STACKS: dict[str, StackSupport] = {
    "heroku-26": StackSupport("supported", STACK_PAGE, date(2031, 4, 30)),
    "heroku-24": StackSupport("supported", STACK_PAGE, date(2029, 4, 30)),
    # Deprecated on 2026-05-20. Heroku-22's end-of-life FAQ gives the schedule of failing builds
    # (as quoted in issue 19 on 2026-12-07), as Heroku-18's did (help.heroku.com/X5OE6BCA): the
    # first build in any 30 days fails, then the first in any 7, then the first of each day.
    "heroku-22": StackSupport(
        "deprecated",
        Source("https://help.heroku.com/NQNCQTEJ", as_of=date(2026, 12, 7)),
        date(2027, 4, 30),
        build_failures=(
            BuildFailures(date(2026, 11, 1), every_days=30),
            BuildFailures(date(2027, 2, 1), every_days=7),
            BuildFailures(date(2027, 4, 1), every_days=1),
        ),
    ),
    "heroku-20": StackSupport("end-of-life", STACK_PAGE, date(2025, 4, 30)),
    "heroku-18": StackSupport("end-of-life", Source("https://help.heroku.com/X5OE6BCA"), date(2023, 4, 30)),
    "heroku-16": StackSupport("end-of-life", Source("https://help.heroku.com/0S5P41DC"), date(2021, 5, 1)),
    # Long gone; the dates are those of deploycheck's first table, not checked again.
    "cedar-14": StackSupport("end-of-life", FIRST_TABLE, date(2019, 11, 2)),
    "cedar": StackSupport("end-of-life", FIRST_TABLE, date(2015, 11, 4)),
    # What Fir apps report: Heroku's Cloud Native Buildpacks images, which Heroku maintains.
    "cnb": StackSupport("supported", Source(DEV_CENTER + "generations")),
}
FIR_STACK = "cnb"
# The stack the remedy recommends.
RECOMMENDED_STACK = "heroku-26"
# Images the team builds itself: Heroku cannot tell whether they are maintained.
SELF_MANAGED_STACKS: dict[str, Source] = {"container": STACK_PAGE}
# States of GET /stacks under which a stack may be used ("deprecated" warns; any other fails).
# The schema names beta, deprecated and public; "default" is accepted should Heroku ever say it.
STACK_STATES_SOURCE = Source(DEV_CENTER + "platform-api-reference#stack")
USABLE_STACK_STATES: dict[str, Source] = {
    **sourced(("public", "beta"), STACK_STATES_SOURCE),
    "default": Source(DEV_CENTER + "platform-api-reference#stack", confirmed=False),
}

# Dyno sizes that are not meant for production: they sleep, cannot scale out or have no metrics.
NON_PRODUCTION_DYNO_SIZES: dict[str, Source] = {
    **sourced(("eco", "basic"), Source(DEV_CENTER + "dyno-types")),
    # Legacy names: free dynos were retired in November 2022, hobby became basic.
    **sourced(("free", "hobby"), Source(DEV_CENTER + "free-dyno-hours")),
}

# Heroku Postgres plan families (the part of "heroku-postgresql:<plan>" before the first "-").
POSTGRES_SERVICE = "heroku-postgresql"
POSTGRES_PLANS_PAGE = Source(DEV_CENTER + "heroku-postgres-plans")
POSTGRES_NON_PRODUCTION_PLANS: dict[str, Source] = {
    "essential": POSTGRES_PLANS_PAGE,
    **sourced(("mini", "basic", "hobby", "dev"), Source(DEV_CENTER + "heroku-postgres-legacy-plans")),
}
POSTGRES_HA_PLANS: dict[str, Source] = sourced(("premium", "private", "shield"), POSTGRES_PLANS_PAGE)
# The Advanced tier (plans named advanced* or performance*, as Heroku's CLI tells them apart)
# provisions a standby by default, and HA can be turned on or off later; the Platform API does not
# show which (devcenter.heroku.com/articles/heroku-postgres-ha, updated 2026-05-18, read 2026-12-07).
POSTGRES_ADVANCED_PLAN_PREFIXES: dict[str, Source] = sourced(
    ("advanced", "performance"),
    Source("https://github.com/heroku/heroku-cli-util/blob/main/src/utils/addons/helpers.ts"),
)

# Add-on services that collect logs: confirmed, then believed to exist.
LOGGING_ADDONS: dict[str, Source] = {
    **elements(("papertrail", "logdna", "coralogix", "sumologic", "logtail")),
    **elements(("logentries", "sematext-logsene", "solarwinds"), confirmed=False),
}
MONITORING_ADDONS: dict[str, Source] = {
    **elements(("newrelic", "scout", "rollbar", "sentry", "librato")),
    **elements(("appsignal", "honeybadger", "bugsnag", "appoptics", "raygun"), confirmed=False),
}
# Config var names an agent reads when it was set up without an add-on (names only, never values),
# each sourced by the add-on that sets it.
MONITORING_CONFIG_VARS: dict[str, Source] = {
    "NEW_RELIC_LICENSE_KEY": Source(ELEMENTS + "newrelic"),
    "SENTRY_DSN": Source(ELEMENTS + "sentry"),
    "SCOUT_KEY": Source(ELEMENTS + "scout"),
    "ROLLBAR_ACCESS_TOKEN": Source(ELEMENTS + "rollbar"),
    "APPSIGNAL_PUSH_API_KEY": Source(ELEMENTS + "appsignal", confirmed=False),
    "HONEYBADGER_API_KEY": Source(ELEMENTS + "honeybadger", confirmed=False),
    "BUGSNAG_API_KEY": Source(ELEMENTS + "bugsnag", confirmed=False),
    "DD_API_KEY": Source("https://docs.datadoghq.com/agent/basic_agent_usage/heroku/", confirmed=False),
    "RAYGUN_APIKEY": Source(ELEMENTS + "raygun", confirmed=False),
}

# The router's custom pages (not on Fir), from devcenter.heroku.com/articles/error-pages; the order
# is the order findings are reported in.
ERROR_PAGE_VARS = ("ERROR_PAGE_URL", "MAINTENANCE_PAGE_URL")
# Where a custom domain's DNS must point, from devcenter.heroku.com/articles/custom-domains.
DNS_TARGET_SUFFIXES = (".herokudns.com", ".herokuspace.com")
ACM_GOOD_STATUSES: dict[str, Source] = sourced(
    ("cert issued", "ok"), Source(DEV_CENTER + "automated-certificate-management")
)
# deploycheck's own margin, not Heroku's: ACM renews a month ahead, a certificate you upload does not.
SSL_EXPIRY_MARGIN_DAYS = 14

# Every table by name, for whoever reports their age or checks that each entry is sourced.
TABLES: Mapping[str, Mapping[str, Source | StackSupport]] = {
    "stacks": STACKS,
    "self-managed stacks": SELF_MANAGED_STACKS,
    "stack states": USABLE_STACK_STATES,
    "dyno sizes": NON_PRODUCTION_DYNO_SIZES,
    "Postgres plans": {
        **POSTGRES_NON_PRODUCTION_PLANS,
        **POSTGRES_HA_PLANS,
        **POSTGRES_ADVANCED_PLAN_PREFIXES,
    },
    "logging add-ons": LOGGING_ADDONS,
    "monitoring add-ons": MONITORING_ADDONS,
    "monitoring config vars": MONITORING_CONFIG_VARS,
    "ACM statuses": ACM_GOOD_STATUSES,
}


def source_of(entry: Source | StackSupport) -> Source:
    """The source of a table entry: the entry itself, or the one it carries."""
    return entry if isinstance(entry, Source) else entry.source
