"""The Heroku phase against a fake Platform API that adds 300 ms to every answer.

Targets: one app within 1.5 x 300 ms of wall time, five apps within 1.15 x 300 ms, twenty apps
within 1.3 x 300 ms, and at most one request per distinct resource per app (pagination aside).
Prints the ratios and request counts.

The fake (tests.heroku_fake, on tests.loopback_server) serves from a process of its own, as
Heroku does: in the measured process, its work would hold the GIL the client's threads wait for
and count as the client's. Each run is a new client, as each deploycheck run is: no connection,
thread or answer is kept from one run to the next.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from collections import Counter
from multiprocessing.connection import Connection

import django

LATENCY = 0.3
TARGETS = {1: 1.5, 5: 1.15, 20: 1.3}
ROUNDS = 5


def serve(apps: list[str], connection: Connection) -> None:
    """The fake API holding ``apps``, until told to stop; after each run, the requests it answered."""
    from tests.heroku_fake import FakeHeroku
    from tests.loopback_server import LoopbackServer

    server = LoopbackServer()
    server.start()
    fake = FakeHeroku(server)
    for app in apps:
        fake.add_app(app)
    fake.latency = LATENCY
    connection.send(fake.url)
    while connection.recv() == "requests":
        connection.send(list(fake.requests))
        fake.requests.clear()
    server.stop()


def main() -> None:
    django.setup()
    from django.test.utils import override_settings

    from deploycheck.core.gathering import gather
    from deploycheck.families.heroku import checks as heroku
    from tests.heroku_fake import TOKEN

    os.environ["HEROKU_API_KEY"] = TOKEN
    # The Platform API's facts only: the checks that hold settings against an app read those too.
    names = {name for check in heroku.FAMILY.checks for name in check.requires if name.startswith("heroku.")}
    # A new interpreter, not a fork: the measured process may hold threads and locks by then.
    context = multiprocessing.get_context("spawn")
    for count, target in TARGETS.items():
        apps = [f"weareone-{index}" for index in range(count)]
        connection, child_end = context.Pipe()
        fake = context.Process(target=serve, args=(apps, child_end), daemon=True)
        fake.start()
        url = connection.recv()
        timings = []
        requests: list[tuple[str, str | None]] = []
        with override_settings(DEPLOYCHECK={"HEROKU_API_URL": url, "HEROKU_APPS": apps}):
            for _ in range(ROUNDS):
                started = time.perf_counter()
                facts = gather(names, budget=10, providers=heroku.FAMILY.providers)
                timings.append(time.perf_counter() - started)
                assert facts.error_for(names) is None
                connection.send("requests")
                requests = connection.recv()
        connection.send("stop")
        fake.join()
        ratio = statistics.median(timings) / LATENCY
        per_app = (len(requests) - 1) / count  # /stacks is read once per run, not per app
        per_resource = max(Counter(path for path, _range in requests).values())
        print(
            f"heroku phase, {count} app(s), {LATENCY * 1000:.0f} ms per answer: "
            f"{statistics.median(timings) * 1000:.0f} ms (median of {ROUNDS}); ratio {ratio:.2f} "
            f"(target <= {target}); {per_app:.0f} requests per app + 1 for /stacks, "
            f"{per_resource} per resource at most"
        )


if __name__ == "__main__":
    main()
