# Candour: `make run` starts the demo trust; `make test` runs the whole suite. Both set themselves up.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
MANAGE := $(PY) manage.py
CHROMIUM := /usr/bin/chromium

.PHONY: help setup run test bench bench-england lint format lock check-deploy browser-deps

help:
	@echo "make run    start Candour with the Northmoor demo trust on http://127.0.0.1:8000"
	@echo "            (another address: CANDOUR_ADDRESS=127.0.0.1:8025 make run)"
	@echo "make test   run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make bench  build a trust-year of data and print the benchmark table"
	@echo "make bench-england  ten trust-years of CAD incidents on the local PostgreSQL (hours)"
	@echo "make lint   ruff, djlint and the migrations check"

# The virtual environment is rebuilt only when a lock file changes.
.venv/.installed: requirements/bootstrap.txt requirements/dev.txt
	@echo "Setting up: installing the Python packages from requirements/ (the first time takes a few minutes) ..."
	@test -x $(PY) || python3 -m venv .venv
	@.venv/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/bootstrap.txt
	@.venv/bin/uv pip sync --quiet --compile-bytecode --python $(PY) requirements/dev.txt
	@touch $@

node_modules/.installed: package-lock.json scripts/vendor_assets.py
	@echo "Setting up: installing the NHS.UK frontend and axe-core with npm ci ..."
	@npm ci --no-audit --no-fund --loglevel=error
	@python3 scripts/vendor_assets.py
	@touch $@

setup: .venv/.installed node_modules/.installed
	@mkdir -p var

# WeasyPrint needs Pango; journeys need Debian's Chromium. Installed when we may, otherwise one clear line.
browser-deps:
	@bash scripts/system-deps.sh

run: setup
	@echo "Migrating the database ..."
	@$(MANAGE) migrate --no-input --verbosity 0
	@echo "Building the demo trust if the database is empty (about half a minute the first time) ..."
	@$(MANAGE) seed_demo --if-empty
	@echo "Starting the web server, the task worker and the scheduler ..."
	@bash scripts/run.sh

# The slowest tests are listed at the end, where a slower suite shows which tests to look at first.
test: setup browser-deps
	@$(PY) -m pytest -n 2 --dist loadgroup --durations=30 $(PYTEST_ARGS)

bench: setup browser-deps .venv/.bench-installed
	@$(PY) -m bench

# England's scale on the local PostgreSQL: ten trust-years of CAD incidents; hours on two cores, so not in bench.
bench-england: setup
	@$(PY) -m bench.england

# The bench's own reference engine, added beside the locked environment (and again whenever that is rebuilt).
.venv/.bench-installed: requirements/bench.txt .venv/.installed
	@echo "Setting up the benchmark: installing its reference engine from requirements/bench.txt ..."
	@.venv/bin/uv pip install --quiet --python $(PY) --require-hashes -r requirements/bench.txt
	@touch $@

lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/djlint candour --lint --quiet
	@$(MANAGE) makemigrations --check --dry-run --verbosity 0

# The README's production steps on a throwaway key: migrate, collectstatic, check --deploy, gunicorn.
check-deploy: setup
	@$(PY) scripts/check_production.py

format: setup
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

# The lock files, made again from pyproject.toml (and uv's own pin): versions with hashes, no registry address.
UV_COMPILE := .venv/bin/uv pip compile --quiet --python-version 3.11 --generate-hashes --no-header
lock: .venv/.installed
	@$(UV_COMPILE) pyproject.toml -o requirements/base.txt
	@$(UV_COMPILE) pyproject.toml --group dev -o requirements/dev.txt
	@$(UV_COMPILE) --group pyproject.toml:bench -o requirements/bench.txt
	@echo "uv==$$(.venv/bin/uv --version | cut -d' ' -f2)" | $(UV_COMPILE) - -o requirements/bootstrap.txt
	@! grep -l -E "https?://" requirements/*.txt || { echo "a lock file names an address" >&2; exit 1; }
	@echo "Lock files written: requirements/base.txt, dev.txt, bench.txt, bootstrap.txt"
