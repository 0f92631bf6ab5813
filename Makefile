# Jimo district programme evaluations. `make` alone lists the targets.
# Two commands on a fresh machine: `make report` (builds the latest quarter, creating .venv first)
# and `make test` (the whole suite; what CI runs via .ci/run).

.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON_FOR_VENV ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
VENV_READY := $(VENV)/.ready
# JupyterLab (requirements-lab.lock) in an environment of its own, which sees .venv's packages through a
# .pth file: its extra packages stay out of the reports' environment, where one of them (rfc3987-syntax,
# which jsonschema then loads) cost every build, papermill and nbconvert 1.4 s of import. It finds the
# notebooks' kernel in .venv through JUPYTER_PATH. (lib/jimo_eval/build/notebook_form.py LAB_ENVIRONMENT)
LAB_VENV := .venv-lab
LAB_READY := $(LAB_VENV)/.ready
LAB_ENV := JUPYTER_PATH=$(abspath $(VENV))/share/jupyter
# The notebooks' kernel: this project's .venv, under one name (lib/jimo_eval/build/notebook_form.py KERNEL).
KERNEL := jimo-eval
KERNEL_SPEC := $(VENV)/share/jupyter/kernels/$(KERNEL)/kernel.json

QUARTER ?=
PARAMS ?=
OUT ?=
FORCE ?=
NO_WAIT ?=
ALLOW_DIRTY ?=
JOBS ?=
GROUP ?=
N ?= 1000000
FORMAT ?= parquet
PARAMS_DIR ?=
SCHEDULER ?=
INPUTS ?=
SEED ?=
BUILD_ARGS = $(if $(QUARTER),--quarter $(QUARTER)) $(if $(PARAMS),--params $(PARAMS)) \
             $(if $(OUT),--out $(OUT)) $(if $(FORCE),--force) $(if $(NO_WAIT),--no-wait)

.PHONY: help git-filter kernel report verify publish pdf check-data all batch data-units bench-batch test test-fast test-group browser lint format data data-large bench bench-scale bench-xlsx calibrate lab clean

## List the targets with one line each
help:
	@awk '/^## /{desc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(desc){split($$1,t,":"); printf "  make %-12s %s\n", t[1], desc}; desc=""}' $(MAKEFILE_LIST)
	@echo ""
	@echo "  Options: QUARTER=2023Q2  PARAMS=any.yaml  OUT=dir  FORCE=1 (rebuild without reuse)"
	@echo "           NO_WAIT=1 (refuse instead of waiting while another build writes the same folder)"
	@echo "           JOBS=n (kernels at once; default: cores + 1)  N=1000000 FORMAT=parquet|csv (data-large)"

## Build one quarter's reports (default: the latest quarter) into reports/<quarter>/
report: $(VENV_READY) git-filter $(KERNEL_SPEC)
	$(PY) -m jimo_eval.build.cli $(BUILD_ARGS)

## Rebuild a built quarter from its recorded params in a temporary folder; fail naming any file that differs
verify: $(VENV_READY)
	$(PY) -m jimo_eval.build.verify $(if $(QUARTER),--quarter $(QUARTER))

## Freeze a built, reproducible quarter as a release in releases/<quarter>/<date>-<n>/ (ALLOW_DIRTY=1: uncommitted code)
publish: $(VENV_READY)
	$(PY) -m jimo_eval.build.publish $(if $(QUARTER),--quarter $(QUARTER)) $(if $(ALLOW_DIRTY),--allow-dirty)

## Print each built quarter's scorecard and reports to archival PDF in reports/pdf/<quarter>/ (QUARTER=…: one)
pdf: $(VENV_READY) browser
	$(PY) -m jimo_eval.build.pdf $(if $(QUARTER),--quarter $(QUARTER))

## Check every configured input without building: every problem of every file, printed and as an offline page
check-data: $(VENV_READY)
	$(PY) -m jimo_eval.build.check_data $(if $(QUARTER),--quarter $(QUARTER)) $(if $(PARAMS),--params $(PARAMS))

## Build every quarter that has a params file, all at once on every core (the batch of params/<quarter>.yaml)
all: $(VENV_READY)
	$(PY) -m jimo_eval.build.cli --all $(if $(FORCE),--force) $(if $(JOBS),--jobs $(JOBS)) $(if $(NO_WAIT),--no-wait)

## Build every params file under PARAMS_DIR into OUT/<path>/ (default reports/batch/); SCHEDULER=tcp://host:8786: on Dask
batch: $(VENV_READY) $(KERNEL_SPEC)
	@test -n "$(PARAMS_DIR)" || { echo "make batch PARAMS_DIR=dir/ [OUT=reports/batch] [SCHEDULER=tcp://host:8786]" >&2; exit 2; }
	$(PY) -m jimo_eval.build.cli --params-dir $(PARAMS_DIR) $(if $(OUT),--out $(OUT)) $(if $(FORCE),--force) \
		$(if $(JOBS),--jobs $(JOBS)) $(if $(NO_WAIT),--no-wait) $(if $(SCHEDULER),--scheduler $(SCHEDULER)) \
		$(if $(INPUTS),--inputs $(INPUTS))

