"""Filters for deploycheck's admin pages: one duration format, and hints with their code; the runs
list's date drill-down."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.contrib.admin.views.main import ChangeList
from django.utils.safestring import SafeString

from deploycheck import choices, dates, display

register = template.Library()


@register.filter
def duration(value: timedelta | float) -> str:
    return display.duration_text(value)


@register.filter
def code_spans(value: object) -> SafeString:
    return display.code_spans(value)


@register.filter
def level_name(value: int | None) -> str:
    return choices.level_name(value) or ""


@register.inclusion_tag("admin/date_hierarchy.html")
def run_date_hierarchy(changelist: ChangeList) -> dict[str, Any]:
    """As the admin's date_hierarchy tag, without a sort of the whole history (deploycheck.dates)."""
    return dates.run_date_hierarchy(changelist) or {}
