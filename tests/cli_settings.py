"""Settings for tests that run manage.py in a new process; CLI_PROFILE picks the set-up."""

from __future__ import annotations

import os

from tests.secure import SECURE_SETTINGS
from tests.settings import *  # noqa: F403

PROFILE = os.environ.get("CLI_PROFILE", "insecure")

if PROFILE in {"secure", "broken", "not-evaluated", "slow"}:
    globals().update(SECURE_SETTINGS)
DEPLOYCHECK: dict[str, object] = {}
if PROFILE == "broken":
    DEPLOYCHECK = {"FAIL_LEVEL": "LOUD"}
if PROFILE == "not-evaluated":
    DEPLOYCHECK = {"CHECKS": ["tests.plain_checks.cannot_tell"]}
if PROFILE == "slow":
    DEPLOYCHECK = {"CHECKS": ["tests.plain_checks.slow"]}
