"""An API-only project: no admin, no auth, no sessions; deploycheck still runs, records and e-mails."""

from __future__ import annotations

from tests.projects.base import *  # noqa: F403
from tests.secure import with_policy

INSTALLED_APPS = ["deploycheck"]
MIDDLEWARE = with_policy(
    [
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
)
TEMPLATES = []
ROOT_URLCONF = "tests.projects.no_auth.urls"
