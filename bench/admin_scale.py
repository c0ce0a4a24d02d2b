"""The admin pages with 100 and with 10,000 runs of 40 results: queries and server time per page.

Targets: at most 12 queries per page, the same number whatever the history's size, and at most
300 ms of server time. Run it on PostgreSQL (DATABASE_URL); it builds and drops a test database.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import django

SIZES = (100, 10_000)
RESULTS_PER_RUN = 40
MAX_QUERIES = 12
MAX_MILLISECONDS = 300
ROUNDS = 5


def fill(runs_wanted: int) -> None:
    from django.utils import timezone

    from deploycheck.choices import Level, Outcome, Status, Trigger
    from deploycheck.models import CheckResult, CheckRun

    have = CheckRun.objects.count()
    start = timezone.now() - timedelta(days=400)
    for first in range(have, runs_wanted, 500):
        batch = [
            CheckRun(
                started_at=start + timedelta(minutes=index * 30),
                finished_at=start + timedelta(minutes=index * 30, seconds=3),
                duration=timedelta(seconds=3),
                trigger=Trigger.RELEASE if index % 3 else Trigger.SCHEDULE,
                outcome=Outcome.FAILED if index % 7 == 0 else Outcome.PASSED,
                fail_level=Level.ERROR,
                passed_count=RESULTS_PER_RUN - 2,
                failed_count=2,
                heroku_app="weareone" if index % 2 else "weareone-staging",
                release_version=f"v{index}",
                commit=f"{index:040x}",
                django_version="5.2.19",
                python_version="3.12.1",
                deploycheck_version="0.1.0",
            )
            for index in range(first, min(first + 500, runs_wanted))
        ]
        CheckRun.objects.bulk_create(batch)
        CheckResult.objects.bulk_create(
            [
                CheckResult(
                    run=run,
                    check_id=f"bench.check_{number:02d}",
                    message_id=f"bench.check_{number:02d}",
                    family="django" if number < 25 else "heroku",
                    title=f"Bench check {number}",
                    status=Status.FAILED if number < 2 and run.outcome == Outcome.FAILED else Status.PASSED,
                    level=Level.WARNING if number < 2 else None,
                    message="A message of ordinary length for a failing check." if number < 2 else "",
                    duration=timedelta(milliseconds=1),
                    app=run.heroku_app if number >= 25 else "",
                )
                for run in batch
                for number in range(RESULTS_PER_RUN)
            ],
            batch_size=5000,
        )


def measure(client, url: str) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return queries, statistics.median(timings) * 1000


def main() -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from deploycheck.models import CheckRun

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        client = Client()
        client.force_login(User.objects.create_superuser("bench", password="bench"))
        for size in SIZES:
            fill(size)
            run = CheckRun.objects.order_by("-started_at")[size // 2]
            pages = {
                "runs list": reverse("admin:deploycheck_checkrun_changelist"),
                "run page": reverse("admin:deploycheck_checkrun_change", args=[run.pk]),
                "check history": reverse("admin:deploycheck_history", args=["bench.check_01"]),
                "overview": reverse("admin:deploycheck_overview"),
            }
            for name, url in pages.items():
                queries, milliseconds = measure(client, url)
                verdict = "ok" if queries <= MAX_QUERIES and milliseconds <= MAX_MILLISECONDS else "OVER TARGET"
                print(
                    f"{connection.vendor}, {size} runs x {RESULTS_PER_RUN} results, {name}: {queries} queries, "
                    f"{milliseconds:.0f} ms server time (median of {ROUNDS}; targets <= {MAX_QUERIES} queries, "
                    f"<= {MAX_MILLISECONDS} ms) {verdict}"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
