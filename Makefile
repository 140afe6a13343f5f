# Two commands do all set-up on a fresh machine:
#   make run   - create .venv, install longarm, build the default database, print the report, serve it
#   make test  - create .venv with test tools, run ruff, mypy and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: run test lint typecheck build clean browser bench bench-publish bench-extract bench-serve bench-scan bench-review eval

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

# Ends in the web app on the bundled dataset: http://127.0.0.1:8000 (Ctrl+C stops it).
run: $(STAMP)
	$(BIN)/longarm build
	$(BIN)/longarm report
	$(BIN)/longarm serve --host 127.0.0.1 --port 8000

build: $(STAMP)
	$(BIN)/longarm build

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# The page tests drive Debian's Chromium through Playwright; no browser is ever downloaded.
browser:
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

test: lint typecheck browser
	$(BIN)/pytest

# The extractor against the labelled passages (tests/extract_eval/README.md): per-field precision, recall
# and F1, and host places reported on negatives. Only the dev set's differences are printed: the test set
# is scored, never read for errors.
eval: $(STAMP)
	$(BIN)/python -m longarm.extract.scoring --misses tests/extract_eval/real_dev.yaml
	$(BIN)/python -m longarm.extract.scoring tests/extract_eval/real_test.yaml
	$(BIN)/python -m longarm.extract.scoring tests/extract_eval/dev.yaml tests/extract_eval/heldout.yaml tests/extract_eval/heldout2.yaml

# Benchmarks report numbers (throughput, latency, memory) for the README; they are not timed tests.
bench: bench-publish bench-extract bench-serve bench-scan bench-review

bench-publish: $(STAMP)
	$(BIN)/python -m benchmarks.bench_publish

bench-extract: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_extract.py

# wrk (Debian) against `longarm serve` and Datasette on the same SQLite file, 127.0.0.1 only.
bench-serve: $(BENCH_STAMP)
	command -v wrk >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk)
	$(BIN)/python -m benchmarks.bench_serve

# a 2 GB crawl generated under /tmp (kept for reruns; delete /tmp/longarm-scan-bench to regenerate)
bench-scan: $(STAMP)
	$(BIN)/python -m benchmarks.bench_scan

# A generated 100,000-document crawl: `longarm scan`, `longarm review import`, then the queue page under
# 20 concurrent reviewers (wrk on 127.0.0.1 against `longarm serve`).
bench-review: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk)
	$(BIN)/python -m benchmarks.bench_review

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
