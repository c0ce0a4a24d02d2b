"""The status endpoint, the metrics and the badge, opt-in:

path("deploycheck/", include("deploycheck.urls"))
"""

from __future__ import annotations

from django.urls import path

from deploycheck.web import status_views as views

app_name = "deploycheck"
urlpatterns = [
    path("status.json", views.status_json, name="status"),
    path("metrics", views.metrics, name="metrics"),
    path("badge.svg", views.badge_svg, name="badge"),
]