## Write N SYNTHETIC units (districts): data in data/reference/units/, params in params/units/ (SEED=…; git-ignored)
data-units: $(VENV_READY)
	$(PY) -m jimo_eval.build.units --units $(if $(filter 1000000,$(N)),20,$(N)) $(if $(SEED),--seed $(SEED)) \
		$(if $(OUT),--params $(OUT))

## Run the whole test suite: lint, unit tests, notebook, build and real-browser tests
test: $(VENV_READY) $(LAB_READY) browser git-filter $(KERNEL_SPEC)
	$(PY) -m ruff check lib tests tools bench
	$(PY) -m pytest

# The groups are markers given by the rule in tests/conftest.py. Bytecode caches are kept even where
# PYTHONDONTWRITEBYTECODE is set: without them every run recompiles the tests and pytest's plugins.

## Run the unit tests but the slow ones, the quick loop (under a minute; no lint, build, kernel or browser)
test-fast: $(VENV_READY)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -m "unit and not slow"

## Run one group of tests: GROUP=unit|inputs|notebooks|build|browser (or a marker expression)
test-group: $(VENV_READY) $(if $(filter browser,$(GROUP)),browser)
	@test -n "$(GROUP)" || { echo "make test-group GROUP=unit|inputs|notebooks|build|browser" >&2; exit 2; }
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -m "$(GROUP)"

## Set up, in this clone's git config, the filter that commits notebooks without outputs (.gitattributes)
git-filter:
	@git rev-parse --git-dir >/dev/null 2>&1 && git config filter.jimo-notebook.clean "$(PY) tools/strip_notebook.py" || true

## Install the notebooks' kernel, "Python (jimo-eval)": this project's .venv, wherever the notebook is opened
kernel: $(KERNEL_SPEC)

$(KERNEL_SPEC): $(VENV_READY)
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (jimo-eval)" >/dev/null

## Install headless Chromium and ChromeDriver (Debian packages) for the browser test, when missing
browser:
	@bash tools/install_browser.sh

## Check style with ruff (lint and format check)
lint: $(VENV_READY)
	$(PY) -m ruff check lib tests tools bench
	$(PY) -m ruff format --check lib tests tools bench

## Reformat the code with ruff
format: $(VENV_READY)
	$(PY) -m ruff format lib tests tools bench

## Regenerate the synthetic reference data in data/reference/ (seeded: same bytes every time)
data: $(VENV_READY)
	@set -e; for programme in $(sort $(notdir $(patsubst %/synthetic.py,%,$(wildcard lib/jimo_eval/programmes/*/synthetic.py)))); do \
		$(PY) -m jimo_eval.programmes.$$programme.synthetic --out data/reference; done

## Write a SYNTHETIC city-scale case log of about N cases into data/large/ (git-ignored)
data-large: $(VENV_READY)
	$(PY) -m jimo_eval.programmes.throughput.citylog --cases $(N) --format $(FORMAT) --out data/large

## Time the build against the naive papermill+nbconvert loop and plain Python (bench/RESULTS.md)
bench: $(VENV_READY)
	$(PY) bench/bench.py

## Notebooks per minute of a 20-unit batch locally and on a local Dask cluster of 1 and 2 workers (bench/RESULTS.md)
bench-batch: $(VENV_READY)
	$(PY) bench/batch.py

## Time and peak memory of the case-log notebooks on data/large/ (bench/RESULTS.md)
bench-scale: $(VENV_READY)
	$(PY) bench/scale.py --params data/large/params.yaml

## Time and peak memory of reading a SYNTHETIC 100k- and 1M-row .xlsx case log, calamine vs openpyxl (bench/RESULTS.md)
bench-xlsx: $(VENV_READY)
	$(PY) bench/xlsx.py

## Coverage of every published 95% interval and error rates of the verdicts, by seeded simulation (docs/calibration.md)
calibrate: $(VENV_READY)
	$(PY) bench/calibrate.py

## Open JupyterLab on the notebooks (installs JupyterLab into .venv-lab the first time)
lab: $(LAB_READY) git-filter $(KERNEL_SPEC)
	cd notebooks && $(LAB_ENV) ../$(LAB_VENV)/bin/jupyter-lab --ip 127.0.0.1 --no-browser $$([ "$$(id -u)" = 0 ] && echo --allow-root)

## Delete built reports (they are disposable: `make report` makes them again)
clean:
	find reports -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +

# JupyterLab, installed into .venv-lab the first time and again when its pins change.
$(LAB_READY): $(VENV_READY) requirements-lab.lock
	@test -x $(LAB_VENV)/bin/python || $(PYTHON_FOR_VENV) -m venv $(LAB_VENV)
	$(PY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])" > \
	  "$$($(LAB_VENV)/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")/jimo-eval-venv.pth"
	$(LAB_VENV)/bin/python -m pip install -q --upgrade "pip>=23"
	$(LAB_VENV)/bin/python -m pip install -q -c requirements.lock -r requirements-lab.lock
	@touch $@

# The environment: created when missing, reinstalled when the pins change.
$(VENV_READY): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=23"
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $@
