from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from deploycheck import runner
from deploycheck.models import CheckResult, CheckRun
from deploycheck.store import retention
from deploycheck.store.saving import store

pytestmark = pytest.mark.django_db


def aged_run(days: int, app: str = "") -> CheckRun:
    report = runner.execute(check_ids=["security.W001"], save=False)
    when = timezone.now() - timedelta(days=days)
    report = replace(report, started_at=when, finished_at=when, deploy=replace(report.deploy, heroku_app=app))
    run = store(report).run
    assert run is not None
    return run


def test_prune_deletes_old_runs_in_batches_and_keeps_each_apps_newest():
    old = [aged_run(100 + index) for index in range(5)]
    staging_only = aged_run(200, app="weareone-staging")
    recent = aged_run(1)
    assert retention.prune(30, batch_size=2) == 5
    assert set(CheckRun.objects.values_list("pk", flat=True)) == {staging_only.pk, recent.pk}
    assert not CheckResult.objects.filter(run_id__in=[run.pk for run in old]).exists()


def test_the_newest_run_of_an_app_stays_even_when_old():
    only = aged_run(400, app="weareone")
    assert retention.prune(30) == 0
    assert CheckRun.objects.filter(pk=only.pk).exists()


def test_prune_command(settings):
    aged_run(90)
    aged_run(60)
    aged_run(1)
    settings.DEPLOYCHECK = {"RETENTION_DAYS": 30}
    out = StringIO()
    call_command("deploycheck", "--prune", stdout=out)
    assert out.getvalue().strip() == "Deleted 2 runs older than 30 days."
    assert CheckRun.objects.count() == 1


def test_prune_without_retention_days_is_a_usage_error(settings):
    settings.DEPLOYCHECK = {}
    with pytest.raises(CommandError, match=r"Set DEPLOYCHECK\['RETENTION_DAYS'\]") as caught:
        call_command("deploycheck", "--prune", stdout=StringIO())
    assert caught.value.returncode == 2
