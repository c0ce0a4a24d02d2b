from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # status.json, metrics and badge.svg: closed (404) until DEPLOYCHECK_STATUS_TOKEN is set.
    path("deploycheck/", include("deploycheck.urls")),
]
