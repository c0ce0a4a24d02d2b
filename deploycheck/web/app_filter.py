"""The runs list's filter by app, from the apps the page has already read for its cards."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from deploycheck.models import CheckRun
from deploycheck.store import latest

# The request attribute the runs list leaves the apps of its cards in.
APPS_READ = "deploycheck_apps"


class AppFilter(admin.SimpleListFilter):
    """By Heroku app, "This site" for the runs with none; the same URL as a filter on the field.

    Django's filter on the field reads the apps with a query of its own: the cards above the
    list have read them already, and each query of the page counts.
    """

    title = gettext_lazy("Heroku app")
    parameter_name = "heroku_app"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        apps = getattr(request, APPS_READ, None)
        if apps is None:
            apps = latest.app_names()
        return [(app, app or gettext("This site")) for app in apps]

    def queryset(self, request: HttpRequest, queryset: QuerySet[CheckRun]) -> QuerySet[CheckRun]:
        app = self.value()
        return queryset if app is None else queryset.filter(heroku_app=app)
