# WIG cross-sector collaboration survey: reproducible build.
#
#   make all     build the environment (from uv.lock), data, notebooks, figures and report
#   make test    lint, unit tests, doctests and every notebook on its default parameters
#
# Every output is a real file target with complete prerequisites, so make rebuilds only
# what changed; outputs are written atomically and .DELETE_ON_ERROR removes anything a
# failed recipe touched. The notebook rules are generated from notebooks/registry.toml.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules --warn-undefined-variables
# Parallel by default, one job per core (`make -j1` on the command line still wins).
# `make clean all` in one call must not clean while it builds: no parallelism then.
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
ifneq ($(filter clean,$(MAKECMDGOALS)),)
.NOTPARALLEL:
endif

# Deterministic, headless, machine-independent runs. MPLBACKEND is not set: kernels (the
# build's and `make lab`'s) must keep ipykernel's inline backend so figures show in
# notebooks; scripts pick Agg on their own on a headless machine, and saved figure bytes do
# not depend on the interactive backend.
unexport MPLBACKEND
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 0
export TZ := UTC
export LC_ALL := C.UTF-8
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export UV_PROJECT_ENVIRONMENT := .venv
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Some environments set PYTHONDONTWRITEBYTECODE; .venv is precompiled at install
# (uv --compile-bytecode) and the project package may cache its own bytecode.
unexport PYTHONDONTWRITEBYTECODE

BOOTSTRAP_PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
ENV_STAMP := $(VENV)/.installed-from-uv.lock
KERNEL := wig-survey
PACKAGE_SRC := $(sort $(shell find analysis -name '*.py' -not -path '*/__pycache__/*') analysis/py.typed \
	$(wildcard analysis/tooling/*.css analysis/tooling/templates/*/*))
RUN_NOTEBOOK := $(PY) -m analysis.tooling.notebook run

# Respondent-level input: the SYNTHETIC exports unless real ones are given (see README).
# RESPONSES is the 2025 wave's export; RESPONSES_2024 the 2024 wave's.
RESPONSES ?=
LAB_ARGS ?=
RESPONSES_2024 ?= data/raw/synthetic/responses_2024.csv
RESPONSES_2025 := $(if $(RESPONSES),$(RESPONSES),data/raw/synthetic/responses_2025.csv)
WAVES := 2024 2025

