from __future__ import annotations

from django.contrib import admin
from django.urls import path

from tests.projects.custom_admin.sites import staff_site

urlpatterns = [
    path("backoffice/", staff_site.urls),
    path("admin/", admin.site.urls),
]
