# planlib — one command to set up and run. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

.DEFAULT_GOAL := help

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -E 's/^## ([a-z]+): /  make \1\t/' | expand -t 18

## venv: create .venv with the locked dependencies and planlib installed (editable)
venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
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

## bench: print parse throughput and batch report timings (figures for the README)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_long_lines.py
	@if [ -f benchmarks/bench_report.py ]; then $(BIN)/python benchmarks/bench_report.py; fi

## lab: open JupyterLab on the notebooks (the course is in notebooks/teaching)
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## lock: re-resolve requirements.lock from pyproject.toml (needs uv: pip install uv)
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

## clean: remove generated reports and figures (keeps data/processed, which is committed)
clean:
	rm -rf reports/* figures/*

.PHONY: help venv data reports all test bench lab lock clean
