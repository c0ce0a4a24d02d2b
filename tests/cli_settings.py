"""Settings for tests that run manage.py in a new process.

CLI_PROFILE picks the set-up, CLI_LANGUAGE the LANGUAGE_CODE (en by default, or fr).
"""

from __future__ import annotations

import os

from tests.secure import HEROKU_READY_SETTINGS, SECURE_SETTINGS, with_policy
from tests.settings import *  # noqa: F403

PROFILE = os.environ.get("CLI_PROFILE", "insecure")
LANGUAGE_CODE = os.environ.get("CLI_LANGUAGE", "en")

if PROFILE in {"secure", "broken", "not-evaluated", "slow", "slow-finish", "deadline"}:
    globals().update(SECURE_SETTINGS)
    MIDDLEWARE = with_policy(MIDDLEWARE)  # noqa: F405
# No process of the suite asks the real OSV database: CLI_OSV_API_URL points it at a fake on loopback.
_OSV: dict[str, object] = {"OSV_API_URL": os.environ.get("CLI_OSV_API_URL")}
DEPLOYCHECK = {**_OSV}
if PROFILE == "broken":
    DEPLOYCHECK = {**_OSV, "FAIL_LEVEL": "LOUD"}
if PROFILE == "not-evaluated":
    DEPLOYCHECK = {**_OSV, "CHECKS": ["tests.plain_checks.cannot_tell"]}
if PROFILE == "slow":
    DEPLOYCHECK = {**_OSV, "CHECKS": ["tests.plain_checks.slow"]}
if PROFILE == "slow-finish":
    DEPLOYCHECK = {
        **_OSV,
        "CHECKS": ["tests.plain_checks.slow", "tests.plain_checks.not_applicable", "tests.slow_receiver"],
    }
if PROFILE == "retention":
    DEPLOYCHECK = {**_OSV, "RETENTION_DAYS": 30}
if PROFILE == "deadline":
    # A peer that misbehaves, on loopback: tests/test_deadline.py.
    DEPLOYCHECK = {
        **_OSV,
        "TIME_BUDGET": float(os.environ["CLI_TIME_BUDGET"]),
        "HEROKU_API_URL": os.environ.get("CLI_HEROKU_API_URL", "https://api.heroku.com"),
        "HEROKU_APPS": ["weareone"] if "CLI_HEROKU_API_URL" in os.environ else [],
    }
    if "CLI_HEROKU_API_URL" in os.environ:
        globals().update(HEROKU_READY_SETTINGS)  # a project deployed to that app

if PROFILE == "webhooks":
    # Every run posted to the receiver CLI_WEBHOOK_URL names: tests/test_webhook_delivery.py.
    DEPLOYCHECK = {**_OSV, "WEBHOOKS": [{"url": os.environ["CLI_WEBHOOK_URL"], "events": ["run"]}]}

# dj-database-url keeps ?mode=ro in OPTIONS, which sqlite3.connect() does not take; SQLite reads it
# from a file: URI instead, which Django opens with uri=True.
_mode = DATABASES["default"].get("OPTIONS", {}).pop("mode", None)  # noqa: F405
if _mode is not None:
    DATABASES["default"]["NAME"] = f"file:{DATABASES['default']['NAME']}?mode={_mode}"  # noqa: F405
