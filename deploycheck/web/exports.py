"""A stored run as a file to download: the JSON document of `--format json`, or CSV for a spreadsheet.

Both are written from the run's result records, in the reader's language.
"""

from __future__ import annotations

import csv
import json

from django.http import HttpResponse

from deploycheck.core.choices import level_name
from deploycheck.core.markup import plain
from deploycheck.core.sanitising import spreadsheet_cell
from deploycheck.models import CheckRun
from deploycheck.store import history

CSV_COLUMNS = ("id", "check", "family", "title", "status", "level", "message", "hint", "obj", "silenced", "app")


def _attachment(response: HttpResponse, run: CheckRun, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="deploycheck-run-{run.pk}.{extension}"'
    return response


def json_export(run: CheckRun) -> HttpResponse:
    document = history.stored_report_as_dict(run)
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json")
    return _attachment(response, run, "json")


def csv_export(run: CheckRun) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # A byte order mark, without which Excel reads UTF-8 as the system's code page ("Ã©").
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for result in history.stored_report(run).results:
        row = (
            result.message_id,
            result.check_id,
            result.family,
            result.title,
            result.status,
            level_name(result.level),
            # A spreadsheet shows no code: the words are kept, the marks dropped.
            plain(result.message),
            plain(result.hint),
            result.obj,
            result.silenced,
            result.app,
        )
        # A Heroku domain name or a header value may begin like a formula: it stays text.
        writer.writerow([spreadsheet_cell("" if value is None else str(value)) for value in row])
    return _attachment(response, run, "csv")
