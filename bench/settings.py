"""The example project's production-like settings, for benchmarks; DATABASE_URL picks the database."""

from __future__ import annotations

import os

os.environ.setdefault("DEMO_PROFILE", "production")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "q8Vz2Lm5Xr9Tk3Wn7Pb1Hc6Jd4Fs0Gy" * 2)
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from example_project.settings import *  # noqa: F403

# A local PostgreSQL server for benchmarks does not speak SSL, unlike Heroku Postgres.
DATABASES["default"].get("OPTIONS", {}).pop("sslmode", None)  # noqa: F405
ALLOWED_HOSTS = ["testserver", *ALLOWED_HOSTS]  # noqa: F405
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
