"""`manage.py deploycheck --no-save --tag django` vs `manage.py check --deploy`, as whole processes.

Prints the ratio of median wall times; the target is at most 1.15.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 1.15
ROUNDS = 15
ROOT = Path(__file__).resolve().parent.parent


def wall_time(args: list[str]) -> float:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'example_project'}",
    }
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "django", *args], env=environment, check=False, capture_output=True)
    return time.perf_counter() - started


def main() -> float:
    ours_args = ["deploycheck", "--no-save", "--tag", "django"]
    theirs_args = ["check", "--deploy"]
    wall_time(ours_args), wall_time(theirs_args)
    ours, theirs = [], []
    for _ in range(ROUNDS):
        ours.append(wall_time(ours_args))
        theirs.append(wall_time(theirs_args))
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(
        f"whole process: deploycheck --no-save --tag django {statistics.median(ours) * 1000:.0f} ms, "
        f"check --deploy {statistics.median(theirs) * 1000:.0f} ms (medians of {ROUNDS}); "
        f"ratio {ratio:.3f} (target <= {TARGET})"
    )
    return ratio


if __name__ == "__main__":
    main()
