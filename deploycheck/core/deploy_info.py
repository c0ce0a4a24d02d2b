"""What identifies the deploy a run looked at: the Heroku app, release and commit, and the versions."""

from __future__ import annotations

import os
import platform
import socket
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import django

from deploycheck.core.input_rules import APP_NAME
from deploycheck.core.version import __version__

if TYPE_CHECKING:
    from deploycheck.models import CheckRun


@cache  # what the process runs on does not change while it runs
def _process() -> tuple[str, str, str]:
    return django.get_version(), platform.python_version(), socket.gethostname()


def _app_name(name: str) -> str:
    # A name Heroku could not have given (a typo in a hand-set variable) names no app: the run is
    # this site's, rather than the first and only run of an app card that never goes away.
    return name if APP_NAME.fullmatch(name) else ""


@dataclass(frozen=True)
class DeployInfo:
    """What identifies the deploy a run looked at; nothing secret."""

    heroku_app: str
    release_version: str
    commit: str
    django_version: str
    python_version: str
    deploycheck_version: str
    settings_module: str
    hostname: str

    @classmethod
    def from_environment(cls) -> DeployInfo:
        env = os.environ
        return cls(
            heroku_app=_app_name(env.get("HEROKU_APP_NAME", "")),
            release_version=env.get("HEROKU_RELEASE_VERSION", ""),
            commit=env.get("HEROKU_SLUG_COMMIT") or env.get("SOURCE_VERSION", ""),
            django_version=_process()[0],
            python_version=_process()[1],
            deploycheck_version=__version__,
            settings_module=env.get("DJANGO_SETTINGS_MODULE", ""),
            hostname=env.get("DYNO") or _process()[2],
        )

    @classmethod
    def of_run(cls, run: CheckRun) -> DeployInfo:
        # The run stores these fields under the same names.
        return cls(**{name: getattr(run, name) for name in cls.__dataclass_fields__})
