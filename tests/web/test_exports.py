"""A stored run downloaded from the admin: the JSON document and the CSV file give code as plain words."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from deploycheck.core.choices import Level, Status
from tests.web.test_display import NO_SCOPE, result, stored, viewer

pytestmark = pytest.mark.django_db


def test_code_is_plain_words_in_the_json_and_csv_exports():
    run = stored(
        result("heroku.error_pages", Status.ERROR, message=NO_SCOPE),
        result(
            "heroku.preboot", level=Level.WARNING, hint="Turn preboot on: `heroku features:enable preboot -a prod`."
        ),
    )
    client = viewer()
    document = json.loads(client.get(reverse("admin:deploycheck_export_json", args=[run.pk])).content)
    response = client.get(reverse("admin:deploycheck_export_csv", args=[run.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    for entries in (document["results"], rows):
        by_id = {entry["id"]: entry for entry in entries}
        assert (
            "(create one with heroku authorizations:create -s read-protected);"
            in by_id["heroku.error_pages"]["message"]
        )
        assert by_id["heroku.preboot"]["hint"] == "Turn preboot on: heroku features:enable preboot -a prod."
        assert not any("`" in str(value) for entry in entries for value in entry.values())
