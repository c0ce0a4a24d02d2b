"""Run every benchmark and print its figures: `make bench` (POSTGRES_URL adds a PostgreSQL pass)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(module: str, **env: str) -> None:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'example_project'}",
        **env,
    }
    subprocess.run([sys.executable, "-m", module], env=environment, check=True, cwd=ROOT)


if __name__ == "__main__":
    run("bench.django_family")
    run("bench.command")
    run("bench.save_queries")
    run("bench.heroku")
    if os.environ.get("POSTGRES_URL"):
        run("bench.save_queries", DATABASE_URL=os.environ["POSTGRES_URL"])
        run("bench.admin_scale", DATABASE_URL=os.environ["POSTGRES_URL"])
    else:
        print("POSTGRES_URL is not set: the PostgreSQL figures and the admin scale benchmark were skipped.")
