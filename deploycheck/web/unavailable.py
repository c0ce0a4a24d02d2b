"""The admin's answer when the run history cannot be read: 503, saying why and what to do."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from deploycheck.store.saving import database_error_text, database_fault


def unavailable_page(request: HttpRequest, site: AdminSite, alias: str, exc: DatabaseError) -> HttpResponse:
    reason = database_fault(alias, exc)
    if reason is None:
        message = gettext("The run history cannot be shown: the database refused the query (%(error)s).") % {
            "error": database_error_text(exc)
        }
    else:
        message = gettext("The run history cannot be shown: %(reason)s") % {"reason": reason}
    # Only what needs no query: the admin's menus would read the permissions from the database.
    context = {
        "title": gettext("The run history is unavailable"),
        "message": message,
        "site_header": site.site_header,
        "site_title": site.site_title,
        "site_url": site.site_url,
    }
    response = TemplateResponse(request, "admin/deploycheck/unavailable.html", context, status=503)
    # Tells a client or a proxy that trying again later may work.
    response["Retry-After"] = "60"
    return response
