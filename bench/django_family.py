"""The django family through deploycheck's runner vs Django's own run_checks, in one process.

Prints the ratio of the best times (medians beside it); the target is at most 1.05: deploycheck's
runner may add no more than 5% to Django's own checks, gathering, evaluating and reporting included.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import django
from django.core import checks

TARGET = 1.05
ROUNDS = 500


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> float:
    django.setup()
    from deploycheck import runner

    def deploycheck_django_family() -> object:
        return runner.execute(tags=["django"], save=False)

    def django_run_checks() -> object:
        return checks.run_checks(include_deployment_checks=True)

    for warm_up in (deploycheck_django_family, django_run_checks):
        warm_up()
    ours, theirs = [], []
    for round_number in range(ROUNDS):
        # Interleaved so both see the same machine load, taking turns to go first: the second
        # of two back-to-back runs finds Django's caches warm.
        if round_number % 2:
            ours.append(timed(deploycheck_django_family))
            theirs.append(timed(django_run_checks))
        else:
            theirs.append(timed(django_run_checks))
            ours.append(timed(deploycheck_django_family))
    # The fastest round is the least disturbed by the rest of the machine; medians are shown too.
    ratio = min(ours) / min(theirs)
    print(
        f"django family in-process: deploycheck {min(ours) * 1000:.2f} ms, "
        f"run_checks(include_deployment_checks=True) {min(theirs) * 1000:.2f} ms (best of {ROUNDS}); "
        f"ratio {ratio:.3f} (target <= {TARGET}); ratio of medians "
        f"{statistics.median(ours) / statistics.median(theirs):.3f}"
    )
    return ratio


if __name__ == "__main__":
    main()
