"""The run history in the Django admin: browse, compare, follow a check, start a run.

Runs are written only by the runner: nothing here adds or edits one. The extra pages are added
through ``get_urls()`` and wrapped in ``admin_site.admin_view``, so they need a staff login like
the rest of the admin; each also checks the view permission, and starting a run the custom
``deploycheck.run_checks`` permission.

The admins are registered on the default site; a project may register them on its own
``AdminSite`` as well or instead. Every URL is therefore reversed on the site the admin
belongs to (``current_app``), never on whichever site is called "admin".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import DatabaseError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext

from deploycheck import conf, runner
from deploycheck.core import reporting, rules
from deploycheck.core.catalogue import SelectionError
from deploycheck.core.choices import Outcome, Trigger
from deploycheck.core.rules import verdict_of
from deploycheck.core.sanitising import safe_text
from deploycheck.models import CheckRun, Overview
from deploycheck.store import history
from deploycheck.store.saving import history_alias, read_guard
from deploycheck.web import admin_markup, display, exports, history_page, overview
from deploycheck.web.admin_columns import RunColumns
from deploycheck.web.app_filter import APPS_READ, AppFilter
from deploycheck.web.unavailable import unavailable_page

logger = logging.getLogger("deploycheck")

# Heroku's router gives up on a request after 30 seconds: a run started here must end before.
ADMIN_TIME_BUDGET = 20.0


def can_run_checks(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("deploycheck.run_checks"))


@admin.register(CheckRun)
class CheckRunAdmin(RunColumns, admin.ModelAdmin):  # type: ignore[type-arg]
    # Short cells, so that the app, release and commit stay in view beside the filters.
    list_display = [
        "started",
        "outcome_badge",
        "app_name",
        "release",
        "fail_level_name",
        "counts",
    ]
    list_display_links = ["started"]
    list_filter = ["outcome", "trigger", AppFilter]
    date_hierarchy = "started_at"
    search_fields = ["release_version", "commit", "=results__check_id", "=results__message_id"]
    list_per_page = 50
    show_full_result_count = False
    change_list_template = "admin/deploycheck/checkrun/change_list.html"

    # Runs come from the runner; people only read them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CheckRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CheckRun | None = None) -> bool:
        return bool(request.user.is_superuser)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[CheckRun], search_term: str
    ) -> tuple[QuerySet[CheckRun], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # A run has many results: searching them by check id must not list a run twice.
        return (found.distinct(), False) if may_have_duplicates else (found, False)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CheckRun]:
        # Verdicts count the failures below the fail level: counted in the list's own query.
        runs: QuerySet[CheckRun] = super().get_queryset(request)
        return runs.annotate(**display.failures_below_fail_level())

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # "Check runs" rather than Django's "Select check run to view": nobody selects one here.
        title = capfirst(CheckRun._meta.verbose_name_plural)
        extra_context = {
            "title": title,
            **admin_markup.context(),
            **(extra_context or {}),
            "can_run_checks": can_run_checks(request),
        }
        changelist = super().changelist_view

        def with_app_states() -> HttpResponse:
            # Read inside _reading, so that a database fault is a 503 page; AppFilter reuses the apps.
            if self.has_view_permission(request):
                extra_context["app_states"] = states = overview.app_states()
                setattr(request, APPS_READ, [state.app for state in states])
            return changelist(request, extra_context)

        return self._reading(request, with_app_states)

    def _reading(self, request: HttpRequest, view: Callable[..., HttpResponse], *args: Any) -> HttpResponse:
        """Answer a page that reads the history, or 503 saying why the database cannot give it.

        Rendered here, inside storage.read_guard, as a TemplateResponse queries while it renders.
        """
        alias = history_alias()
        try:
            with read_guard(alias):
                response = view(*args)
                if isinstance(response, TemplateResponse):
                    response.render()
                return response
        except DatabaseError as exc:
            logger.error("The run history could not be read", exc_info=True)
            return unavailable_page(request, self.admin_site, alias, exc)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("overview/", wrap(self._read(self.overview_view)), name="deploycheck_overview"),
            path("run/", wrap(self.run_now_view), name="deploycheck_run_now"),
            path("history/<path:check_id>/", wrap(self._read(self.check_history_view)), name="deploycheck_history"),
            path("<int:run_id>/export.json", wrap(self._read(self.export_json_view)), name="deploycheck_export_json"),
            path("<int:run_id>/export.csv", wrap(self._read(self.export_csv_view)), name="deploycheck_export_csv"),
            *super().get_urls(),
        ]

    def _read(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def reading(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return self._reading(request, lambda: view(request, *args, **kwargs))

        return reading

    def _require_view(self, request: HttpRequest) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    def _url(self, name: str, *args: Any) -> str:
        return reverse(f"admin:{name}", args=args, current_app=self.admin_site.name)

    def _context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        # {% url %} in the templates reverses on the site this admin is registered on.
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            **admin_markup.context(),
            "opts": self.opts,
            "title": title,
            "can_run_checks": can_run_checks(request),
            **extra,
        }

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self._require_view(request)
        return self._reading(request, self._run_page, request, object_id)

    def _run_page(self, request: HttpRequest, object_id: str) -> HttpResponse:
        run = get_object_or_404(CheckRun, pk=object_id)
        report, before = history.compared(history.stored_report(run))
        previous, compared_with = before.previous, before.runs
        context = self._context(
            request,
            str(run),
            run=run,
            verdict=verdict_of(run.outcome, run.fail_level, report.results),
            sections=display.sections(report.results),
            previous=previous,
            next=history.next_run(run),
            comparison=report.comparison,
            compared_with=compared_with,
            compared_ids=", ".join(str(earlier.pk) for earlier in compared_with),
            selection=rules.selection_text(run.selection),
            outcome_class=display.outcome_class(run),
            counts=reporting.summary_counts(len(report.results), report.counts, report.silenced_count),
            # The links to a check's history: this run's app, and the way back to this page.
            history_query=history_page.history_query(run.heroku_app, history_page.Origin.of_run(run)),
        )
        return TemplateResponse(request, "admin/deploycheck/checkrun/run.html", context)

    def check_history_view(self, request: HttpRequest, check_id: str) -> HttpResponse:
        self._require_view(request)
        page = history_page.read(request.GET, check_id)
        context = self._context(
            request,
            page.title,
            check_id=check_id,
            page=page,
            trail=page.origin.trail(self._url, page.app),
        )
        return TemplateResponse(request, "admin/deploycheck/history.html", context)

    def overview_view(self, request: HttpRequest) -> HttpResponse:
        self._require_view(request)
        hide_passing = request.GET.get("hide") == "passing"
        sections = overview.sections(hide_passing=hide_passing)
        context = self._context(
            request,
            gettext("Deployment checks overview"),
            sections=sections,
            app_states=[section.state for section in sections],
            hide_passing=hide_passing,
        )
        return TemplateResponse(request, "admin/deploycheck/overview.html", context)

    def export_json_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        self._require_view(request)
        return exports.json_export(get_object_or_404(CheckRun, pk=run_id))

    def export_csv_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        self._require_view(request)
        return exports.csv_export(get_object_or_404(CheckRun, pk=run_id))

    def run_now_view(self, request: HttpRequest) -> HttpResponse:
        # A GET never starts a run; the admin's CSRF protection covers the POST.
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can_run_checks(request):
            raise PermissionDenied
        changelist = self._url("deploycheck_checkrun_changelist")
        try:
            # Inside the try: a bad setting (an infinite TIME_BUDGET) is a message, not a server error.
            budget = min(ADMIN_TIME_BUDGET, conf.get_settings().time_budget)
            report = runner.execute(trigger=Trigger.ADMIN, user=request.user, time_budget=budget)
        except (SelectionError, ImproperlyConfigured, ValueError) as exc:
            error = safe_text(str(exc))
            self.message_user(
                request, gettext("The checks could not run: %(error)s") % {"error": error}, messages.ERROR
            )
            return HttpResponseRedirect(changelist)
        if report.run is None:
            reason = safe_text(str(report.not_saved_reason or ""))
            self.message_user(
                request,
                gettext("The checks ran but the run could not be saved: %(reason)s") % {"reason": reason},
                messages.ERROR,
            )
            return HttpResponseRedirect(changelist)
        level = messages.SUCCESS if report.outcome == Outcome.PASSED else messages.WARNING
        self.message_user(
            request,
            gettext("Run %(id)s finished: %(verdict)s.")
            % {"id": report.run.pk, "verdict": verdict_of(report.outcome, report.fail_level, report.results)},
            level,
        )
        return HttpResponseRedirect(self._url("deploycheck_checkrun_change", report.run.pk))


@admin.register(Overview)
class OverviewAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Puts the overview on the admin index, under the runs; it follows the runs' permissions."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("deploycheck.view_checkrun"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:deploycheck_overview", current_app=self.admin_site.name))
