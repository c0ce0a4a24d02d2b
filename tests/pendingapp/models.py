from __future__ import annotations

from django.db import models


class Widget(models.Model):
    """A model whose field was added without a migration: makemigrations would write one."""

    name = models.CharField(max_length=50)
    colour = models.CharField(max_length=20, default="blue")

    class Meta:
        app_label = "pendingapp"

    def __str__(self) -> str:
        return self.name
