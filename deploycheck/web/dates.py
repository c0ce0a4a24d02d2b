"""The runs list's date drill-down, with the periods that have runs found by probing an index.

Django's date_hierarchy lists the years (months, days) that have runs with a DISTINCT over the
truncated date of every run: a sort of the whole history on each visit of the list. Here each
candidate period is an EXISTS on the index of started_at instead, all in one query, with the
same answer; the range comes from the MIN and MAX that Django's tag reads anyway.
"""

from __future__ import annotations

import copy
from datetime import datetime
from itertools import pairwise
from typing import Any, Literal

from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.views.main import ChangeList
from django.db.models import Exists, QuerySet
from django.utils import timezone


class _Periods:
    """Stands for ``cl.queryset`` in Django's date_hierarchy tag: the two calls it makes of it."""

    def __init__(self, changelist: ChangeList) -> None:
        self.queryset: QuerySet[Any] = changelist.queryset
        self.params = changelist.params
        self.field: str = str(changelist.date_hierarchy)
        self.range: dict[str, Any] = {}

    def aggregate(self, **kwargs: Any) -> dict[str, Any]:
        self.range = self.queryset.aggregate(**kwargs)
        return self.range

    def _local(self, key: str) -> datetime:
        return timezone.localtime(self.range[key])

    def _lookup(self, part: str, default: int) -> int:
        value = self.params.get(f"{self.field}__{part}")
        return int(value[-1] if isinstance(value, list) else value) if value else default

    def _starts(self, kind: str) -> list[datetime]:
        """The start of each candidate period, and the end of the last."""
        if kind == "year":
            return [datetime(year, 1, 1) for year in range(self._local("first").year, self._local("last").year + 2)]
        year = self._lookup("year", self._local("first").year if self.range else 0)
        if kind == "month":
            return [datetime(year, month, 1) for month in range(1, 13)] + [datetime(year + 1, 1, 1)]
        month = self._lookup("month", self._local("first").month if self.range else 0)
        after = datetime(year + month // 12, month % 12 + 1, 1)
        return [datetime(year, month, day) for day in range(1, (after - datetime(year, month, 1)).days + 1)] + [after]

    def datetimes(self, field: str, kind: Literal["year", "month", "day"]) -> list[datetime]:
        try:
            zone = timezone.get_current_timezone()
            starts = [timezone.make_aware(start, zone) for start in self._starts(kind)]
        except (ValueError, OverflowError, KeyError):
            return list(self.queryset.datetimes(field, kind))  # a date out of range: as Django does
        probes = {
            f"period_{index}": Exists(self.queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end}))
            for index, (start, end) in enumerate(pairwise(starts))
        }
        # Any one row carries the answers, so the table itself is not read.
        runs = self.queryset.model._default_manager.using(self.queryset.db).order_by()
        found = runs.annotate(**probes).values_list(*probes)[:1]
        present = next(iter(found), ())
        return [start for start, there in zip(starts, present, strict=False) if there]


def run_date_hierarchy(changelist: ChangeList) -> dict[str, Any] | None:
    """Django's date_hierarchy context, its periods read by _Periods."""
    probed = copy.copy(changelist)
    probed.queryset = _Periods(changelist)
    return date_hierarchy(probed)
