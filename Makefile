# One tool path: the README and .ci/run call these targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# A second environment on Python 3.13 (pyenv's): the suite must pass on every supported Python.
VENV313 := .venv313
STAMP313 := $(VENV313)/.installed

.PHONY: run test test-py313 lint fmt setup test-assets bench sample-report clean

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

## test-py313: the test suite again on Python 3.13, in its own venv (.venv313; lint runs in make test)
test-py313: $(STAMP313) test-assets
	$(VENV313)/bin/pytest -q

$(STAMP313): pyproject.toml
	@python313="$$(bash .ci/find-python 3.13)" && \
	  { [ -x $(VENV313)/bin/python ] || "$$python313" -m venv $(VENV313); }
	$(VENV313)/bin/pip install --quiet --upgrade pip
	$(VENV313)/bin/pip install --quiet -e '.[dev]'
	touch $@

## test-assets: Debian's Chromium for browser tests (needs root), axe-core and the FHIR schema from npm,
## and Debian's Caddy for tests/deploy (its own service is stopped: the test runs it on high ports)
test-assets: tests/assets/node_modules/.installed
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: browser tests skip without Debian's chromium (apt-get install chromium)"; fi; }
	@command -v caddy >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq caddy >/dev/null && \
	    { systemctl disable --now caddy >/dev/null 2>&1 || true; }; \
	  else echo "note: the deploy recipe's test skips without Debian's caddy (apt-get install caddy)"; fi; }

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
	rm -rf $(VENV) $(VENV313) .pytest_cache .mypy_cache .ruff_cache
