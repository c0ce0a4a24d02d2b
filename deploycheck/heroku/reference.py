"""Heroku facts that change with time, kept as data with the date they were true.

Update these tables, and their dates, when Heroku retires a stack, a plan or a size. The
checks prefer live answers (``GET /stacks`` gives each stack's state) and fall back on these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

REVIEWED = date(2026, 11, 27)


@dataclass(frozen=True)
class StackSupport:
    state: str  # "supported", "deprecated" or "end-of-life"
    end_of_life: date | None = None


# Heroku stacks, as of mid-2026. heroku-22 was deprecated on 2026-05-20.
STACKS: dict[str, StackSupport] = {
    "heroku-26": StackSupport("supported"),
    "heroku-24": StackSupport("supported", date(2029, 4, 30)),
    "heroku-22": StackSupport("deprecated", date(2027, 4, 30)),
    "heroku-20": StackSupport("end-of-life", date(2025, 4, 30)),
    "heroku-18": StackSupport("end-of-life", date(2023, 4, 30)),
    "heroku-16": StackSupport("end-of-life", date(2021, 5, 1)),
    "cedar-14": StackSupport("end-of-life", date(2019, 11, 2)),
    "cedar": StackSupport("end-of-life", date(2015, 11, 4)),
}
# Images the team builds itself: Heroku cannot tell whether they are maintained.
SELF_MANAGED_STACKS = frozenset({"container", "cnb"})

# Dyno sizes that are not meant for production: they sleep, cannot scale out or have no metrics.
NON_PRODUCTION_DYNO_SIZES = frozenset({"eco", "basic", "free", "hobby"})

# Heroku Postgres plan families (the part of "heroku-postgresql:<plan>" before the first "-").
POSTGRES_SERVICE = "heroku-postgresql"
POSTGRES_NON_PRODUCTION_PLANS = frozenset({"essential", "mini", "basic", "hobby", "dev"})
POSTGRES_HA_PLANS = frozenset({"premium", "private", "shield"})
# The new generation chooses high availability at creation; the Platform API does not show it.
POSTGRES_HA_UNKNOWN_PLANS = frozenset({"advanced"})

# Add-on services that collect logs, confirmed on 2026-11 and believed to exist.
LOGGING_ADDONS = frozenset(
    {"papertrail", "logdna", "coralogix", "sumologic", "logtail", "logentries", "sematext-logsene", "solarwinds"}
)
MONITORING_ADDONS = frozenset(
    {
        "newrelic",
        "scout",
        "rollbar",
        "sentry",
        "librato",
        "appsignal",
        "honeybadger",
        "bugsnag",
        "appoptics",
        "raygun",
    }
)
# Config var names an agent reads when it was set up without an add-on (names only, never values).
MONITORING_CONFIG_VARS = frozenset(
    {
        "NEW_RELIC_LICENSE_KEY",
        "SENTRY_DSN",
        "SCOUT_KEY",
        "ROLLBAR_ACCESS_TOKEN",
        "APPSIGNAL_PUSH_API_KEY",
        "HONEYBADGER_API_KEY",
        "BUGSNAG_API_KEY",
        "DD_API_KEY",
        "RAYGUN_APIKEY",
    }
)

ERROR_PAGE_VARS = ("ERROR_PAGE_URL", "MAINTENANCE_PAGE_URL")
SSL_EXPIRY_MARGIN_DAYS = 14
DNS_TARGET_SUFFIXES = (".herokudns.com", ".herokuspace.com")
ACM_GOOD_STATUSES = frozenset({"cert issued", "ok"})
