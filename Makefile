# Two commands do all set-up on a fresh machine:
#   make run   - create .venv, install longarm, build the default database, print the report
#   make test  - create .venv with test tools, run ruff, mypy and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: run test lint typecheck build clean bench bench-extract bench-scan

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

run: $(STAMP)
	$(BIN)/longarm build
	$(BIN)/longarm report

build: $(STAMP)
	$(BIN)/longarm build

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest

# benchmarks (not timed tests): throughput and memory, printed for the README
bench: bench-extract

bench-extract: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_extract.py

bench: bench-scan

# a 2 GB crawl generated under /tmp (kept for reruns; delete /tmp/longarm-scan-bench to regenerate)
bench-scan: $(STAMP)
	$(BIN)/python -m benchmarks.bench_scan

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
