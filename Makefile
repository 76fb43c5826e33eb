# cpop: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WAREHOUSE := data/warehouse/cpop.duckdb
DEMO_WAREHOUSE := data/warehouse/demo.duckdb
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: install warehouse run demo test test-slow lint bench mutate snapshot clean

# The first run installs into .venv from the package index (about a minute); pip's output goes
# to .venv/install.log and is shown only if the installation fails.
$(STAMP): pyproject.toml
	@echo "Installing cpop and its dependencies into $(VENV) (first run only; log: $(VENV)/install.log) ..."
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/pip install --upgrade pip && $(BIN)/pip install -e '.[dev]'; } > $(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; echo "Installation failed: see $(VENV)/install.log"; exit 1; }
	@touch $(STAMP)
	@echo "Installed."

install: $(STAMP)

## Build real Scotland from the committed snapshot (data/snapshot/) plus anything in data/raw/;
## skipped when the warehouse is already built from exactly these inputs.
warehouse: install
	@$(BIN)/cpop build --if-changed

## Set everything up and serve real Scotland at http://$(HOST):$(PORT)/ (Ctrl+C stops it).
run: warehouse
	@$(BIN)/cpop serve --host $(HOST) --port $(PORT)

## The fictional demo country (teaching, tests): written to data/demo/raw, built into
## $(DEMO_WAREHOUSE), served at http://$(HOST):$(PORT)/ and labelled fictional on every page.
demo: install
	@$(BIN)/cpop demo
	@$(BIN)/cpop build --if-changed --raw-dir data/demo/raw --warehouse $(DEMO_WAREHOUSE)
	@$(BIN)/cpop serve --host $(HOST) --port $(PORT) --warehouse $(DEMO_WAREHOUSE)

## The whole suite: lint, unit, SQL, property, integration, real-data and browser tests.
test: install
	$(BIN)/ruff check etl dashboard geo tests bench
	$(BIN)/pytest

## On demand (not in CI): the whole suite plus the tests too slow for it (a full demo build with a
## partial-coverage local dataset, tests/integration/test_local_partial_coverage.py; the officer's
## Local data journey with two Build now builds, tests/e2e/test_e2e_local_data.py).
test-slow: install
	CPOP_SLOW_TESTS=1 $(BIN)/pytest

lint: install
	$(BIN)/ruff check etl dashboard geo tests bench

## Benchmarks: Scotland-scale build (time and peak memory per stage), exports, dashboard
## interactions, user-made areas (bench/user_area_bench.py, run inside dashboard_bench on its
## warehouse), first render and 20 concurrent users; first render on real Scotland (Fife,
## bench/real_render_bench.py); 50 concurrent users during a rebuild
## (bench/rebuild_load_bench.py: errors, wrong answers, p95); the disclosure audit's time and
## what suppression withholds, demo and real (bench/disclosure_audit_bench.py).
bench: install
	$(BIN)/python -m bench.real_build_bench
	$(BIN)/python -m bench.build_bench
	$(BIN)/python -m bench.export_bench
	$(BIN)/python -m bench.dashboard_bench
	$(BIN)/python -m bench.real_render_bench
	$(BIN)/python -m bench.rebuild_load_bench
	$(BIN)/python -m bench.disclosure_audit_bench

## Mutation check, on demand (not in CI): plants known bugs one at a time in a temporary copy of
## the code and checks the tests named for each catch it (tests/mutate.py; a few minutes).
mutate: install
	$(BIN)/python -m tests.mutate

## Rewrite the committed snapshot (data/snapshot/) from the publishers' files in ../shared/real
## (etl/sources/registry.yaml says which files; see docs/real-data.md "Real data snapshot").
SNAPSHOT_SOURCE ?= ../shared/real
snapshot: install
	$(BIN)/cpop snapshot $(SNAPSHOT_SOURCE)

clean:
	rm -rf $(VENV) data/warehouse/*.duckdb* .pytest_cache
