"""`make demo-admin`: deploycheck's admin with a history to read, without a Heroku account or token.

Starts the stand-in of the Platform API (heroku_standin.py) on 127.0.0.1, makes the database
demo-admin.sqlite3 anew, records four runs as the apps' dynos would (``manage.py deploycheck`` with
Heroku's dyno variables): a full run of weareone-production (failing) and of weareone-staging
(passing), production's next release (a check newly failing, another fixed), and a partial run
of staging (``--tag heroku``). Then creates a superuser with a random password and serves the
admin with ``runserver`` until Ctrl-C, which stops both. ``--no-serve`` stops after the superuser.

Run from example_project/: ``python demo_admin.py [--port 8000] [--no-serve]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from heroku_standin import PRODUCTION, STAGING, TOKEN, StandIn, release_v121

HERE = Path(__file__).resolve().parent
DATABASE = HERE / "demo-admin.sqlite3"
USERNAME = "demo"
DOMAINS = {
    PRODUCTION: [f"{PRODUCTION}.herokuapp.com", "www.weareone.example"],
    STAGING: [f"{STAGING}.herokuapp.com", "staging.weareone.example"],
}
# What the caller's shell may hold that would change what is recorded, or where.
CLEARED = {
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DEBUG",
    "DEMO_PROFILE",
    "DYNO",
    "EMAIL_BACKEND",
    "SECRET_KEY",
    "SOURCE_VERSION",
    "STATIC_URL",
}
CLEARED_PREFIXES = ("DEPLOYCHECK_", "DJANGO_", "HEROKU_")

WORDS = {
    "en": {
        "standin": "Heroku Platform API stand-in: {url} (a fake token; nothing leaves this machine)",
        "database": "database: {path}, made anew",
        "run": "{number}/{total} {app}, {what}",
        "v120": "release v120, release phase, every check",
        "v57": "release v57, release phase, every check",
        "v121": "release v121: Papertrail added (a fix), www.weareone.example added but not certified (a regression)",
        "partial": "Heroku Scheduler, --tag heroku only (a partial run)",
        "login": "the admin: {url}\n  user {user}, password {password} (random, made for this database only)",
        "serve": "runserver on 127.0.0.1:{port}; Ctrl-C stops it and the stand-in",
        "stopped": "stopped: runserver and the stand-in",
        "failed": "{command} failed with exit status {status}:",
        "port": "127.0.0.1:{port} is taken; choose another port: make demo-admin DEMO_PORT={other}",
    },
    "fr": {
        "standin": "remplaçant de l'API Platform de Heroku : {url} (un faux jeton ; rien ne sort de cette machine)",
        "database": "base de données : {path}, refaite à neuf",
        "run": "{number}/{total} {app}, {what}",
        "v120": "release v120, phase de release, tous les contrôles",
        "v57": "release v57, phase de release, tous les contrôles",
        "v121": "release v121 : Papertrail ajouté (une correction), www.weareone.example ajouté sans certificat "
        "(une régression)",
        "partial": "Heroku Scheduler, --tag heroku seulement (une exécution partielle)",
        "login": "l'admin : {url}\n  utilisateur {user}, mot de passe {password} (aléatoire, pour cette base seule)",
        "serve": "runserver sur 127.0.0.1:{port} ; Ctrl-C l'arrête, avec le remplaçant",
        "stopped": "arrêtés : runserver et le remplaçant",
        "failed": "{command} a échoué, statut de sortie {status} :",
        "port": "127.0.0.1:{port} est occupé ; choisissez un autre port : make demo-admin DEMO_PORT={other}",
    },
}


@dataclass(frozen=True)
class Run:
    """One recorded run: the app's dyno that runs it, the release it looks at, and what changed before it."""

    app: str
    release: str
    dyno: str
    words: str
    options: tuple[str, ...] = ()
    change: Callable[[], dict[str, Any]] | None = field(default=None, compare=False)


HISTORY = (
    Run(PRODUCTION, "v120", "release.1", "v120"),
    Run(STAGING, "v57", "release.1", "v57"),
    Run(PRODUCTION, "v121", "release.1", "v121", change=release_v121),
    Run(STAGING, "v57", "scheduler.4711", "partial", options=("--tag", "heroku")),
)


def language() -> str:
    # As the Makefile chooses: fr or fr-*, else English.
    code = os.environ.get("LANGUAGE_CODE", "").lower()
    return "fr" if code == "fr" or code.startswith("fr-") else "en"


