# The two commands a newcomer types: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint bench clean

$(VENV)/installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## Install, create or upgrade the SQLite database, load the demo when it is empty, and serve.
run: $(VENV)/installed
	$(BIN)/burden-tracker init
	$(BIN)/burden-tracker demo --if-empty
	$(BIN)/burden-tracker serve --host $(HOST) --port $(PORT)

## Install what the suite needs (Chromium, LibreOffice, PostgreSQL) and run all of it.
test: $(VENV)/installed
	TEST_POSTGRES_URL="$$(bash tests/setup-services.sh)" $(BIN)/pytest -n auto

lint: $(VENV)/installed
	$(BIN)/ruff check burden_tracker tests bench

bench: $(VENV)/installed
	TEST_POSTGRES_URL="$$(bash tests/setup-services.sh)" $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache
