from __future__ import annotations

from django.apps import AppConfig


class PendingAppConfig(AppConfig):
    name = "tests.pendingapp"
    label = "pendingapp"
    # Its migration was written with AutoField; Django 6 would otherwise default to BigAutoField.
    default_auto_field = "django.db.models.AutoField"
