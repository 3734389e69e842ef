# Two targets a researcher needs (see README "Quickstart"):
#   make all   -> create .venv, install the package, build tables, figures and executed notebooks
#   make test  -> create .venv if needed and run the whole test suite
# and one to look at the results:
#   make lab   -> open JupyterLab on notebooks/ with the project's environment
# Maintainers only: make datasets -> copy data/processed into the package's bundled datasets
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all setup build test lab datasets bench bench-scale clean

all: build

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

build: $(STAMP)
	$(BIN)/dangjian build --all

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

datasets: $(STAMP)
	$(BIN)/python -m dangjian_analysis.datasets

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py

clean:
	rm -rf build dist *.egg-info .pytest_cache
