"""The admin pages with 10,000 and with 100,000 runs of 40 results over 3 apps: queries and server time.

Targets: at most 8 queries per page (the admin's session and user included; a superuser's, whose
permissions Django does not read), the same number whatever the history's size, and at most
150 ms of server time (median); the process exits non-zero when a page is over target at the
largest size. It needs PostgreSQL (DATABASE_URL): the
history is written by set-based SQL, as 4 million rows through Python would take far too long,
in a test database of its own that it builds and drops.
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from django.test import Client

SIZES = (10_000, 100_000)
RESULTS_PER_RUN = 40
# Two Heroku apps and the local site (runs with no Heroku app), taking turns.
APPS = ("weareone", "weareone-staging", "")
MAX_QUERIES = 8
MAX_MILLISECONDS = 150
ROUNDS = 7
TEST_DATABASE = "test_deploycheck_admin_scale"  # not the test suite's, so a CI run can go on beside it

# Run number i (0-based, kept in release_version as "v<i>") of APPS[i % 3], every 10 minutes.
# Per run: check 00 fails at WARNING in half the runs, 01 at ERROR in one run in 7, 02 always
# at WARNING, 03 is a silenced failure, 04-05 are skipped, the rest pass; the Heroku family
# (25-39) carries the app, is skipped on the local site, and check 30 could not be evaluated
# in one run in 11. One run in 10 fails at WARNING: its warnings fail it.
INSERT_RUNS = """
INSERT INTO deploycheck_checkrun (
    started_at, finished_at, duration, trigger, triggered_by, outcome, fail_level, selection,
    passed_count, failed_count, skipped_count, error_count, silenced_count, heroku_app,
    release_version, commit, django_version, python_version, deploycheck_version,
    settings_module, hostname
)
SELECT %(start)s + i * interval '10 minutes', %(start)s + i * interval '10 minutes' + interval '3 seconds',
    interval '3 seconds', CASE WHEN i %% 3 = 2 THEN 'schedule' ELSE 'release' END, '', 'running',
    CASE WHEN i %% 10 = 0 THEN 30 ELSE 40 END, '{}'::jsonb, 0, 0, 0, 0, 0,
    (ARRAY['weareone', 'weareone-staging', ''])[i %% 3 + 1], 'v' || i, lpad(to_hex(i), 40, '0'),
    '5.2.19', '3.12.1', '0.1.0', 'weareone.settings', 'web.1'
FROM generate_series(%(first)s, %(last)s) AS i
"""
INSERT_RESULTS = """
INSERT INTO deploycheck_checkresult (
    run_id, check_id, message_id, family, title, status, level, message, hint, wording, obj,
    doc_url, silenced, duration, app, details
)
SELECT run.id, 'bench.check_' || lpad(n::text, 2, '0'), 'bench.check_' || lpad(n::text, 2, '0'),
    CASE WHEN n < 25 THEN 'django' ELSE 'heroku' END, 'Bench check ' || n, status, level,
    CASE WHEN status = 'passed' THEN '' ELSE 'A message of ordinary length for a check that did not pass.' END,
    '', '{}'::jsonb, '', '', n = 3, interval '1 millisecond',
    CASE WHEN n < 25 THEN '' ELSE run.heroku_app END, '{}'::jsonb
FROM (SELECT id, heroku_app, substr(release_version, 2)::int AS i FROM deploycheck_checkrun WHERE id > %(after)s) AS run
CROSS JOIN generate_series(0, 39) AS n
CROSS JOIN LATERAL (SELECT CASE
    WHEN n >= 25 AND run.heroku_app = '' THEN 'skipped'
    WHEN n = 0 AND i / 5 %% 2 = 0 OR n = 1 AND i %% 7 = 0 OR n IN (2, 3) THEN 'failed'
    WHEN n IN (4, 5) THEN 'skipped'
    WHEN n = 30 AND i %% 11 = 0 THEN 'error'
    ELSE 'passed' END AS status) AS found
CROSS JOIN LATERAL (SELECT CASE WHEN status <> 'failed' THEN NULL WHEN n = 1 THEN 40 ELSE 30 END AS level) AS graded
"""
# Counts and outcome from the rows, as the runner computes them.
SETTLE_RUNS = """
UPDATE deploycheck_checkrun AS run SET
    passed_count = found.passed, failed_count = found.failed, skipped_count = found.skipped,
    error_count = found.errors, silenced_count = found.silenced,
    outcome = CASE WHEN found.blocking > 0 THEN 'failed' WHEN found.errors > 0 THEN 'error' ELSE 'passed' END
FROM (
    SELECT result.run_id,
        count(*) FILTER (WHERE status = 'passed' AND NOT silenced) AS passed,
        count(*) FILTER (WHERE status = 'failed' AND NOT silenced) AS failed,
        count(*) FILTER (WHERE status = 'skipped' AND NOT silenced) AS skipped,
        count(*) FILTER (WHERE status = 'error' AND NOT silenced) AS errors,
        count(*) FILTER (WHERE silenced) AS silenced,
        count(*) FILTER (WHERE status = 'failed' AND NOT silenced AND level >= owner.fail_level) AS blocking
    FROM deploycheck_checkresult AS result JOIN deploycheck_checkrun AS owner ON owner.id = result.run_id
    WHERE result.run_id > %(after)s GROUP BY result.run_id
) AS found
WHERE run.id = found.run_id
"""


def fill(runs_wanted: int) -> None:
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from deploycheck.models import CheckRun

    have = CheckRun.objects.count()
    after = CheckRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    start = timezone.now() - timedelta(minutes=10 * max(SIZES))
    with connection.cursor() as cursor:
        cursor.execute(INSERT_RUNS, {"start": start, "first": have, "last": runs_wanted - 1})
        cursor.execute(INSERT_RESULTS, {"after": after})
        cursor.execute(SETTLE_RUNS, {"after": after})
        # As autovacuum would have done on a history that grew over months.
        cursor.execute("VACUUM ANALYZE deploycheck_checkrun")
        cursor.execute("VACUUM ANALYZE deploycheck_checkresult")


def measure(client: Client, url: str) -> tuple[int, float]:
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


def pages() -> dict[str, str]:
    from django.urls import reverse

    from deploycheck.models import CheckRun
    from deploycheck.store import history

    changelist = reverse("admin:deploycheck_checkrun_changelist")
    # A run halfway through the history, with a previous run of its app to compare it with.
    runs = CheckRun.objects.filter(heroku_app=APPS[0]).order_by("-started_at", "-pk")
    run = runs[runs.count() // 2]
    assert history.previous_run(run) is not None
    return {
        "runs list": changelist,
        "runs list of one app": f"{changelist}?heroku_app={APPS[0]}",
        "run page": reverse("admin:deploycheck_checkrun_change", args=[run.pk]),
        "check history": reverse("admin:deploycheck_history", args=["bench.check_01"]),
        # One app's history from a run's page, and one the app never evaluated (every run of it probed).
        "check history of one app": reverse("admin:deploycheck_history", args=["bench.check_30"])
        + f"?heroku_app={APPS[1]}&from=run-{run.pk}",
        "check history never evaluated": reverse("admin:deploycheck_history", args=["bench.no_such_check"])
        + f"?heroku_app={APPS[0]}&from=overview",
        "overview": reverse("admin:deploycheck_overview"),
    }


def main() -> int:
    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        print("bench.admin_scale needs PostgreSQL: set DATABASE_URL to a PostgreSQL server.")
        return 2
    connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": TEST_DATABASE}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    over = False
    try:
        # A superuser, as Django reads no permissions for one; a staff member's permissions are
        # two more queries of django.contrib.auth on every page (tests/test_overview.py).
        client = Client()
        client.force_login(User.objects.create_superuser("bench", password="bench"))
        for size in SIZES:
            fill(size)
            for name, url in pages().items():
                queries, milliseconds = measure(client, url)
                within = queries <= MAX_QUERIES and milliseconds <= MAX_MILLISECONDS
                over = over or (not within and size == max(SIZES))
                print(
                    f"{connection.vendor}, {size:,} runs x {RESULTS_PER_RUN} results, {len(APPS)} apps, {name}: "
                    f"{queries} queries, {milliseconds:.0f} ms server time (median of {ROUNDS}; targets "
                    f"<= {MAX_QUERIES} queries, <= {MAX_MILLISECONDS} ms) {'ok' if within else 'OVER TARGET'}",
                    flush=True,
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
