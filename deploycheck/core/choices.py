"""The small vocabularies shared by checks, the runner, the models and the reports."""

from __future__ import annotations

from django.core import checks as django_checks
from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy

# A result and a run are words of different genders in some languages ("un résultat réussi",
# "une exécution réussie"): their labels are told apart by a context.


class Status(models.TextChoices):
    PASSED = "passed", pgettext_lazy("result status", "passed")
    FAILED = "failed", pgettext_lazy("result status", "failed")
    SKIPPED = "skipped", pgettext_lazy("result status", "skipped")
    ERROR = "error", pgettext_lazy("result status", "error")


class Outcome(models.TextChoices):
    PASSED = "passed", pgettext_lazy("run outcome", "passed")
    FAILED = "failed", pgettext_lazy("run outcome", "failed")
    ERROR = "error", pgettext_lazy("run outcome", "could not evaluate")
    INTERRUPTED = "interrupted", pgettext_lazy("run outcome", "interrupted")


class Trigger(models.TextChoices):
    COMMAND = "command", gettext_lazy("command")
    ADMIN = "admin", gettext_lazy("admin")
    SCHEDULE = "schedule", gettext_lazy("schedule")
    RELEASE = "release", gettext_lazy("release phase")
    API = "api", gettext_lazy("Python API")


class Level(models.IntegerChoices):
    """Django's own numeric levels, so a result compares with a CheckMessage's level."""

    DEBUG = django_checks.DEBUG, gettext_lazy("debug")
    INFO = django_checks.INFO, gettext_lazy("info")
    WARNING = django_checks.WARNING, gettext_lazy("warning")
    ERROR = django_checks.ERROR, gettext_lazy("error")
    CRITICAL = django_checks.CRITICAL, gettext_lazy("critical")


LEVELS: dict[str, int] = {member.name: int(member) for member in Level}


def level_name(level: int | None) -> str | None:
    """Name a numeric level; a custom level between Django's steps takes the step below."""
    if level is None:
        return None
    steps = [member for member in Level if member <= level]
    return steps[-1].name if steps else Level.DEBUG.name
