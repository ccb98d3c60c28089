# Reset Lab: `make run` builds everything, `make test` checks everything.
# Both create .venv from the pinned requirements.lock on first use; nothing needs root.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV_VERSION := 0.13.8
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: setup run test refresh validate lock benchmark clean unga-raw unga sweep

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

validate: setup
	$(BIN)/python -m resetlab validate

## Execute every notebook into build/notebooks, write figures/ (and the site, see README)
run: validate
	$(BIN)/python -m resetlab run --jobs $(JOBS)
	$(BIN)/python -m resetlab export
	$(BIN)/python -m resetlab students
	$(BIN)/python -m resetlab site

## Unit tests, data validation, runner and determinism tests, nbval on the committed notebooks
test: setup
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile

## Re-execute with defaults and update the committed notebooks (after a data or code change)
refresh: validate
	$(BIN)/python -m resetlab refresh --jobs $(JOBS)

## Download the raw UN General Assembly votes (checksums verified; not committed) and rebuild the table
unga-raw: setup
	$(BIN)/python -c "from resetlab import unga; unga.download()"

unga: unga-raw
	$(BIN)/python -m resetlab unga

lock:
	$(BIN)/uv pip compile requirements.in --python-version 3.11 --no-header --generate-hashes -o requirements.lock

## Rerun the scorecard with papermill on a sample of the sensitivity grid and check it against the in-process verdicts
sweep: setup
	$(BIN)/python -m resetlab sweep --jobs $(JOBS)

benchmark: setup
	$(BIN)/python benchmarks/run_benchmark.py

clean:
	rm -rf build
