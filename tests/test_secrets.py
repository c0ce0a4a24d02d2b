"""Planted secrets never leave a run that exercises the checks which read the most: advisories,
the settings against two Heroku apps, the Content Security Policy and the certificate of a live site.

Every output is searched: the text, JSON and JUnit reports, the stored rows, the log, and each
admin page and export of the run.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from deploycheck import runner
from deploycheck.core import reporting
from deploycheck.core.choices import Status
from deploycheck.models import CheckResult, CheckRun
from tests.heroku_fake import TOKEN
from tests.osv_fake import record

pytestmark = pytest.mark.django_db

SECRET_KEY = "planted-django-secret-key-0123456789-never-shown-anywhere"
DATABASE_PASSWORD = "planted-database-password-never-shown"
COLLECTSTATIC_VALUE = "planted-config-value-never-shown"
SECRETS = [TOKEN, SECRET_KEY, DATABASE_PASSWORD, COLLECTSTATIC_VALUE, "secret-db-password", "super-secret-django-key"]
STAGING = "weareone-staging"
NEW_CHECKS = {
    "release.security_advisories",
    "release.content_security_policy",
    "http.content_security_policy",
    "http.certificate",
    "heroku.allowed_hosts",
    "heroku.static_files",
}


# Only the settings change, for the checks to read; the test's connection keeps its own.
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_no_planted_secret_in_any_output_of_a_run_of_the_new_checks(
    heroku, osv, site, secure_settings, settings, caplog
):
    caplog.set_level(logging.DEBUG)
    settings.SECRET_KEY = SECRET_KEY
    # A new dict: changing the one the connections share would lock every later test out of PostgreSQL.
    settings.DATABASES = {
        **settings.DATABASES,
        "default": {**settings.DATABASES["default"], "PASSWORD": DATABASE_PASSWORD},
    }
    osv.add(record("GHSA-aaaa-bbbb-cccc", "requests", fixed="999.1", severity="HIGH"))
    # Staging sets DISABLE_COLLECTSTATIC to a value, and serves a domain ALLOWED_HOSTS refuses.
    staging_domain = {
        "id": "s1",
        "hostname": "staging.weareone.example",
        "kind": "custom",
        "cname": "fuzzy-5678.herokudns.com",
        "status": "succeeded",
        "acm_status": "cert issued",
    }
    heroku.add_app(
        STAGING,
        config_vars={
            "DISABLE_COLLECTSTATIC": COLLECTSTATIC_VALUE,
            "DATABASE_URL": f"postgres://u:{DATABASE_PASSWORD}@h/d",
        },
        domains=[staging_domain],
    )
    settings.DEPLOYCHECK = {**settings.DEPLOYCHECK, "HEROKU_APPS": ["weareone", STAGING]}
    url = site("secure", "127.0.0.230")

    report = runner.execute(urls=[url])

    found = {(result.check_id, result.app, result.status) for result in report.results}
    assert {check_id for check_id, _app, _status in found} >= NEW_CHECKS
    # The run found something in each part, so the words that could carry a secret were written.
    assert ("heroku.static_files", STAGING, Status.FAILED) in found
    assert ("heroku.allowed_hosts", STAGING, Status.FAILED) in found
    assert ("release.security_advisories", None, Status.FAILED) in found
    assert report.run is not None
    client = Client()
    client.force_login(User.objects.create_superuser("admin", password="a-long-test-password"))
    client.defaults["wsgi.url_scheme"] = "https"
    pages = [
        reverse("admin:deploycheck_checkrun_changelist"),
        reverse("admin:deploycheck_checkrun_change", args=[report.run.pk]),
        reverse("admin:deploycheck_overview"),
        reverse("admin:deploycheck_history", args=["heroku.static_files"]),
        reverse("admin:deploycheck_export_json", args=[report.run.pk]),
        reverse("admin:deploycheck_export_csv", args=[report.run.pk]),
    ]
    outputs = {
        "text": reporting.TextRenderer().render(report),
        "json": reporting.render_json(report),
        "junit": reporting.render_junit(report),
        "rows": json.dumps(list(CheckResult.objects.values()), default=str)
        + json.dumps(list(CheckRun.objects.values()), default=str),
        "log": caplog.text,
    }
    for page in pages:
        response = client.get(page, secure=True)
        assert response.status_code == 200, page
        outputs[page] = response.content.decode("utf-8-sig")
    # The outputs searched do hold what the run found: the secrets are absent, not the findings.
    run_page = pages[1]
    for name in ("text", "json", "junit", "rows", run_page, pages[4], pages[5]):
        assert "GHSA-aaaa-bbbb-cccc" in outputs[name], name
        assert "DISABLE_COLLECTSTATIC" in outputs[name], name
    leaks = [(name, secret) for name, text in outputs.items() for secret in SECRETS if secret in text]
    assert leaks == []
