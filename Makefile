# The template's own commands. A fresh machine needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEST ?= ../my-service

.DEFAULT_GOAL := help
.PHONY: help generate test test-fast soak lint js bench mutation openapi-snapshots

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/ready: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --group dev
	touch $@

generate: $(VENV)/ready  ## Answer the questionnaire and generate a project into DEST (default ../my-service)
	$(BIN)/copier copy --trust . $(DEST)

test: $(VENV)/ready  ## Every test of the template, in two lanes side by side (tests/lanes.py)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m tests.lanes $(PYTEST_ARGS)

test-fast: $(VENV)/ready  ## Everything but running the generated suites
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest -m "not suite"

ROUNDS ?= 5
soak: $(VENV)/ready  ## Every covering-set project's suite ROUNDS times in a row (default 5), serially and on 2 workers
	PATH="$(CURDIR)/$(BIN):$$PATH" TEMPLATE_SUITE_ROUNDS=$(ROUNDS) $(BIN)/pytest tests/test_generated_suites.py \
		-k lints_and_passes_serially_and_in_parallel $(PYTEST_ARGS)

lint: $(VENV)/ready  ## Ruff over the template's own code
	$(BIN)/ruff check extensions tests benchmarks migrations mutation

bench: $(VENV)/ready  ## Speed of the generated suites, render and install: a table, and benchmarks/speed.json
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/speed.py $(BENCH_ARGS)

mutation: $(VENV)/ready  ## How many planted bugs the generated suites catch (mutmut, StrykerJS): kill rates and survivors
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m mutation $(MUTATION_ARGS)

js: $(VENV)/ready  ## Regenerate the Express JavaScript sources from the TypeScript ones
	NODE_PATH="$$($(BIN)/python -c 'from tests.helpers import ts_blank_space_modules; print(ts_blank_space_modules())')" \
		node tools/ts-to-js.js

openapi-snapshots: $(VENV)/ready  ## Rewrite the OpenAPI snapshots the projects ship (template/shared/openapi) from real renders
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/openapi_snapshots.py
