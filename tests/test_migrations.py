from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # Exits 1 (SystemExit) when a migration is missing.
    call_command("makemigrations", "deploycheck", check=True, dry_run=True, verbosity=0)
