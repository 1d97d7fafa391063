# One tool path: the README and .ci/run call these targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt setup test-assets bench sample-report clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: set up, fill the default journal with a 90-day demo person, and serve the web app
run: $(STAMP)
	$(BIN)/speciosa demo --days 90 --seed 1
	$(BIN)/speciosa today
	$(BIN)/speciosa serve

## test: set up, check style, types and layers (make lint), and run the test suite
## (PostgreSQL tests run when SPECIOSA_TEST_POSTGRES_URL is set)
test: $(STAMP) test-assets lint
	$(BIN)/pytest -q

## test-assets: Debian's Chromium for browser tests (needs root), axe-core and the FHIR schema from npm
test-assets: tests/assets/node_modules/.installed
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: browser tests skip without Debian's chromium (apt-get install chromium)"; fi; }

tests/assets/node_modules/.installed: tests/assets/package.json tests/assets/package-lock.json
	npm ci --prefix tests/assets --no-audit --no-fund --silent
	touch $@

## lint: style, types and the layers' import contracts (pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

## bench: the quicker benchmarks (figures and the slow ones are in bench/RESULTS.md)
bench: $(STAMP)
	$(BIN)/python bench/insights_bench.py
	$(BIN)/python bench/web_bench.py

## sample-report: regenerate docs/sample-report.pdf from a simulated journal
sample-report: $(STAMP)
	$(BIN)/python -m speciosa.simulate.sample_report docs/

fmt: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
