from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from deploycheck.admin import CheckRunAdmin, OverviewAdmin
from deploycheck.models import CheckRun, Overview


class StaffSite(admin.AdminSite):
    site_header = "Back office"


# Registered here as the README says; deploycheck also stays on the default site, at admin/.
staff_site = StaffSite(name="staff")
staff_site.register(User, UserAdmin)
staff_site.register(CheckRun, CheckRunAdmin)
staff_site.register(Overview, OverviewAdmin)
