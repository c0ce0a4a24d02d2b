"""The small vocabularies shared by checks, the runner, the models and the reports."""

from __future__ import annotations

from django.core import checks as django_checks
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")
    ERROR = "error", _("error")


class Outcome(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    ERROR = "error", _("could not evaluate")
    INTERRUPTED = "interrupted", _("interrupted")


class Trigger(models.TextChoices):
    COMMAND = "command", _("command")
    ADMIN = "admin", _("admin")
    SCHEDULE = "schedule", _("schedule")
    RELEASE = "release", _("release phase")
    API = "api", _("Python API")


class Level(models.IntegerChoices):
    """Django's own numeric levels, so a result compares with a CheckMessage's level."""

    DEBUG = django_checks.DEBUG, _("debug")
    INFO = django_checks.INFO, _("info")
    WARNING = django_checks.WARNING, _("warning")
    ERROR = django_checks.ERROR, _("error")
    CRITICAL = django_checks.CRITICAL, _("critical")


LEVELS: dict[str, int] = {member.name: int(member) for member in Level}


def level_name(level: int | None) -> str | None:
    """Name a numeric level; a custom level between Django's steps takes the step below."""
    if level is None:
        return None
    steps = [member for member in Level if member <= level]
    return steps[-1].name if steps else Level.DEBUG.name