def environment(standin_url: str) -> dict[str, str]:
    """What every manage.py process gets: the demo's database, the stand-in and its token, no proxy."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if name not in CLEARED and not name.startswith(CLEARED_PREFIXES)
    }
    return {
        **kept,
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "DEPLOYCHECK_HEROKU_API_URL": standin_url,
        "HEROKU_API_KEY": TOKEN,
        # A proxy set in the shell would otherwise see the requests to 127.0.0.1.
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }


def run_environment(base: dict[str, str], run: Run, secret_key: str) -> dict[str, str]:
    """The variables a dyno of ``run.app`` has (with runtime-dyno-metadata), and the app's settings."""
    commit = hashlib.sha1(f"{run.app} {run.release}".encode()).hexdigest()
    return {
        **base,
        "DEMO_PROFILE": "production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": ",".join(DOMAINS[run.app]),
        "STATIC_URL": "https://cdn.weareone.example/static/",
        "HEROKU_APP_NAME": run.app,
        "HEROKU_RELEASE_VERSION": run.release,
        "HEROKU_SLUG_COMMIT": commit,
        "DYNO": run.dyno,
    }


def manage(env: dict[str, str], *args: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    """Run manage.py; any exit status outside ``ok`` ends the demo, with what the command said."""
    completed = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=HERE, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode not in ok:
        words = WORDS[language()]
        print(words["failed"].format(command=f"manage.py {args[0]}", status=completed.returncode), file=sys.stderr)
        print(completed.stdout + completed.stderr, file=sys.stderr)
        raise SystemExit(1)
    return completed


def record(standin: StandIn, base: dict[str, str]) -> None:
    """The four runs of HISTORY, each printed as its step and the command's summary line."""
    words = WORDS[language()]
    secret_key = secrets.token_urlsafe(50)
    for number, run in enumerate(HISTORY, start=1):
        if run.change is not None:
            standin.change(run.change())
        print(words["run"].format(number=number, total=len(HISTORY), app=run.app, what=words[run.words]))
        # Exit status 1 is production failing, as the demo means it to.
        completed = manage(run_environment(base, run, secret_key), "deploycheck", "--quiet", *run.options, ok=(0, 1))
        print("    " + completed.stdout.strip().splitlines()[-1])


def create_superuser(base: dict[str, str]) -> str:
    """A superuser with a new random password: anyone on this machine can reach 127.0.0.1."""
    password = secrets.token_urlsafe(12)
    env = {**base, "DJANGO_SUPERUSER_PASSWORD": password}
    manage(env, "createsuperuser", "--no-input", "--username", USERNAME, "--email", "demo@weareone.example")
    return password


def port_is_free(port: int) -> bool:
    # Asked before recording, so that a taken port does not end the demo after the history is made.
    with socket.socket() as probe:
        # As runserver binds: a port left in TIME_WAIT by the last demo is free to it.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(base: dict[str, str], port: int) -> int:
    """runserver with the development settings until it ends; Ctrl-C or SIGTERM ends it."""
    env = {
        **base,
        # "Run checks now" in the admin then reads both apps from the stand-in too.
        "DEPLOYCHECK_HEROKU_APPS": f"{PRODUCTION},{STAGING}",
        "ALLOWED_HOSTS": ",".join(["127.0.0.1", "localhost", *DOMAINS[PRODUCTION], *DOMAINS[STAGING]]),
    }
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(command, cwd=HERE, env=env)
    try:
        return server.wait()
    except KeyboardInterrupt:
        # Ctrl-C is how the demo ends, as runserver's own ends with 0.
        return 0
    finally:
        # Ctrl-C in a terminal reaches runserver too; a signal sent to this process alone does not.
        try:
            server.wait(timeout=1)
        except subprocess.TimeoutExpired:
            server.terminate()
            server.wait()
        print(WORDS[language()]["stopped"], flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8000, help="runserver's port on 127.0.0.1 (default 8000)")
    parser.add_argument("--no-serve", action="store_true", help="record the history and stop, without runserver")
    options = parser.parse_args(argv)
    words = WORDS[language()]
    if not options.no_serve and not port_is_free(options.port):
        print(words["port"].format(port=options.port, other=options.port + 1), file=sys.stderr)
        return 2
    # Started in the background by a shell, Python would ignore SIGINT, and so would runserver.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    DATABASE.unlink(missing_ok=True)
    standin = StandIn().start()
    try:
        base = environment(standin.url)
        print(words["standin"].format(url=standin.url))
        print(words["database"].format(path=DATABASE))
        manage(base, "migrate", "--no-input", "-v", "0")
        record(standin, base)
        password = create_superuser(base)
        url = f"http://127.0.0.1:{options.port}/admin/deploycheck/checkrun/"
        print(words["login"].format(url=url, user=USERNAME, password=password), flush=True)
        if options.no_serve:
            return 0
        print(words["serve"].format(port=options.port), flush=True)
        return serve(base, options.port)
    except KeyboardInterrupt:
        # Before the history was complete: the demo did not do what it says.
        print(words["stopped"], flush=True)
        return 130
    finally:
        standin.stop()


if __name__ == "__main__":
    sys.exit(main())
