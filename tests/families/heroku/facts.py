"""One app's resources for the Heroku checks, reduced from raw API answers as the gatherer reduces them."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from deploycheck.core.check import Facts
from deploycheck.families.heroku.family import AppFacts
from deploycheck.families.heroku.gather import ResourceError, space_to_read
from deploycheck.families.heroku.resources import RESOURCES
from deploycheck.families.release.gather import StaticStorage
from tests.heroku_fake import STACKS, fir_app, healthy_app
from tests.secure import HEROKU_READY_SETTINGS

TODAY = date(2026, 11, 27)


# The project's side, as a project deployed to that app has it (tests.secure.HEROKU_READY_SETTINGS).
READY_SETTINGS: dict[str, Any] = {
    **{f"settings.{name}": value for name, value in HEROKU_READY_SETTINGS.items()},
    "settings.INSTALLED_APPS": ["django.contrib.staticfiles"],
    "settings.MIDDLEWARE": ["django.middleware.security.SecurityMiddleware"],
    "release.static_files_storage": StaticStorage("tests.secure.UncollectedManifestStorage", manifest=True),
}


def app_facts(
    raw: dict[str, Any] | None = None, *, today: date = TODAY, project: dict[str, Any] | None = None, **errors: str
) -> AppFacts:
    """Weareone's healthy answers (or ``raw``) reduced; ``errors`` name resources that could not be read;
    ``project`` changes the project's side of the facts (``{"settings.ALLOWED_HOSTS": [...]}``).

    A resource of the app's Private Space is read from ``raw`` at the space's path, as the
    gatherer reads it: for a Fir app in a space, and for no other.
    """
    raw = raw or healthy_app("weareone")
    resources: dict[str, Any] = {}
    in_spaces = []
    for name, resource in RESOURCES.items():
        short = name.partition(".")[2]
        if short in errors:
            resources[short] = ResourceError(errors[short])
        elif "{space}" in resource.path:
            in_spaces.append((short, resource))
        else:
            resources[short] = resource.reduce(raw.get(resource.path.format(app="weareone"), STACKS))
    space = space_to_read(resources["app"])
    for short, resource in in_spaces:
        resources[short] = resource.reduce(raw.get(resource.path.format(space=space), [])) if space else ()
    return AppFacts("weareone", resources, today, Facts({**READY_SETTINGS, **(project or {})}))


def raw(**changes: Any) -> dict[str, Any]:
    """Weareone's healthy answers, with ``changes`` replacing resources by their last path part."""
    return _changed(healthy_app("weareone"), changes)


def fir(**changes: Any) -> dict[str, Any]:
    """Weareone as a Fir app in the Private Space weareone-eu, with ``changes``."""
    return _changed(fir_app("weareone", space="weareone-eu"), changes)


def _changed(answers: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    answers = copy.deepcopy(answers)
    for key, value in changes.items():
        path = "/apps/weareone" if key == "app" else f"/apps/weareone/{key.replace('_', '-')}"
        answers[path] = value
    return answers


def addons(*plans: str) -> list[dict[str, Any]]:
    return [
        {"id": f"a{index}", "addon_service": {"name": plan.partition(":")[0]}, "plan": {"name": plan}}
        for index, plan in enumerate(plans)
    ]
