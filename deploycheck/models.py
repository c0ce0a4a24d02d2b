"""A run of the checks and one row per check it evaluated, passes included."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from deploycheck.core.choices import Level, Outcome, Status, Trigger

# Room for a username that is an e-mail address.
TRIGGERED_BY_LENGTH = 254


class CheckRun(models.Model):
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"))
    duration = models.DurationField(_("duration"))
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    # The username as text, not a key to the user model: a project may have no user table
    # (no django.contrib.auth), and a run must keep saying who started it once they are gone.
    triggered_by = models.CharField(_("triggered by"), max_length=TRIGGERED_BY_LENGTH, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    fail_level = models.PositiveSmallIntegerField(_("fail level"), choices=Level.choices)
    # What was asked for: tags and check ids, empty for "everything".
    selection = models.JSONField(_("selection"), default=dict, blank=True)

    passed_count = models.PositiveIntegerField(_("passed"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    silenced_count = models.PositiveIntegerField(_("silenced"), default=0)

    # The deploy this run looked at.
    # Indexed with started_at below: an app's runs newest first, and the list of apps.
    heroku_app = models.CharField(_("Heroku app"), max_length=100, blank=True)
    release_version = models.CharField(_("release"), max_length=32, blank=True)
    commit = models.CharField(_("commit"), max_length=64, blank=True)
    django_version = models.CharField(_("Django version"), max_length=32)
    python_version = models.CharField(_("Python version"), max_length=32)
    deploycheck_version = models.CharField(_("deploycheck version"), max_length=32)
    settings_module = models.CharField(_("settings module"), max_length=200, blank=True)
    hostname = models.CharField(_("host"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("check run")
        verbose_name_plural = _("check runs")
        ordering = ["-started_at", "-pk"]
        # An app's latest runs, its previous and next run, and the apps, without reading the history.
        indexes = [models.Index(fields=["heroku_app", "started_at", "id"], name="deploycheck_app_history")]
        permissions = [("run_checks", _("Can start a run of the deployment checks"))]

    def __str__(self) -> str:
        return str(_("Run %(pk)s (%(outcome)s)") % {"pk": self.pk, "outcome": self.get_outcome_display()})


class CheckResult(models.Model):
    run = models.ForeignKey(CheckRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="results")
    # The catalogue id, stable across runs; message_id is the id the message itself carries
    # (Django's functions may emit several, such as security.W010 to security.W012).
    check_id = models.CharField(_("check"), max_length=200)
    message_id = models.CharField(_("id"), max_length=200)
    family = models.CharField(_("family"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    hint = models.TextField(_("hint"), blank=True)
    # title, message and hint as deploycheck wrote them, untranslated with their parameters, so
    # that each reader gets them in their language (deploycheck.core.deferred_text); the columns above hold
    # the English text, and rows written before this field existed are shown from them.
    wording = models.JSONField(_("wording"), default=dict, blank=True)
    obj = models.CharField(_("object"), max_length=500, blank=True)
    doc_url = models.URLField(_("documentation"), max_length=500, blank=True)
    silenced = models.BooleanField(_("silenced"), default=False)
    duration = models.DurationField(_("duration"))
    app = models.CharField(_("Heroku app"), max_length=100, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        ordering = ["run", "pk"]
        indexes = [models.Index(fields=["check_id", "run"], name="deploycheck_check_history")]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.get_status_display()}"


class Overview(CheckRun):
    """No table of its own: it puts the overview page on the admin index."""

    class Meta:
        proxy = True
        verbose_name = _("overview")
        verbose_name_plural = _("overview")
        default_permissions = ()
