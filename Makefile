# Good to Great: two commands. `make run` serves the app on the demo borough; `make test` runs everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := data/demo
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test lint e2e bench setup demo clean

setup: $(STAMP) $(DEMO)/schools.parquet

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

$(DEMO)/schools.parquet: | $(STAMP)
	$(BIN)/g2g demo-data --out $(DEMO)

demo: $(STAMP)
	$(BIN)/g2g demo-data --out $(DEMO)

run: setup
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup lint
	$(BIN)/python -m pytest -q

e2e: setup
	$(BIN)/python -m pytest -q tests/e2e

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache
