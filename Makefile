# claimgraph: `make run` serves the seeded API, `make test` runs the everyday suite. Both set up
# everything they need (a virtual environment in .venv) on a machine with Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
IDE_BUILT := claimgraph/api/ide/static/.built

.DEFAULT_GOAL := help
.PHONY: help install run test test-all lint format migrate seed schema ide audit soak clean extract-eval bench-extract

help: ## Show the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "claimgraph needs Python 3.11 or newer; run make PYTHON=python3.11 …")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(INSTALLED)

run: $(INSTALLED) ide ## Set up, migrate the database, load the seed and serve on http://127.0.0.1:8000/graphql
	$(BIN)/claimgraph up

test: $(INSTALLED) ## Run the everyday suite: no slow tests, a quarter of the generated examples (SQLite; PostgreSQL too when CLAIMGRAPH_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

test-all: $(INSTALLED) ## Run every test with every generated example, as CI does
	CLAIMGRAPH_TEST_EXAMPLES=full $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED) ## Check style, formatting, types, the rooms' import rules and the Dockerfile
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

format: $(INSTALLED) ## Format the code and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(INSTALLED) ## Migrate the database (DATABASE_URL) to the latest schema
	$(BIN)/claimgraph db upgrade

seed: $(INSTALLED) ## Load the shipped seed (idempotent)
	$(BIN)/claimgraph seed load

schema: $(INSTALLED) ## Write schema.graphql from the code
	$(BIN)/strawberry export-schema claimgraph.api.graphql.schema:schema --output schema.graphql

ide: ## Build the self-hosted GraphiQL IDE (needs Node.js and npm; skipped without them)
	@if [ -f $(IDE_BUILT) ] && [ -z "$$(find ide/package.json ide/package-lock.json ide/src ide/scripts ide/vite.config.js -newer $(IDE_BUILT) 2>/dev/null)" ]; then \
		echo "IDE assets are up to date"; \
	elif command -v npm >/dev/null 2>&1; then \
		(cd ide && npm ci --no-audit --no-fund --loglevel=error && npm run build) && touch $(IDE_BUILT); \
	else \
		echo "npm not found: the IDE page will load GraphiQL from a CDN (install Node.js and npm, then make ide)"; \
	fi

.PHONY: bench
bench: $(INSTALLED) ## Load-test the server (SQLite, PostgreSQL; seed, 1M synthetic; needs wrk), then issue 16's side-by-side with PostGraphile (bench/honest.py): BENCH_STATEMENTS, BENCH_DURATION
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/honest.py $(BENCH_ARGS)

audit: $(INSTALLED) ## Check the installed dependencies for known vulnerabilities (PyPI advisories)
	$(BIN)/python scripts/audit_dependencies.py

soak: $(INSTALLED) ## Soak the server: 32 clients, valid and abusive queries, 5 min (SOAK_SECONDS)
	$(BIN)/python scripts/soak.py $(SOAK_ARGS)

extract-eval: $(INSTALLED) ## Score the extractor (claimgraph ingest) against the gold set in tests/extract/gold
	$(BIN)/python -m claimgraph.extract.evaluate tests/extract/gold

bench-extract: $(INSTALLED) ## Time the extractor on a 1,000-word article (spaCy start-up apart)
	$(BIN)/python -m claimgraph.extract.bench tests/extract/gold

clean: ## Remove the virtual environment, the local database and build output
	rm -rf $(VENV) var claimgraph/api/ide/static ide/node_modules .pytest_cache .mypy_cache .ruff_cache
