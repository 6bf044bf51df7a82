# The two commands a newcomer types: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Every package the app and its tests use, pip and setuptools too, at exact versions with their hashes.
LOCK := requirements.lock
# The OpenID provider the tests sign in against, in a venv of its own (tests/setup-services.sh installs it).
PROVIDER_LOCK := tests/identity-provider.lock
# What writes and audits the lock: pinned, in a venv of their own.
LOCK_TOOLS := pip-tools==7.7.0 pip-audit==2.10.1
LOCK_VENV := $(VENV)/lock-tools
LOCK_PLATFORM_ERROR := make lock: the lock is for Linux x86_64 and Python 3.11, as CI: \
	rm -r $(LOCK_VENV), then make lock PYTHON=python3.11
# Locked beside pyproject's dependencies: pip, which installs the lock, and what builds the project.
LOCK_ALSO := echo 'pip>=25.3'; $(LOCK_VENV)/bin/python -c \
	'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'

.PHONY: run test lint bench bench-million lock audit clean

# pip first, from its own hashed lines of the lock; then the lock, every file checked against its hash; then the
# project itself, built by the locked setuptools with nothing resolved or downloaded (and without setuptools'
# notice that an editable install reads the working tree).
$(VENV)/installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	awk '/^[^ #]/ { p = /^pip==/ } p' $(LOCK) > $(VENV)/pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r $(VENV)/pip.lock
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	PYTHONWARNINGS='ignore:Editable installation' $(BIN)/pip install --quiet --no-deps --no-build-isolation --no-index -e .
	touch $@

## Install, create or upgrade the SQLite database, load the demo when it is empty, and serve.
run: $(VENV)/installed
	$(BIN)/burden-tracker init
	$(BIN)/burden-tracker demo --if-empty
	$(BIN)/burden-tracker serve --with-worker --host $(HOST) --port $(PORT)

## Install what the suite needs (Chromium, LibreOffice, PostgreSQL, Redis, an OpenID provider) and run all of it.
test: $(VENV)/installed
	TEST_POSTGRES_URL="$$(bash tests/setup-services.sh)" $(BIN)/pytest -n auto

## Style, and the floors' import contracts in pyproject.toml (tests/unit/test_floors.py checks them in make test too).
lint: $(VENV)/installed
	$(BIN)/ruff check burden_tracker tests bench
	$(BIN)/lint-imports

bench: $(VENV)/installed
	TEST_POSTGRES_URL="$$(bash tests/setup-services.sh)" $(BIN)/python bench/run.py

# A million nominations on PostgreSQL: about 15 minutes, apart from `make bench` (bench/million.py).
bench-million: $(VENV)/installed
	TEST_POSTGRES_URL="$$(bash tests/setup-services.sh)" $(BIN)/python bench/million.py

## Write requirements.lock again from pyproject.toml (for Linux x86_64 and Python 3.11, as CI), then audit it.
## Pins pyproject still allows are kept: LOCK_ARGS=--upgrade moves all to the newest allowed, LOCK_ARGS='-P NAME' one.
lock: $(LOCK_VENV)/installed
	@$(LOCK_VENV)/bin/python -c 'import platform as p, sys; sys.exit(None if (sys.platform, p.machine(), \
		sys.version_info[:2]) == ("linux", "x86_64", (3, 11)) else "$(LOCK_PLATFORM_ERROR)")'
	{ $(LOCK_ALSO); } | CUSTOM_COMPILE_COMMAND='make lock' $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
		--allow-unsafe --strip-extras --extra dev --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) \
		--output-file $(LOCK) pyproject.toml -
	CUSTOM_COMPILE_COMMAND='make lock' $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) \
		--output-file $(PROVIDER_LOCK) $(PROVIDER_LOCK:.lock=.in)
	@$(MAKE) --no-print-directory audit

## Ask the advisory service (the package index's, by default) about every version in the lock; --strict fails
## when one cannot be asked about, instead of passing it unchecked.
audit: $(LOCK_VENV)/installed
	$(LOCK_VENV)/bin/pip-audit --strict --progress-spinner off --disable-pip -r $(LOCK) -r $(PROVIDER_LOCK) \
		|| { echo 'make audit: $(LOCK) is not audited: see above (an advisory, or no advisory service answered)' >&2; exit 1; }

$(LOCK_VENV)/installed: Makefile
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet $(LOCK_TOOLS)
	touch $@

clean:
	rm -rf $(VENV) instance .pytest_cache .import_linter_cache
