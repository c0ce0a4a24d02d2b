"""How many queries saving a run takes, for 10, 100 and 1,000 results (target: at most 5, constant).

Runs on the database DATABASE_URL names (SQLite in memory by default), in a throwaway test database.
"""

from __future__ import annotations

from dataclasses import replace

import django
from django.db import connection
from django.test.utils import CaptureQueriesContext

TARGET = 5


def main() -> dict[int, int]:
    django.setup()
    from deploycheck import runner
    from deploycheck.store.saving import store

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        sample = runner.execute(tags=["django"], save=False)
        counts = {}
        for size in (10, 100, 1000):
            results = (sample.results * (size // len(sample.results) + 1))[:size]
            report = replace(sample, results=results)
            with CaptureQueriesContext(connection) as queries:
                saved = store(report)
                assert saved.run is not None, saved.not_saved_reason
            counts[size] = len(queries)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"queries to save a run on {connection.vendor}: "
        + ", ".join(f"{size} results: {count}" for size, count in counts.items())
        + f" (target <= {TARGET} for 100, constant)"
    )
    return counts


if __name__ == "__main__":
    main()
