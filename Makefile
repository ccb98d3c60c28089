# Reset Lab: `make run` builds everything, `make test` checks everything.
# Both create .venv from the pinned requirements.lock on first use; nothing needs root.

# Reset Lab supports Python 3.11, 3.12 and 3.13 (one universal requirements.lock serves all three).
# PYTHON is the first supported interpreter found: python3, python3.13/3.12/3.11, then pyenv's.
SUPPORTED_PYTHONS := 3.11 3.12 3.13
IS_SUPPORTED := -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))'
ifndef PYTHON
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11 $(sort $(wildcard $(HOME)/.pyenv/versions/3.1[123]*/bin/python)); do \
            command -v $$p >/dev/null 2>&1 && $$p $(IS_SUPPORTED) 2>/dev/null && { echo $$p; break; }; done)
endif
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV_VERSION := 0.13.8
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: setup run test test-unit test-time refresh validate lock benchmark clean unga-raw unga sweep

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Reset Lab needs Python $(SUPPORTED_PYTHONS) (any of them); none was found on PATH or under ~/.pyenv." >&2; \
	  echo "Install one (Debian/Ubuntu: apt-get install python3 python3-venv), or name it: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)" >&2; \
	  exit 1; fi
	@$(PYTHON) $(IS_SUPPORTED) || { echo "$(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); Reset Lab needs $(SUPPORTED_PYTHONS): make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)" >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "$(PYTHON) cannot create a virtual environment: on Debian/Ubuntu install python3-venv (apt-get install python3-venv)" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
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

## Unit tests, data validation, runner and determinism tests, site and XSS tests in Chromium, nbval on the student copies
test: setup
	$(BIN)/python -m pytest -n $(JOBS) --dist loadscope --no-loadscope-reorder

## The unit and data tests alone (no notebook execution, no browser): what CI runs on every supported Python
UNIT_TESTS := tests/test_armscontrol.py tests/test_book.py tests/test_claims.py tests/test_data.py tests/test_events.py \
              tests/test_safe.py tests/test_sanctions.py tests/test_unga.py tests/test_environment.py \
              tests/test_params.py tests/test_bad_input.py
test-unit: setup
	$(BIN)/python -m pytest -p no:cacheprovider -n $(JOBS) $(UNIT_TESTS)

## Re-execute with defaults and update the committed notebooks (after a data or code change)
refresh: validate
	$(BIN)/python -m resetlab refresh --jobs $(JOBS)

## Download the raw UN General Assembly votes (checksums verified; not committed) and rebuild the table
unga-raw: setup
	$(BIN)/python -c "from resetlab import unga; unga.download()"

unga: unga-raw
	$(BIN)/python -m resetlab unga

## One lock for every supported Python (markers select per-version packages)
lock: setup
	$(BIN)/uv pip compile requirements.in --universal --python-version 3.11 --no-header --generate-hashes -o requirements.lock

## Rerun the scorecard with papermill on a sample of the sensitivity grid and check it against the in-process verdicts
sweep: setup
	$(BIN)/python -m resetlab sweep --jobs $(JOBS)

benchmark: setup
	$(BIN)/python benchmarks/run_benchmark.py

## Wall time of `make test` with the load average around it (target: at most 3 minutes on 2 cores)
test-time: setup
	$(BIN)/python benchmarks/make_test_time.py

clean:
	rm -rf build
