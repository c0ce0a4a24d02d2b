# deploycheck's tasks. `make demo` and `make test` are the two commands a newcomer needs;
# `make demo-admin` shows the admin with a history, against a stand-in of Heroku's API.
#   PYTHON   the interpreter that creates the virtualenv (default python3)
#   DJANGO   the Django series to install: 5.2, 6.0 or 6.1 (default 5.2)
#   DEMO_PORT     the port `make demo-admin` serves the admin on, on 127.0.0.1 (default 8000)
#   POSTGRES_URL  when set, `make test` runs the suite a second time on that PostgreSQL server
#   SQLITE_ONLY   1: a pass on SQLite alone is meant (CI otherwise refuses to skip PostgreSQL)
#
# Two install stamps, so that each command works alone on a fresh clone:
#   $(VENV)/.installed-demo  the package and its `example` extra: all `make demo` and `make demo-admin` need
#   $(VENV)/.installed-dev   that plus the `test` and `lint` extras, for test, lint, bench, messages

PYTHON ?= python3
DJANGO ?= 5.2
VENV ?= .venv-$(notdir $(PYTHON))-django$(DJANGO)
BIN := $(VENV)/bin
PYTEST_ARGS ?=
DEMO_PORT ?= 8000
# The virtualenv as seen from example_project/ or deploycheck/: a relative VENV is one level up.
SUBDIR_VENV := $(if $(filter /%,$(VENV)),$(VENV),../$(VENV))
MANAGE := $(SUBDIR_VENV)/bin/python manage.py

.PHONY: demo demo-admin test lint bench messages wheel clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[example]" "Django~=$(DJANGO).0"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-demo pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[example,test,lint]" "Django~=$(DJANGO).0"
	touch $@

# The old stamp's name, kept so `make $(VENV)/.installed` still prepares a development virtualenv.
$(VENV)/.installed: $(VENV)/.installed-dev
	touch $@

# The example project, first as a developer's machine, then as a Heroku deployment should be.
# LANGUAGE_CODE (en or fr) picks the report's language, and the language of the lines below;
# `make demo` fails if the second run does not pass.
ifneq ($(filter fr fr-%,$(LANGUAGE_CODE)),)
DEMO_FIRST := == 1/2 réglages de développement (DEMO_PROFILE=development) : attendez des WARNING \
	échoués (DEBUG, HSTS, cookies...), rien au niveau ERROR, statut de sortie 0 ; release.security_advisories \
	est ignoré, la démo tournant hors ligne (DEPLOYCHECK_OSV_API_URL=https://api.osv.dev interroge OSV) ==
DEMO_SECOND := == 2/2 réglages de production (DEMO_PROFILE=production, une SECRET_KEY aléatoire), \
	--quiet : seuls les problèmes et le verdict ; attendez une réussite, statut de sortie 0 ==
EXIT_STATUS := statut de sortie :
DEMO_ADMIN := == l'admin avec un historique, sans jeton : un remplaçant de l'API Platform de Heroku sur \
	127.0.0.1, weareone-production qui échoue, weareone-staging qui réussit, une régression, une exécution \
	partielle ; Ctrl-C arrête tout ==
else
DEMO_FIRST := == 1/2 development-like settings (DEMO_PROFILE=development): expect failed WARNINGs \
	(DEBUG, HSTS, cookies, ...), nothing at ERROR, exit status 0; release.security_advisories is skipped, \
	as the demo runs offline (DEPLOYCHECK_OSV_API_URL=https://api.osv.dev asks OSV) ==
DEMO_SECOND := == 2/2 production-like settings (DEMO_PROFILE=production, a random SECRET_KEY), \
	--quiet: only problems and the verdict; expect a pass, exit status 0 ==
EXIT_STATUS := exit status:
DEMO_ADMIN := == the admin with a history, without a token: a stand-in of Heroku's Platform API on 127.0.0.1, \
	weareone-production failing, weareone-staging passing, a regression, a partial run; Ctrl-C stops it all ==
endif

demo: $(VENV)/.installed-demo
	cd example_project && $(MANAGE) migrate --no-input -v 0
	@echo "$(DEMO_FIRST)"
	cd example_project && $(MANAGE) deploycheck; echo "$(EXIT_STATUS) $$?"
	@echo "$(DEMO_SECOND)"
	cd example_project && DEMO_PROFILE=production \
		SECRET_KEY="$$($(SUBDIR_VENV)/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(MANAGE) deploycheck --quiet; status=$$?; echo "$(EXIT_STATUS) $$status"; exit $$status

# A database of its own (example_project/demo-admin.sqlite3, made anew each time), four recorded
# runs, a superuser with a random password, then runserver; see example_project/demo_admin.py.
demo-admin: $(VENV)/.installed-demo
	@echo "$(DEMO_ADMIN)"
	cd example_project && $(SUBDIR_VENV)/bin/python demo_admin.py --port $(DEMO_PORT)

test: $(VENV)/.installed-dev
	@echo "== $$($(BIN)/python -c 'import django, sys; print(f"Django {django.get_version()} on Python {sys.version.split()[0]}")'), SQLite =="
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$(POSTGRES_URL)" ]; then \
		echo "== PostgreSQL =="; \
		DATABASE_URL="$(POSTGRES_URL)" $(BIN)/python -m pytest $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ] && [ "$(SQLITE_ONLY)" != "1" ]; then \
		echo "POSTGRES_URL is not set: CI must run the suite on PostgreSQL too (SQLITE_ONLY=1 if not in this pass)." >&2; exit 1; \
	else \
		echo "POSTGRES_URL is not set: the PostgreSQL pass was skipped (see README, Running the tests)."; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy deploycheck tests bench example_project

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

messages: $(VENV)/.installed-dev
	cd deploycheck && $(SUBDIR_VENV)/bin/django-admin makemessages -l fr --no-location --no-obsolete && $(SUBDIR_VENV)/bin/django-admin compilemessages

# dist/django_deploycheck-<version>-py3-none-any.whl; building needs only pip (it fetches setuptools itself).
wheel: | $(BIN)/python
	$(BIN)/python -m pip wheel --no-deps --wheel-dir dist .

clean:
	rm -rf .venv-* build dist *.egg-info example_project/db.sqlite3 example_project/demo-admin.sqlite3
