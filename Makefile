# cpop: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WAREHOUSE := data/warehouse/cpop.duckdb
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: install demo-data warehouse run test lint bench snapshot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Write the built-in demo data into data/raw/ when no raw data is there yet.
demo-data: install
	$(BIN)/cpop demo

## Build the warehouse from data/raw/ (atomically swapped in).
warehouse: demo-data
	$(BIN)/cpop build

## Set everything up and serve the dashboard at http://$(HOST):$(PORT)/
run: warehouse
	$(BIN)/cpop serve --host $(HOST) --port $(PORT)

## The whole suite: lint, unit, SQL, property, integration, real-data and browser tests.
test: install
	$(BIN)/ruff check etl dashboard geo tests bench
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check etl dashboard geo tests bench

## Benchmarks: Scotland-scale build (time and peak memory per stage), exports, dashboard
## interactions, user-made areas (bench/user_area_bench.py, run inside dashboard_bench on its
## warehouse), first render and 20 concurrent users.
bench: install
	$(BIN)/python -m bench.real_build_bench
	$(BIN)/python -m bench.build_bench
	$(BIN)/python -m bench.export_bench
	$(BIN)/python -m bench.dashboard_bench

## Rewrite the committed snapshot (data/snapshot/) from the publishers' files in ../shared/real
## (etl/sources/registry.yaml says which files; see docs/real-data.md "Real data snapshot").
SNAPSHOT_SOURCE ?= ../shared/real
snapshot: install
	$(BIN)/cpop snapshot $(SNAPSHOT_SOURCE)

clean:
	rm -rf $(VENV) data/warehouse/*.duckdb* .pytest_cache
