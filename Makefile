# planlib — one command to set up and run. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2
PIP := $(BIN)/python -m pip
PIP_QUIET := --quiet --disable-pip-version-check
# --compile-bytecode: uv writes no .pyc by default, and with PYTHONDONTWRITEBYTECODE set every process would
# compile pandas, jieba's 4 MB tag model … from source at each start (≈1.3 s CPU to import teach.textmine,
# ≈1.2 s more for jieba.posseg, against ≈0.5 and ≈0.3 s from bytecode)
UV_INSTALL := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python
# make lock uses the venv's uv when there is one, else uv from PATH
UV := $(if $(wildcard $(BIN)/uv),$(BIN)/uv,uv)

.DEFAULT_GOAL := help

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -E 's/^## ([a-z-]+): /  make \1\t/' | expand -t 18

## venv: create .venv with the locked dependencies and planlib installed (editable)
venv: $(STAMP)

# uv (pinned with its hashes in requirements-uv.lock) installs requirements.lock, hashes checked;
# where uv cannot run (no wheel for the platform), pip installs the same lock.
$(STAMP): requirements.lock requirements-uv.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if $(PIP) install $(PIP_QUIET) --require-hashes --only-binary :all: -r requirements-uv.lock \
	      && $(BIN)/uv --version >/dev/null 2>&1; then \
	  echo "installing requirements.lock with $$($(BIN)/uv --version)"; \
	  $(UV_INSTALL) --require-hashes -r requirements.lock \
	    && $(UV_INSTALL) --no-deps -e .; \
	else \
	  echo "uv cannot run here: installing requirements.lock with pip"; \
	  $(PIP) install $(PIP_QUIET) --require-hashes -r requirements.lock \
	    && $(PIP) install $(PIP_QUIET) --no-deps -e .; \
	fi
	@# planlib's own modules too (installed editable, so not compiled above): ≈0.07 s CPU a process otherwise
	$(BIN)/python -m compileall -q src/planlib >/dev/null
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

## data: parse data/raw/*.txt into data/processed/ (tables as CSV + Parquet)
data: $(STAMP)
	$(BIN)/planlib build
	$(BIN)/planlib codebook

## reports: run the county and comparison notebooks into reports/ and figures/
reports: data
	$(BIN)/planlib report --jobs $(JOBS)

## all: the main job — tables, then a report per county and the comparison
all: data reports

## test: run the test suite (installs everything it needs first)
test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) -q

## bench: print parse throughput (text, per format: web page, Word, traditional script, PDF), prose precision/recall out of sample, unseen layouts found with the right year, segmenters, batch report timings
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_prose_oos.py -v
	$(BIN)/python benchmarks/bench_layouts_oos.py
	$(BIN)/python benchmarks/bench_long_lines.py
	$(BIN)/python benchmarks/bench_formats.py
	$(BIN)/python benchmarks/bench_script_pdf.py
	$(BIN)/python benchmarks/bench_terms.py
	@if [ -f benchmarks/bench_report.py ]; then $(BIN)/python benchmarks/bench_report.py; fi

## bench-corpus: build generated corpora of N plans (default N="100 500 2800"): time, MB/s, RSS, per stage, a rebuild after one change; then reports for REPORTS (100) of the first corpus's places
N ?= 100 500 2800
REPORTS ?= 100
bench-corpus: $(STAMP)
	$(BIN)/python benchmarks/bench_corpus.py $(N) --reports $(REPORTS)

## lab: open JupyterLab on the notebooks (the course is in notebooks/teaching)
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## course-html: the course as HTML (every lesson run, exercises, capstone) with an index in build/course-html/
course-html: $(STAMP)
	$(BIN)/python -m planlib.course render --out build/course-html

## lock: re-resolve requirements.lock from pyproject.toml, and requirements-uv.lock (uv itself)
lock:
	$(UV) pip compile pyproject.toml --extra dev --extra cluster --python-version 3.11 --generate-hashes -o requirements.lock
	$(UV) pip compile requirements-uv.in --python-version 3.11 --generate-hashes -o requirements-uv.lock

## clean: remove generated reports and figures (keeps data/processed, which is committed)
clean:
	rm -rf reports/* figures/*

.PHONY: help venv data reports all test bench bench-corpus lab course-html lock clean
