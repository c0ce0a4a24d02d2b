"""Filters for deploycheck's admin pages: one duration format, and hints with their code; the runs
list's date drill-down."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template.base import Parser, Token
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


@register.tag(name="run_date_hierarchy")
def run_date_hierarchy(parser: Parser, token: Token) -> InclusionAdminNode:
    """As the admin's date_hierarchy tag, without a sort of the whole history (deploycheck.dates)."""
    # django-stubs give InclusionAdminNode a first argument `name` that Django's has not.
    return InclusionAdminNode(  # type: ignore[call-arg]
        parser,  # type: ignore[arg-type]
        token,  # type: ignore[arg-type]
        func=dates.run_date_hierarchy,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
