# Congés solidaires — the two commands: `make run` and `make test`. `make help` lists the others.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_WORKERS ?= 2
STAMP := $(VENV)/.installed
VENDOR := app/static/vendor
ASSETS := $(VENDOR)/.installed

.DEFAULT_GOAL := help
.PHONY: help install assets translations db run test test-unit test-integration test-e2e lint fmt bench system-deps browser clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@touch $@

install: $(STAMP) ## Create .venv and install the project with its development tools

# The browser libraries (Tom Select), pinned by package-lock.json, served from app/static/vendor/ (no CDN).
$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@mkdir -p $(VENDOR)
	cp node_modules/tom-select/dist/js/tom-select.base.min.js node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css $(VENDOR)/
	@touch $@

assets: $(ASSETS) ## Install the browser libraries (npm ci) and copy them into app/static/vendor/

system-deps: ## Install the Debian packages the app needs (fonts and libraries for PDF) when missing
	@./scripts/system-deps.sh app

browser: ## Install Debian's chromium for the browser tests when missing
	@./scripts/system-deps.sh browser

translations: install ## Compile the French catalog (flask i18n compile)
	@$(FLASK) i18n compile --quiet

db: install translations ## Upgrade the database to the latest migration
	$(FLASK) db upgrade

# The e-mails are printed on the console (MAIL_ECHO) with links to the port served, unless SERVER_BASE_URL is set.
BASE_URL_ENV = SERVER_BASE_URL=$${SERVER_BASE_URL:-http://$(HOST):$(PORT)}
run: system-deps assets db ## Install, migrate, load demo data on an empty database and serve on http://$(HOST):$(PORT)
	$(BASE_URL_ENV) $(FLASK) demo-data --if-empty
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl+C to stop); the e-mails sent are printed here"
	$(BASE_URL_ENV) $(FLASK) run --host $(HOST) --port $(PORT) --no-debugger --no-reload

test: system-deps browser assets translations ## Run the whole suite (unit, integration, browser) with coverage; TEST_DATABASE_URL picks the database
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

test-unit: translations ## Unit tests only
	$(VENV)/bin/pytest tests/unit $(PYTEST_ARGS)

test-integration: translations ## Integration tests only
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) tests/integration $(PYTEST_ARGS)

test-e2e: browser assets translations ## Browser tests only
	$(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

bench: translations ## Benchmark at city scale next to a hello-world (gunicorn, wrk, PostgreSQL); BENCH_ARGS="--sqlite"
	@./scripts/system-deps.sh bench
	$(VENV)/bin/python -m benchmarks $(BENCH_ARGS)

lint: install ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install ## Format and fix the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean: ## Remove the virtual environment and caches (keeps instance/)
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .ruff_cache .coverage htmlcov
