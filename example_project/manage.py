#!/usr/bin/env python
"""The example project's manage.py, laid out as on Heroku."""

from __future__ import annotations

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # Lets the example run from a checkout without installing deploycheck.
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
