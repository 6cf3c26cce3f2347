# Two commands matter: `make run` and `make test`. Both set up everything they need.
PORT ?= 8000
HOST ?= 127.0.0.1
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps record which extras are installed, so a second `make` is instant.
$(VENV)/.run: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.run

node_modules/.ok: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

run: $(VENV)/.run node_modules/.ok
	$(BIN)/gatewise serve --host $(HOST) --port $(PORT)

test: $(VENV)/.test node_modules/.ok
	$(BIN)/ruff check engine server src tests benchmarks scripts
	node --test tests/js/
	$(BIN)/python -m pytest -q

bench: $(VENV)/.test
	$(BIN)/python benchmarks/engine_bench.py

clean:
	rm -rf $(VENV) node_modules
