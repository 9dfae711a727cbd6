# Good to Great: two commands. `make run` serves the app on the demo borough; `make test` runs everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := data/demo
PORT ?= 8501
STAMP := $(VENV)/.installed
# Every package and its sha256 hashes, resolved from pyproject.toml by `make lock` (uv pip compile).
LOCK := requirements.lock
UV_VERSION := 0.13.9

.PHONY: run test lint audit lock lock-upgrade e2e bench setup demo clean

setup: $(STAMP) $(DEMO)/schools.parquet

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Install exactly the locked releases (pip refuses any file whose hash differs), then our package alone.
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Re-resolve the lock after changing pyproject.toml's dependencies: keeps every pin that still fits.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" --quiet -o $(LOCK)

# The same, moving every package to its newest release within pyproject.toml's ranges.
lock-upgrade: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" --quiet --upgrade -o $(LOCK)

$(DEMO)/schools.parquet: | $(STAMP)
	$(BIN)/g2g demo-data --out $(DEMO)

demo: $(STAMP)
	$(BIN)/g2g demo-data --out $(DEMO)

run: setup
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Known vulnerabilities in the locked releases (PyPI's advisories, through pip-audit).
audit: $(STAMP)
	$(BIN)/python tools/audit_lock.py

# The storage suite runs in a process of its own: its tests start processes (spawn) that must not inherit a
# test process already holding the threads and state of a thousand other tests.
test: setup lint audit
	$(BIN)/python -m pytest -q --ignore=tests/storage
	$(BIN)/python -m pytest -q tests/storage

e2e: setup
	$(BIN)/python -m pytest -q tests/e2e

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache
