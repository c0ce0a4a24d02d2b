"""Deleting old runs, in batches, never the newest run of an app."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from deploycheck.models import CheckResult, CheckRun

BATCH_SIZE = 500


def newest_run_per_app() -> set[int]:
    apps = CheckRun.objects.values_list("heroku_app", flat=True).distinct()
    newest = (
        CheckRun.objects.filter(heroku_app=app).order_by("-started_at", "-pk").values_list("pk", flat=True).first()
        for app in apps
    )
    return {pk for pk in newest if pk is not None}


def prune(days: int, *, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Delete the runs that started more than ``days`` days ago; return how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    keep = newest_run_per_app()
    deleted = 0
    while True:
        batch = list(
            CheckRun.objects.filter(started_at__lt=cutoff)
            .exclude(pk__in=keep)
            .order_by("started_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return deleted
        # Short transactions: a large history is pruned without holding locks for long.
        with transaction.atomic():
            CheckResult.objects.filter(run_id__in=batch).delete()
            CheckRun.objects.filter(pk__in=batch).delete()
        deleted += len(batch)
