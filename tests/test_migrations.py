from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.projects import SHAPES
from tests.projects.exercise import RUN_FIELDS

BEFORE = ("deploycheck", "0002_overview")
AFTER = ("deploycheck", "0003_triggered_by_username")
NOON = RUN_FIELDS["finished_at"]


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # Exits 1 (SystemExit) when a migration is missing.
    call_command("makemigrations", "deploycheck", check=True, dry_run=True, verbosity=0)


@pytest.mark.slow
def test_models_and_migrations_agree_in_every_project_shape(manage):
    # 0001 and 0003 differ by shape (a user key only with a user model): each must end where the models are.
    found = {}
    for shape in SHAPES:
        process = manage(
            "makemigrations", "--check", "--dry-run", env={"DJANGO_SETTINGS_MODULE": shape.settings_module}
        )
        found[shape.name] = (process.returncode, process.stdout.strip(), process.stderr.strip())
    assert found == dict.fromkeys(found, (0, "No changes detected", ""))


def migrate(executor: MigrationExecutor, target: tuple[str, str]):
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_runs_keep_who_started_them_when_the_user_key_becomes_text():
    executor = MigrationExecutor(connection)
    try:
        old = migrate(executor, BEFORE)
        User, CheckRun = old.get_model("auth", "User"), old.get_model("deploycheck", "CheckRun")
        ada, gone = User.objects.create(username="ada"), User.objects.create(username="gone")
        runs = [
            CheckRun.objects.create(started_at=NOON - timedelta(hours=hours), triggered_by=user, **RUN_FIELDS).pk
            for hours, user in enumerate([ada, ada, gone, None])
        ]
        gone.delete()  # before the migration: SET_NULL left nothing to copy

        new = migrate(executor, AFTER)
        names = dict(new.get_model("deploycheck", "CheckRun").objects.values_list("pk", "triggered_by"))
        assert [names[pk] for pk in runs] == ["ada", "ada", "", ""]

        # Back again: the usernames that still name a user become keys.
        old = migrate(executor, BEFORE)
        keys = dict(old.get_model("deploycheck", "CheckRun").objects.values_list("pk", "triggered_by"))
        assert [keys[pk] for pk in runs] == [ada.pk, ada.pk, None, None]
    finally:
        migrate(executor, executor.loader.graph.leaf_nodes("deploycheck")[0])


@pytest.mark.slow
def test_runs_keep_who_started_them_with_a_custom_user_model(manage):
    # Its username is an e-mail address, in a field named "email".
    environment = {"DJANGO_SETTINGS_MODULE": "tests.projects.custom_user.settings"}
    assert manage("migrate", "--no-input", "-v0", env=environment).returncode == 0
    code = "from tests.projects import exercise; exercise.main('migration')"
    process = manage("shell", "--no-imports", "-c", code, env=environment)
    assert process.returncode == 0, process.stderr
    assert json.loads(process.stdout) == {"triggered_by": ["ada@example.com"]}
