# The one entry point: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
DEV := DJANGO_DEBUG=1

.PHONY: run test check lint format setup clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

# The tests also check pages with axe-core, from npm (package-lock.json); serving does not.
$(VENV)/.test-deps: pyproject.toml package-lock.json | $(BIN)/python
	$(PIP) -e '.[test]'
	npm ci --no-audit --no-fund
	touch $@ $(VENV)/.run-deps

## Set up a development database with the Tashkent 2013 records and the demo accounts.
## Run on every start: each step leaves alone what is already there (load_records loads
## a fixture into a database once, so the records staff changed since stay as they are).
setup: $(VENV)/.run-deps
	$(DEV) $(BIN)/python manage.py compile_translations
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_records fixtures/tashkent_2013.json
	$(DEV) $(BIN)/python manage.py demo_accounts

## Serve the site in development mode on 127.0.0.1:$(PORT).
run: setup
	@echo "Cooperation Tracker: http://127.0.0.1:$(PORT)/"
	$(DEV) $(BIN)/python manage.py runserver --skip-checks 127.0.0.1:$(PORT)

## Run the whole suite on the database DATABASE_URL names (SQLite when unset). The
## translation catalogues are compiled when the suite starts (tests/environment.py).
test: $(VENV)/.test-deps
	$(BIN)/python -m pytest

## What CI checks besides the tests.
check: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.test-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules cooperation.sqlite3 staticfiles
	find locale */locale -name '*.mo' -delete

# Benchmarks: not part of `test` or CI; they take minutes and write bench/RESULTS.md.
.PHONY: bench loadtest

## Time the pages at 100, 1,000 and 10,000 synthetic agreements (bench/bench-N.sqlite3,
## or a schema bench_N in the PostgreSQL database DATABASE_URL names); write bench/RESULTS.md.
bench: $(VENV)/.test-deps
	$(BIN)/python bench/run.py

## Serve 10,000 synthetic agreements (bench/bench.sqlite3, seeded once, or the database
## DATABASE_URL names) with gunicorn and load it with wrk; append the figures to bench/RESULTS.md.
loadtest: $(VENV)/.test-deps
	$(BIN)/python bench/loadtest.py
