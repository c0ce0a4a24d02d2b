"""A run of the checks and one row per check it evaluated, passes included."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from deploycheck.core.choices import Level, Outcome, Status, Trigger

# Room for a username that is an e-mail address.
TRIGGERED_BY_LENGTH = 254


class CheckRun(models.Model):
    started_at = models.DateTimeField(gettext_lazy("started at"), db_index=True)
    finished_at = models.DateTimeField(gettext_lazy("finished at"))
    duration = models.DurationField(gettext_lazy("duration"))
    trigger = models.CharField(gettext_lazy("trigger"), max_length=16, choices=Trigger.choices)
    # The username as text, not a key to the user model: a project may have no user table
    # (no django.contrib.auth), and a run must keep saying who started it once they are gone.
    triggered_by = models.CharField(gettext_lazy("triggered by"), max_length=TRIGGERED_BY_LENGTH, blank=True)
    outcome = models.CharField(gettext_lazy("outcome"), max_length=16, choices=Outcome.choices)
    fail_level = models.PositiveSmallIntegerField(gettext_lazy("fail level"), choices=Level.choices)
    # What was asked for: tags and check ids, empty for "everything".
    selection = models.JSONField(gettext_lazy("selection"), default=dict, blank=True)

    passed_count = models.PositiveIntegerField(gettext_lazy("passed"), default=0)
    failed_count = models.PositiveIntegerField(gettext_lazy("failed"), default=0)
    skipped_count = models.PositiveIntegerField(gettext_lazy("skipped"), default=0)
    error_count = models.PositiveIntegerField(gettext_lazy("errors"), default=0)
    silenced_count = models.PositiveIntegerField(gettext_lazy("silenced"), default=0)

    # The deploy this run looked at.
    # Indexed with started_at below: an app's runs newest first, and the list of apps.
    heroku_app = models.CharField(gettext_lazy("Heroku app"), max_length=100, blank=True)
    release_version = models.CharField(gettext_lazy("release"), max_length=32, blank=True)
    commit = models.CharField(gettext_lazy("commit"), max_length=64, blank=True)
    django_version = models.CharField(gettext_lazy("Django version"), max_length=32)
    python_version = models.CharField(gettext_lazy("Python version"), max_length=32)
    deploycheck_version = models.CharField(gettext_lazy("deploycheck version"), max_length=32)
    settings_module = models.CharField(gettext_lazy("settings module"), max_length=200, blank=True)
    hostname = models.CharField(gettext_lazy("host"), max_length=200, blank=True)

    class Meta:
        verbose_name = gettext_lazy("check run")
        verbose_name_plural = gettext_lazy("check runs")
        ordering = ["-started_at", "-pk"]
        # An app's latest runs, its previous and next run, and the apps, without reading the history.
        indexes = [models.Index(fields=["heroku_app", "started_at", "id"], name="deploycheck_app_history")]
        permissions = [("run_checks", gettext_lazy("Can start a run of the deployment checks"))]

    def __str__(self) -> str:
        return str(gettext_lazy("Run %(pk)s (%(outcome)s)") % {"pk": self.pk, "outcome": self.get_outcome_display()})


class CheckResult(models.Model):
    run = models.ForeignKey(
        CheckRun, verbose_name=gettext_lazy("run"), on_delete=models.CASCADE, related_name="results"
    )
    # The catalogue id, stable across runs; message_id is the id the message itself carries
    # (Django's functions may emit several, such as security.W010 to security.W012).
    check_id = models.CharField(gettext_lazy("check"), max_length=200)
    message_id = models.CharField(gettext_lazy("id"), max_length=200)
    family = models.CharField(gettext_lazy("family"), max_length=50)
    title = models.CharField(gettext_lazy("title"), max_length=300)
    status = models.CharField(gettext_lazy("status"), max_length=16, choices=Status.choices)
    level = models.PositiveSmallIntegerField(gettext_lazy("level"), choices=Level.choices, null=True, blank=True)
    message = models.TextField(gettext_lazy("message"), blank=True)
    hint = models.TextField(gettext_lazy("hint"), blank=True)
    # title, message and hint as deploycheck wrote them, untranslated with their parameters, so
    # that each reader gets them in their language (deploycheck.core.deferred_text); the columns above hold
    # the English text, and rows written before this field existed are shown from them.
    wording = models.JSONField(gettext_lazy("wording"), default=dict, blank=True)
    obj = models.CharField(gettext_lazy("object"), max_length=500, blank=True)
    doc_url = models.URLField(gettext_lazy("documentation"), max_length=500, blank=True)
    silenced = models.BooleanField(gettext_lazy("silenced"), default=False)
    duration = models.DurationField(gettext_lazy("duration"))
    app = models.CharField(gettext_lazy("Heroku app"), max_length=100, blank=True)
    details = models.JSONField(gettext_lazy("details"), default=dict, blank=True)

    class Meta:
        verbose_name = gettext_lazy("check result")
        verbose_name_plural = gettext_lazy("check results")
        ordering = ["run", "pk"]
        indexes = [models.Index(fields=["check_id", "run"], name="deploycheck_check_history")]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.get_status_display()}"


class Overview(CheckRun):
    """No table of its own: it puts the overview page on the admin index."""

    class Meta:
        proxy = True
        verbose_name = gettext_lazy("overview")
        verbose_name_plural = gettext_lazy("overview")
        default_permissions = ()
