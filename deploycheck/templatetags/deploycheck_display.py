"""Filters for deploycheck's admin pages: one duration format, and hints with their code."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.safestring import SafeString

from deploycheck import choices, display

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
