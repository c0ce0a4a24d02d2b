"""The shape of the admin's page head in the installed Django, so that deploycheck's pages match it.

deploycheck's pages draw their own breadcrumbs (a longer path than the admin's default, home then
title) and their own object tools. The admin changed both in Django 6.1:

- breadcrumbs: up to 6.0 a ``<div class="breadcrumbs">`` of links separated by &rsaquo;; from 6.1 an
  ``<ol class="breadcrumbs">`` of ``<li>``, the current page marked ``aria-current="page"``, the
  separators drawn by CSS. Each version's stylesheet styles only its own markup.
- object tools: up to 6.0 a ``<ul class="object-tools">`` at the top of the content (5.2 floats it up
  beside the title, 6.0 gives it a row of its own); from 6.1 base.html has a ``titles-and-tools``
  row, and the tools belong in its ``object-tools`` block, outside the content.

Both changed with the same release, so one comparison of versions decides both; it is made here only,
from the version Django reports, as Django's own templates follow it.
"""

from __future__ import annotations

from typing import Any

import django

# Django 6.1's page head: breadcrumbs as a list, object tools beside the title.
ADMIN_HEAD_6_1 = django.VERSION[:2] >= (6, 1)


def context() -> dict[str, Any]:
    """What deploycheck's templates read to place their object tools."""
    return {"deploycheck_tools_beside_title": ADMIN_HEAD_6_1}
