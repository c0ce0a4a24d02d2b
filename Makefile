# deploycheck's tasks. `make demo` and `make test` are the two commands a newcomer needs.
#   PYTHON   the interpreter that creates the virtualenv (default python3)
#   DJANGO   the Django series to install: 5.2, 6.0 or 6.1 (default 5.2)
#   POSTGRES_URL  when set, `make test` runs the suite a second time on that PostgreSQL server

PYTHON ?= python3
DJANGO ?= 5.2
VENV ?= .venv-$(notdir $(PYTHON))-django$(DJANGO)
BIN := $(VENV)/bin
PYTEST_ARGS ?=
MANAGE := ../$(BIN)/python manage.py

.PHONY: demo test lint bench messages wheel clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[example,test,lint]" "Django~=$(DJANGO).0"
	touch $@

demo: $(VENV)/.installed
	cd example_project && $(MANAGE) migrate --no-input -v 0
	@echo "== development-like settings (DEMO_PROFILE=development): expect warnings =="
	cd example_project && $(MANAGE) deploycheck; echo "exit status: $$?"
	@echo "== production-like settings (DEMO_PROFILE=production): expect a pass =="
	cd example_project && DEMO_PROFILE=production \
		SECRET_KEY="$$(../$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(MANAGE) deploycheck --quiet; echo "exit status: $$?"

test: $(VENV)/.installed
	@echo "== $$($(BIN)/python -c 'import django, sys; print(f"Django {django.get_version()} on Python {sys.version.split()[0]}")'), SQLite =="
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$(POSTGRES_URL)" ]; then \
		echo "== PostgreSQL =="; \
		DATABASE_URL="$(POSTGRES_URL)" $(BIN)/python -m pytest $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "POSTGRES_URL is not set: CI must run the suite on PostgreSQL too." >&2; exit 1; \
	else \
		echo "POSTGRES_URL is not set: the PostgreSQL pass was skipped (see README, Running the tests)."; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy deploycheck tests bench example_project

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

messages: $(VENV)/.installed
	cd deploycheck && ../$(BIN)/django-admin makemessages -l fr --no-location --no-obsolete && ../$(BIN)/django-admin compilemessages

wheel: $(VENV)/.installed
	$(BIN)/python -m pip wheel --no-deps --wheel-dir dist .

clean:
	rm -rf .venv-* build dist *.egg-info example_project/db.sqlite3
