"""Run in a shape's own process by `django-admin shell -c "...exercise.main('api')"`.

main() prints one JSON document of what happened; tests/test_project_shapes.py judges it.

- ``api``: deploycheck.run() twice (DEBUG off, then on: a regression), who started each run,
  the signals received and the e-mail to ADMINS; then the user is deleted and the runs re-read.
- ``migration``: back to before 0003, a run started by a user, then forward: what the run says.
- ``admin PREFIX``: every deploycheck admin page of the site mounted at PREFIX, as a superuser,
  with the links each HTML page holds to any admin site.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any


def user_model() -> Any:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ImproperlyConfigured

    try:
        return get_user_model()
    except ImproperlyConfigured:  # no django.contrib.auth: no user model at all
        return None


def make_user(name: str, **fields: Any) -> Any:
    model = user_model()
    if model is None:
        return None
    username = f"{name}@example.com" if model.USERNAME_FIELD == "email" else name
    return model.objects.create_user(**{model.USERNAME_FIELD: username}, password="pw", **fields)


def exercise_api() -> dict[str, Any]:
    from django.core import mail
    from django.test import override_settings

    import deploycheck
    from deploycheck.models import CheckRun
    from deploycheck.signals import regression, run_finished

    finished: list[int] = []
    regressed: list[dict[str, Any]] = []

    def on_finished(sender: Any, run: CheckRun, **kwargs: Any) -> None:
        finished.append(run.pk)

    def on_regression(sender: Any, run: CheckRun, previous: CheckRun, regressions: Any, **kwargs: Any) -> None:
        checks = [result.message_id for result in regressions]
        regressed.append({"run": run.pk, "previous": previous.pk, "checks": checks})

    run_finished.connect(on_finished)
    regression.connect(on_regression)

    user = make_user("ada")
    first = deploycheck.run(check_ids=["security.W018"], user=user)
    with override_settings(DEBUG=True):
        second = deploycheck.run(check_ids=["security.W018"], user="release-bot")
    if user is not None:
        user.delete()
    return {
        "runs": [
            {"pk": run.pk, "outcome": run.outcome, "trigger": run.trigger, "triggered_by": run.triggered_by}
            for run in CheckRun.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk")
        ],
        "run_finished": finished,
        "regression": regressed,
        "mail": [{"to": message.to, "subject": message.subject} for message in getattr(mail, "outbox", [])],
    }


# What a CheckRun needs besides who and when, in every migration state.
RUN_FIELDS: dict[str, Any] = {
    "finished_at": datetime(2026, 1, 1, 12, tzinfo=timezone.utc),
    "duration": timedelta(seconds=1),
    "trigger": "admin",
    "outcome": "passed",
    "fail_level": 40,
    "django_version": "5.2",
    "python_version": "3.12",
    "deploycheck_version": "0.1.0",
}


def exercise_migration() -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from deploycheck.models import CheckRun

    before = ("deploycheck", "0002_overview")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state(before).apps
    model = user_model()
    ada = old.get_model(settings.AUTH_USER_MODEL).objects.create(**{model.USERNAME_FIELD: "ada@example.com"})
    started_at = RUN_FIELDS["finished_at"] - RUN_FIELDS["duration"]
    old.get_model("deploycheck", "CheckRun").objects.create(started_at=started_at, triggered_by=ada, **RUN_FIELDS)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("deploycheck"))
    return {"triggered_by": list(CheckRun.objects.values_list("triggered_by", flat=True))}


# A link or form into either admin site the shapes mount.
ADMIN_LINK = re.compile(r'(?:href|action)="(/(?:admin|backoffice)/[^"]*)"')


def exercise_admin(prefix: str) -> dict[str, Any]:
    from django.test import Client, override_settings

    import deploycheck

    # Called once per admin site of a project: the superuser may exist already.
    user = user_model().objects.filter(is_superuser=True).first() or make_user("root", is_staff=True, is_superuser=True)
    with override_settings(DEBUG=True):
        deploycheck.run(check_ids=["security.W018"])
    run = deploycheck.run(check_ids=["security.W018"])
    client = Client()
    client.force_login(user)
    base = f"/{prefix}deploycheck/"
    pages = [
        f"/{prefix}",
        f"{base}checkrun/",
        f"{base}checkrun/{run.pk}/change/",
        f"{base}checkrun/overview/",
        f"{base}checkrun/history/security.W018/",
        f"{base}checkrun/{run.pk}/export.json",
        f"{base}checkrun/{run.pk}/export.csv",
        f"{base}overview/",
    ]
    status: dict[str, int] = {}
    location: dict[str, str] = {}
    links: dict[str, list[str]] = {}
    for url in pages:
        response = client.get(url, secure=True)
        status[url] = response.status_code
        if response.status_code == 302:
            location[url] = response["Location"]
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            links[url] = sorted(set(ADMIN_LINK.findall(response.content.decode())))
    run_now = f"{base}checkrun/run/"
    response = client.post(run_now, secure=True)
    status[run_now] = response.status_code
    location[run_now] = response.get("Location", "")
    return {"status": status, "location": location, "links": links, "run": run.pk}


def main(task: str, *arguments: str) -> None:
    from django.test import override_settings

    from tests.secure import mail_backend_setting

    exercises: dict[str, Callable[..., dict[str, Any]]] = {
        "api": exercise_api,
        "migration": exercise_migration,
        "admin": exercise_admin,
    }
    # The projects send mail over SMTP, as in production; here it is kept in memory.
    with override_settings(**mail_backend_setting("django.core.mail.backends.locmem.EmailBackend")):
        document = exercises[task](*arguments)
    print(json.dumps(document))
