# Thin wrappers; see the README. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# Tests run with DEBUG off, as in production; they need a (throwaway) key.
TEST_ENV := SECRET_KEY=test-only-not-a-secret
# Test processes (pytest-xdist): one per core; TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= auto

.PHONY: install run serve test test-browser bench drill lint format messages check-messages screenshots

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) compilemessages --ignore '.venv' --verbosity 0
	DEBUG=1 $(MANAGE) load_demo_content
	DEBUG=1 $(MANAGE) published_rebuild --if-settings-changed --verbosity 0
	@echo "Admin: create a user with 'DEBUG=1 $(MANAGE) createsuperuser', then open http://$(HOST):$(PORT)/admin/"
	@# The task worker (webhook deliveries) runs beside the server and stops with it.
	DEBUG=1 $(MANAGE) db_worker --queue-name '*' --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# As in production: gunicorn (gunicorn.conf.py), DEBUG off, WhiteNoise static files.
# Needs SECRET_KEY (and DATABASE_URL, REDIS_URL, ALLOWED_HOSTS for a real deployment).
serve: install
	$(MANAGE) migrate --noinput
	$(MANAGE) published_rebuild --if-settings-changed --verbosity 0
	STATIC_MANIFEST=1 $(MANAGE) collectstatic --noinput --verbosity 0
	STATIC_MANIFEST=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn clinic.wsgi:application -c gunicorn.conf.py

# --dist worksteal: schemathesis gives all its API operations one test id, so grouping
# schedulers (loadfile, loadscope, loadgroup) would silently drop them.
test: install
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The real-browser admin tests alone (installs Debian's chromium if missing).
test-browser: install
	scripts/install-browser
	$(TEST_ENV) $(BIN)/pytest -m browser tests/browser -p no:randomly $(PYTEST_ARGS)

# Load benchmark (see bench/README.md): N=1000 by default; `make bench ARGS=--scale` with
# DATABASE_URL on PostgreSQL for the 1,000 vs 100,000 articles run.
bench: install
	$(BIN)/python -m bench.run $(ARGS)

# Fault drill (docs/operations.md, "Faults"): steady load while Redis stops, PostgreSQL restarts
# and a worker is killed, on a PostgreSQL cluster and a Redis server of its own; about a minute.
drill: install
	$(BIN)/python -m bench.faults.drill $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	DEBUG=1 $(MANAGE) makemessages --all --ignore '.venv' --ignore 'bench' --ignore 'tests' --no-obsolete --add-location file
	DEBUG=1 $(MANAGE) makemessages_js
	DEBUG=1 $(MANAGE) compilemessages --ignore '.venv'

check-messages: install
	$(TEST_ENV) $(MANAGE) check_messages

# The admin's main pages in English and Arabic, for docs/editors.md (docs/screenshots/*.png).
screenshots: install
	scripts/install-browser
	$(BIN)/python scripts/screenshots.py
