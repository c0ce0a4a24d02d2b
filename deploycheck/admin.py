"""Read-only admin for the run history; runs are written only by the runner."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from deploycheck.models import CheckResult, CheckRun


class CheckResultInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CheckResult
    fields = ("message_id", "family", "title", "status", "level", "message", "obj", "silenced", "app")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["started_at", "outcome", "passed_count", "failed_count", "error_count", "trigger", "heroku_app"]
    list_filter = ["outcome", "trigger", "heroku_app"]
    date_hierarchy = "started_at"
    inlines = [CheckResultInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CheckRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CheckRun | None = None) -> bool:
        return bool(request.user.is_superuser)
