"""What identifies the deploy a run looked at: the Heroku app, release and commit, and the versions."""

from __future__ import annotations

import os
import platform
import socket
from dataclasses import dataclass
from functools import cache, lru_cache
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
        return _deploy_info(
            env.get("HEROKU_APP_NAME", ""),
            env.get("HEROKU_RELEASE_VERSION", ""),
            env.get("HEROKU_SLUG_COMMIT") or env.get("SOURCE_VERSION", ""),
            env.get("DJANGO_SETTINGS_MODULE", ""),
            env.get("DYNO", ""),
        )

    @classmethod
    def of_run(cls, run: CheckRun) -> DeployInfo:
        # The run stores these fields under the same names.
        return cls(**{name: getattr(run, name) for name in cls.__dataclass_fields__})


@lru_cache(maxsize=16)  # the environment seldom changes between runs, and the record is immutable
def _deploy_info(heroku_app: str, release_version: str, commit: str, settings_module: str, dyno: str) -> DeployInfo:
    django_version, python_version, hostname = _process()
    return DeployInfo(
        heroku_app=_app_name(heroku_app),
        release_version=release_version,
        commit=commit,
        django_version=django_version,
        python_version=python_version,
        deploycheck_version=__version__,
        settings_module=settings_module,
        hostname=dyno or hostname,
    )
