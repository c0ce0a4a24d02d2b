"""Filters and tags for deploycheck's admin pages: one duration format, and hints with their code; the runs
list's date drill-down; breadcrumbs in the installed admin's markup."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django import template
from django.contrib.admin.views.main import ChangeList
from django.utils.safestring import SafeString

from deploycheck.core import choices
from deploycheck.web import admin_markup, dates, display

register = template.Library()


@register.filter
def duration(value: timedelta | float) -> str:
    return display.duration_text(value)


@register.filter
def code_spans(value: object, limit: int | None = None) -> SafeString:
    """A hint or a message with its code as <code>; ``|code_spans:200`` cuts it to 200 characters shown."""
    return display.code_spans(value, limit)


@register.filter
def level_name(value: int | None) -> str:
    return choices.level_name(value) or ""


@register.inclusion_tag("admin/date_hierarchy.html")
def run_date_hierarchy(changelist: ChangeList) -> dict[str, Any]:
    """As the admin's date_hierarchy tag, without a sort of the whole history (deploycheck.web.dates)."""
    return dates.run_date_hierarchy(changelist) or {}


@register.inclusion_tag("admin/deploycheck/breadcrumbs.html")
def deploycheck_breadcrumbs(current: object, *links: object, trail: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """The admin's breadcrumbs, in the installed Django's markup (deploycheck.web.admin_markup).

    ``links`` are the pages above this one, as URL, label, URL, label..., then ``trail`` more of them
    as (URL, label) pairs, for a path the view decides; ``current`` is this page.
    """
    if len(links) % 2:
        raise template.TemplateSyntaxError("deploycheck_breadcrumbs takes the current page, then URL and label pairs")
    pairs = [*zip(links[::2], links[1::2], strict=True), *trail]
    return {"as_list": admin_markup.ADMIN_HEAD_6_1, "links": pairs, "current": current}