RAW_FILES := $(sort $(wildcard data/raw/*.csv data/raw/*.json data/raw/synthetic/*)) \
	data/raw/SHA256SUMS
# Every rule that reads data/raw has this stamp as an order-only prerequisite: the
# checksums are verified first whenever data/raw changes, while each rule is rebuilt only
# when the raw files it actually reads change.
RAW_CHECKED := build/raw-checked.sha256
RAW_PUBLISHED := $(addprefix data/raw/,datapackage.json documents.csv groups.csv items.csv \
	published.csv discrepancies.csv claims.csv)
RAW_CODEBOOK := $(addprefix data/raw/,codebook.csv codebook_options.csv items.csv)
PUBLISHED := data/processed/published.csv data/processed/published.parquet
AUDIT := data/processed/claims_audit.csv data/processed/claims_audit.parquet
RESPONDENTS := $(foreach w,$(WAVES),data/processed/respondents_$(w).csv \
	data/processed/respondents_$(w).parquet data/processed/cleaning_log_$(w).csv) \
	data/processed/cleaning_log.csv
PROCESSED := $(PUBLISHED) $(AUDIT) $(RESPONDENTS)
# Committed and pinned by the manifest: everything processed except respondent-level rows.
PINNED_PROCESSED := $(filter-out data/processed/respondents_%,$(PROCESSED))
MANIFEST := figures/manifest.json
REPORT := build/report/index.html

# Notebook and figure rules, generated from the registry (system Python: stdlib only).
build/registry.mk: notebooks/registry.toml analysis/tooling/registry.py analysis/paths.py
	@mkdir -p $(@D)
	@$(BOOTSTRAP_PYTHON) -m analysis.tooling.registry makefile > $@.tmp && mv $@.tmp $@
include build/registry.mk

# A parameter's stamp is rewritten only when its value changes, so `make all LEVEL=0.99`
# re-runs exactly the rules that take LEVEL.
$(foreach v,$(PARAM_VARS),$(shell mkdir -p build/params && { [ "$$(cat build/params/$(v) 2>/dev/null)" = "$($(v))" ] || printf '%s\n' "$($(v))" > build/params/$(v); }))
build/params/%: ;
# The report names the commit it was built from: its stamp changes only when HEAD moves.
REPORT_COMMIT := $(shell git rev-parse HEAD 2>/dev/null || echo none)
$(shell mkdir -p build/params && { [ "$$(cat build/params/COMMIT 2>/dev/null)" = "$(REPORT_COMMIT)" ] || printf '%s\n' "$(REPORT_COMMIT)" > build/params/COMMIT; })

##@ Main

.PHONY: all
all: $(PROCESSED) $(FIGURE_OUTPUTS) $(MANIFEST) $(REPORT) ## Build everything: data, notebooks, figures, report

.PHONY: test
test: $(ENV_STAMP) $(PROCESSED) ## Lint, unit tests, doctests and every notebook (default parameters)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -n 2 --dist loadfile

##@ Environment

$(ENV_STAMP): uv.lock pyproject.toml requirements-bootstrap.txt
	@test -x $(PY) || $(BOOTSTRAP_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-bootstrap.txt
	$(VENV)/bin/uv sync --frozen --quiet --compile-bytecode
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@sha256sum uv.lock > $@

.PHONY: env
env: $(ENV_STAMP) ## Create or update .venv from uv.lock (automatic for every target)

.PHONY: lock
lock: ## Re-resolve dependencies into uv.lock and the pinned uv bootstrap
	uv lock
	$(BOOTSTRAP_PYTHON) scripts/write_bootstrap_requirements.py

.PHONY: doctor
doctor: $(ENV_STAMP) ## Say whether kernel, interpreter and lock file agree
	$(PY) -m analysis.tooling.doctor

.PHONY: lab
lab: $(ENV_STAMP) ## JupyterLab on the project kernel; notebooks open as paired text files
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(VENV)/bin/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

##@ Data

.PHONY: check-raw
check-raw: $(ENV_STAMP) ## Check data/raw against its committed SHA256SUMS
	$(PY) -m analysis.source.checksums check data/raw

$(RAW_CHECKED): $(RAW_FILES) $(ENV_STAMP)
	@mkdir -p $(@D)
	$(PY) -m analysis.source.checksums check data/raw
	@cp data/raw/SHA256SUMS $@

$(PUBLISHED) &: $(RAW_PUBLISHED) $(PACKAGE_SRC) $(ENV_STAMP) | $(RAW_CHECKED)
	$(PY) -m analysis.source.published build --raw data/raw --out data/processed/published

$(AUDIT) &: $(RAW_PUBLISHED) build/params/LEVEL build/params/ALPHA build/params/BASE_ALL \
		build/params/BASE_SECTOR $(PACKAGE_SRC) $(ENV_STAMP) | $(RAW_CHECKED)
	$(PY) -m analysis.audit.claims build --raw data/raw --out data/processed/claims_audit \
		--level $(LEVEL) --alpha $(ALPHA) --base-all $(BASE_ALL) --base-sector $(BASE_SECTOR)

# One rule per wave (cleaned respondents and that wave's cleaning log), then the combined log.
define respondents_rule
data/processed/respondents_$(1).csv data/processed/respondents_$(1).parquet \
data/processed/cleaning_log_$(1).csv &: $$(RESPONSES_$(1)) $$(RAW_CODEBOOK) $$(PACKAGE_SRC) \
		$$(ENV_STAMP) | $$(RAW_CHECKED)
	$$(PY) -m analysis.respondents.clean build --responses $$(RESPONSES_$(1)) --wave $(1) \
		--out data/processed/respondents_$(1) --log data/processed/cleaning_log_$(1).csv
endef
$(foreach w,$(WAVES),$(eval $(call respondents_rule,$(w))))

data/processed/cleaning_log.csv: $(foreach w,$(WAVES),data/processed/cleaning_log_$(w).csv) $(ENV_STAMP)
	$(PY) -m analysis.respondents.clean combine-logs --out $@ $(filter %.csv,$^)

##@ Figures and report

$(MANIFEST): $(NOTEBOOK_OUTPUTS) $(PROCESSED) notebooks/registry.toml $(ENV_STAMP)
	$(PY) -m analysis.tooling.registry manifest --out $@ $(PINNED_PROCESSED)

$(REPORT): $(MANIFEST) $(NOTEBOOK_OUTPUTS) $(wildcard notebooks/*.py) data/raw/discrepancies.csv \
		data/raw/documents.csv CITATION.cff build/params/COMMIT $(PACKAGE_SRC) $(ENV_STAMP)
	$(PY) -m analysis.tooling.report --out $@

.PHONY: figures
figures: $(FIGURE_OUTPUTS) ## Run the notebooks and write every figure

.PHONY: report
report: $(REPORT) ## Build the HTML report (build/report/index.html)

.PHONY: check-report
check-report: $(REPORT) ## Report in headless Chromium at 1400 and 390 px and on A4: images, links, no overflow
	$(PY) scripts/check_report.py $(REPORT)

.PHONY: check-lab
check-lab: $(ENV_STAMP) $(PUBLISHED) $(AUDIT) ## JupyterLab in headless Chromium: inline figure, save keeps the .py, git stays clean
	$(PY) scripts/check_lab.py

.PHONY: verify
verify: $(ENV_STAMP) ## Rebuild from clean and compare every output with figures/manifest.json
	@expected=$$(mktemp) && trap 'rm -f "$$expected"' EXIT && cp $(MANIFEST) "$$expected" && \
	status=0 && \
	{ $(PY) -m analysis.tooling.verify "$$expected" --stage "committed files" || status=1; } && \
	$(MAKE) --no-print-directory clean && $(MAKE) --no-print-directory all && \
	{ $(PY) -m analysis.tooling.verify "$$expected" --stage "clean rebuild" || status=1; } && \
	exit $$status

##@ Reference checks and benchmarks (not part of the build)

.PHONY: bench
bench: ## Benchmark raking against peer packages (own venv in build/bench-venv)
	bash benchmarks/run.sh

.PHONY: r-fixtures
r-fixtures: ## Regenerate R `survey` reference fixtures (needs: apt-get install r-base-core r-cran-survey)
	Rscript scripts/r_reference.R

.PHONY: quotes
quotes: $(ENV_STAMP) ## Check every quote against the source texts (needs ../shared/seeds)
	$(PY) scripts/check_quotes.py --seeds $(or $(SEEDS),../shared/seeds)

##@ Housekeeping

.PHONY: clean
clean: ## Remove build outputs (build/, figures, processed data); never touches data/raw
	@rm -rf build analysis/__pycache__ analysis/*/__pycache__
	@rm -f $(FIGURE_OUTPUTS) $(MANIFEST) $(PROCESSED)
	@echo "removed build/, $(words $(FIGURE_OUTPUTS)) figure files, the manifest and \
	$(words $(PROCESSED)) processed files (data/raw untouched)"

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^##@/ {printf "\n%s\n", substr($$0, 5)} \
		/^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo ""
	@echo "Parameters (make all NAME=value): $(PARAM_VARS)  RESPONSES=path/to/export"
