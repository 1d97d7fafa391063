# One tool path: the README and .ci/run call these targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: set up, fill the default journal with a 90-day demo person, and show today
run: $(STAMP)
	$(BIN)/speciosa demo --days 90 --seed 1
	$(BIN)/speciosa today

## test: set up and run the test suite (PostgreSQL tests run when SPECIOSA_TEST_POSTGRES_URL is set)
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q

## lint: style and types
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
