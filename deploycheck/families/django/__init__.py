"""The ``django`` family: Django's own system checks, deployment checks included, and their words."""
