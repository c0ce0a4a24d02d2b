"""The Heroku phase against a fake Platform API that adds 300 ms to every answer.

Targets: one app within 1.5 x 300 ms of wall time, five apps within 2 x 300 ms, and at most one
request per distinct resource per app (pagination aside). Prints the ratios and request counts.
"""

from __future__ import annotations

import logging
import os
import statistics
import time

import django

LATENCY = 0.3
TARGETS = {1: 1.5, 5: 2.0}
ROUNDS = 5


def main() -> None:
    django.setup()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    from django.test.utils import override_settings
    from pytest_httpserver import HTTPServer

    from deploycheck.core.gathering import gather
    from deploycheck.families.heroku import checks as heroku
    from tests.heroku_fake import TOKEN, FakeHeroku

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    os.environ["HEROKU_API_KEY"] = TOKEN
    # The Platform API's facts only: the checks that hold settings against an app read those too.
    names = {name for check in heroku.FAMILY.checks for name in check.requires if name.startswith("heroku.")}
    try:
        for count, target in TARGETS.items():
            server.clear()
            fake = FakeHeroku(server)
            apps = [f"weareone-{index}" for index in range(count)]
            for app in apps:
                fake.add_app(app)
            fake.latency = LATENCY
            timings = []
            with override_settings(DEPLOYCHECK={"HEROKU_API_URL": fake.url, "HEROKU_APPS": apps}):
                for _ in range(ROUNDS):
                    fake.requests.clear()
                    started = time.perf_counter()
                    facts = gather(names, budget=10, providers=heroku.FAMILY.providers)
                    timings.append(time.perf_counter() - started)
                    assert facts.error_for(names) is None
            ratio = statistics.median(timings) / LATENCY
            per_app = (len(fake.requests) - 1) / count  # /stacks is read once per run, not per app
            print(
                f"heroku phase, {count} app(s), {LATENCY * 1000:.0f} ms per answer: "
                f"{statistics.median(timings) * 1000:.0f} ms (median of {ROUNDS}); ratio {ratio:.2f} "
                f"(target <= {target}); {per_app:.0f} requests per app + 1 for /stacks, "
                f"{max(fake.count().values())} per resource at most"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
