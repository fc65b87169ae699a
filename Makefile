# WIG cross-sector collaboration survey: reproducible build.
#
#   make all     environment (from uv.lock), data, notebooks, figures and report
#   make test    lint, unit tests, doctests, and checks of every built notebook and figure
#
# Two editions are built. The PUBLISHED edition reproduces the printed reports from the
# transcription in data/raw into the committed figures/ and data/processed/. The WAVE
# edition draws the same report sections from one wave's respondent-level export
# (RESPONSES=, default the SYNTHETIC export of WAVE) into build/waves/<WAVE>/ (never
# committed). Every output is a real file with complete prerequisites; inputs given on the
# command line (RESPONSES, CODEBOOK, TARGETS...) are stamped by path and content, so
# switching them rebuilds exactly what depends on them, whatever the files' dates.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules --warn-undefined-variables --no-print-directory
# Parallel by default, one job per core, unless a -j was given (`make -j1` wins) or a parent
# make already shares its jobserver (the locked inner make, the determinism check).
LOCKED ?=
ifeq ($(LOCKED)$(filter -j%,$(MAKEFLAGS))$(findstring jobserver,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
ifneq ($(filter clean,$(MAKECMDGOALS)),)
.NOTPARALLEL:
endif

# Deterministic, machine-independent runs. (No MPLBACKEND here: it would reach the
# kernels of `make lab`; the notebook runner draws on Agg canvases by itself.) One exported
# by the caller's shell is dropped too, so the lab's kernels keep the inline backend.
unexport MPLBACKEND
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 0
export TZ := UTC
export LC_ALL := C.UTF-8
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export UV_PROJECT_ENVIRONMENT := .venv
export PIP_DISABLE_PIP_VERSION_CHECK := 1
unexport PYTHONDONTWRITEBYTECODE

BOOTSTRAP_PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
ENV_STAMP := $(VENV)/.installed-from-uv.lock
KERNEL := wig-survey
PACKAGE_SRC := $(sort $(shell find analysis -name '*.py' -not -path '*/__pycache__/*') analysis/py.typed)
LAB_ARGS ?=

# --------------------------------------------------------------------- one build at a time
# Every building target re-enters make under an exclusive lock on build/.make.lock: a second
# `make all` waits for the first (up to LOCK_WAIT seconds), then finds it done. No rule
# deletes another run's files; temporary files are private (mktemp).
LOCK_WAIT ?= 900
LOCK := build/.make.lock
define locked
	@mkdir -p build
	+@if command -v flock >/dev/null 2>&1; then \
		flock -w $(LOCK_WAIT) -E 75 $(LOCK) $(MAKE) LOCKED=1 $(1) || { s=$$?; \
		[ $$s = 75 ] && echo "make: another build held $(LOCK) for $(LOCK_WAIT) s; try again" >&2; exit $$s; }; \
	else \
		echo "make: no flock on this machine: not guarding against concurrent builds" >&2; \
		$(MAKE) LOCKED=1 $(1); \
	fi
endef

# --------------------------------------------------------------------- inputs of a wave
# WAVE: the wave whose respondent-level edition is built; PREVIOUS_WAVE its comparison.
WAVE ?= 2025
PREVIOUS_WAVE ?= $(shell echo $$(( $(WAVE) - 1 )))
WAVE_DIR := build/waves/$(WAVE)
synthetic_export = $(wildcard data/raw/synthetic/responses_$(1).csv)
# The exports: the SYNTHETIC ones of data/raw/synthetic unless given.
RESPONSES ?= $(call synthetic_export,$(WAVE))
PREVIOUS_RESPONSES ?= $(call synthetic_export,$(PREVIOUS_WAVE))
# The questionnaire: codebook.csv, with codebook_options.csv and items.csv beside it.
CODEBOOK ?= data/raw/codebook.csv
ITEMS ?= $(dir $(CODEBOOK))items.csv
CODEBOOK_FILES = $(sort $(wildcard $(dir $(CODEBOOK))codebook*.csv) $(ITEMS))
QUESTIONNAIRE ?=
$(if $(filter-out 1,$(words $(CODEBOOK))),$(error CODEBOOK=$(CODEBOOK): a codebook path may not \
	contain spaces (make lists its files); move or rename its folder))
# Weighting targets (file and scheme).
TARGETS ?= data/raw/weighting_targets.csv
WEIGHTING ?= equal_sectors

# A stamp holds a value (and the content hash of the files it names); it is rewritten
# only when that changes, so a rule that depends on it reruns exactly then. Stamps are
# written by the make that builds, under the lock: an outer make that only hands locked goals
# to an inner one writes none, so a second `make all DEFF=...` waiting for the lock cannot
# re-stamp a parameter while the first build is still writing outputs at the old value.
LOCKED_GOALS := all test figures report clean check-report check-lab
WRITES_STAMPS := $(if $(LOCKED)$(filter-out $(LOCKED_GOALS),$(or $(MAKECMDGOALS),all)),yes)
# A single path for a shell command, quoted: exports are often named "WIG 2026_June 3, 2026.csv".
quoted = $(if $(strip $(1)),'$(strip $(1))')
stamp_value = $(strip $(1)) $(if $(strip $(2)),$(shell cat $(2) 2>/dev/null | sha256sum | cut -c1-64))
define write_stamp
$(if $(WRITES_STAMPS),$(shell mkdir -p $(dir $(1)) && v='$(call stamp_value,$(2),$(3))' && \
	{ [ "$$(cat $(1) 2>/dev/null)" = "$$v" ] || { t=$$(mktemp $(1).XXXXXX) && \
	printf '%s\n' "$$v" > $$t && mv -f $$t $(1); }; }))
endef
WAVE_STAMPS := $(addprefix $(WAVE_DIR)/params/,RESPONSES PREVIOUS_RESPONSES CODEBOOK TARGETS \
	WEIGHTING PREVIOUS_WAVE QUESTIONNAIRE)
ifeq ($(filter help clean lock doctor lab,$(MAKECMDGOALS)),)
$(call write_stamp,$(WAVE_DIR)/params/RESPONSES,$(RESPONSES),$(call quoted,$(RESPONSES)))
$(call write_stamp,$(WAVE_DIR)/params/PREVIOUS_RESPONSES,$(PREVIOUS_RESPONSES),$(call quoted,$(PREVIOUS_RESPONSES)))
$(call write_stamp,$(WAVE_DIR)/params/CODEBOOK,$(CODEBOOK),$(CODEBOOK_FILES))
$(call write_stamp,$(WAVE_DIR)/params/TARGETS,$(TARGETS),$(call quoted,$(TARGETS)))
$(call write_stamp,$(WAVE_DIR)/params/WEIGHTING,$(WEIGHTING),)
$(call write_stamp,$(WAVE_DIR)/params/PREVIOUS_WAVE,$(PREVIOUS_WAVE),)
$(call write_stamp,$(WAVE_DIR)/params/QUESTIONNAIRE,$(QUESTIONNAIRE),)
endif
$(WAVE_STAMPS): ;

# --------------------------------------------------------------------- generated lists
# Notebook and figure lists, generated from the registry (system Python: stdlib only).
build/registry.mk: notebooks/registry.toml analysis/tooling/registry.py analysis/paths.py
	@mkdir -p $(@D)
	@t=$$(mktemp $@.XXXXXX) && $(BOOTSTRAP_PYTHON) -m analysis.tooling.registry makefile > $$t \
		&& mv -f $$t $@
include build/registry.mk

# A parameter's stamp is rewritten only when its value changes, so `make all LEVEL=0.99`
# re-runs exactly the rules that take LEVEL.
$(foreach v,$(PARAM_VARS),$(call write_stamp,build/params/$(v),$($(v)),))
build/params/%: ;
# The report names the commit it was built from: its stamp changes only when HEAD moves.
REPORT_COMMIT := $(shell git rev-parse HEAD 2>/dev/null || echo none)
$(call write_stamp,build/params/COMMIT,$(REPORT_COMMIT),)
# The report's own code, style sheet and notebook-page template.
REPORT_SRC := analysis/tooling/report.py analysis/tooling/report.css analysis/tooling/notebook.py \
	$(wildcard analysis/tooling/templates/*/*)

RAW_FILES := $(sort $(wildcard data/raw/*.csv data/raw/*.json data/raw/synthetic/*)) \
	data/raw/SHA256SUMS
# Every rule reading data/raw has this as an order-only prerequisite: the checksums are
# verified first whenever data/raw changes.
RAW_CHECKED := build/raw-checked.sha256
RAW_PUBLISHED := $(addprefix data/raw/,datapackage.json documents.csv groups.csv items.csv \
	published.csv discrepancies.csv claims.csv)
PUBLISHED := data/processed/published.csv data/processed/published.parquet
AUDIT := data/processed/claims_audit.csv data/processed/claims_audit.parquet
ESTIMATES := data/processed/estimates_published.csv data/processed/estimates_published.parquet \
	data/processed/comparisons_published.csv data/processed/comparisons_published.parquet
PROCESSED := $(PUBLISHED) $(AUDIT) $(ESTIMATES)
MANIFEST := figures/manifest.json
REPORT := build/report/index.html
WAVE_CLEAN := $(WAVE_DIR)/data/respondents_$(WAVE).parquet
WAVE_CLEAN_PREVIOUS := $(if $(strip $(PREVIOUS_RESPONSES)),$(WAVE_DIR)/data/respondents_$(PREVIOUS_WAVE).parquet)
WAVE_DATA := $(WAVE_DIR)/data/estimates.parquet $(WAVE_DIR)/data/comparisons.parquet \
	$(WAVE_DIR)/data/weights.parquet $(WAVE_DIR)/data/weighting.json $(WAVE_DIR)/data/provenance.json \
	$(WAVE_DIR)/data/banner.csv
NOTEBOOK_TARGETS := $(PUBLISHED_NOTEBOOKS) $(PUBLISHED_FIGURES) \
	$(RESPONDENTS_NOTEBOOKS) $(RESPONDENTS_FIGURES)
.PRECIOUS: $(NOTEBOOK_TARGETS)
.SECONDARY:

##@ Main

.PHONY: all
all: ## Build everything: data, notebooks, figures, report (both editions)
ifeq ($(LOCKED),)
	$(call locked,all)
else
all: $(ENV_STAMP) $(PROCESSED) $(NOTEBOOK_TARGETS) $(MANIFEST) $(REPORT)
endif

.PHONY: test
test: ## Lint, unit tests, doctests, and checks of the built notebooks and figures
ifeq ($(LOCKED),)
	$(call locked,test)
else
test: $(ENV_STAMP) all
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -n 2 --dist loadfile
endif

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

.PHONY: pin-raw
pin-raw: $(ENV_STAMP) ## After a deliberate edit of data/raw: validate it, then re-pin SHA256SUMS
	$(PY) -m analysis.source.published validate --raw data/raw
	$(PY) -m analysis.source.checksums write data/raw
	@echo "data/raw re-pinned: review 'git diff data/raw' and commit the edit with SHA256SUMS"

$(RAW_CHECKED): $(RAW_FILES) $(ENV_STAMP)
	@mkdir -p $(@D)
	$(PY) -m analysis.source.checksums check data/raw
	@cp data/raw/SHA256SUMS $@

$(PUBLISHED) &: $(RAW_PUBLISHED) $(PACKAGE_SRC) $(ENV_STAMP) Makefile | $(RAW_CHECKED)
	$(PY) -m analysis.source.published build --raw data/raw --out data/processed/published

$(AUDIT) &: $(RAW_PUBLISHED) build/params/LEVEL build/params/ALPHA build/params/BASE_ALL \
		build/params/BASE_SECTOR build/params/DEFF $(PACKAGE_SRC) $(ENV_STAMP) Makefile \
		| $(RAW_CHECKED)
	$(PY) -m analysis.audit.claims build --raw data/raw --out data/processed/claims_audit \
		--level $(LEVEL) --alpha $(ALPHA) --base-all $(BASE_ALL) --base-sector $(BASE_SECTOR) \
		--deff $(DEFF)

$(ESTIMATES) &: $(RAW_PUBLISHED) build/params/LEVEL build/params/ALPHA build/params/BASE_ALL \
		build/params/BASE_SECTOR build/params/CI_METHOD build/params/DEFF $(PACKAGE_SRC) \
		$(ENV_STAMP) Makefile | $(RAW_CHECKED)
	$(PY) -m analysis.estimates.from_published build --raw data/raw \
		--out data/processed/estimates_published \
		--comparisons-out data/processed/comparisons_published \
		--level $(LEVEL) --alpha $(ALPHA) --base-all $(BASE_ALL) --base-sector $(BASE_SECTOR) \
		--ci-method $(CI_METHOD) --deff $(DEFF)

# The wave edition: clean each export, then weight and estimate (build/waves/<WAVE>/data).
# A user's export is only ever read; its cleaned copy and log go under build/.
$(WAVE_CLEAN) $(WAVE_DIR)/data/cleaning_log_$(WAVE).csv &: $(WAVE_DIR)/params/RESPONSES \
		$(WAVE_DIR)/params/CODEBOOK $(WAVE_DIR)/params/QUESTIONNAIRE $(PACKAGE_SRC) $(ENV_STAMP) \
		Makefile | $(RAW_CHECKED)
	@[ -n "$(strip $(RESPONSES))" ] || { echo "make: WAVE=$(WAVE) has no synthetic export:" \
		"give its export with RESPONSES=path/to/export.csv (see README, 'Run the report on a new wave')" >&2; exit 2; }
	$(PY) -m analysis.respondents.clean build --responses "$(RESPONSES)" --wave $(WAVE) \
		--codebook $(CODEBOOK) $(if $(QUESTIONNAIRE),--questionnaire $(QUESTIONNAIRE)) \
		--out $(WAVE_DIR)/data/respondents_$(WAVE) --log $(WAVE_DIR)/data/cleaning_log_$(WAVE).csv

$(WAVE_DIR)/data/respondents_$(PREVIOUS_WAVE).parquet \
$(WAVE_DIR)/data/cleaning_log_$(PREVIOUS_WAVE).csv &: $(WAVE_DIR)/params/PREVIOUS_RESPONSES \
		$(WAVE_DIR)/params/CODEBOOK $(PACKAGE_SRC) $(ENV_STAMP) Makefile | $(RAW_CHECKED)
	$(PY) -m analysis.respondents.clean build --responses "$(PREVIOUS_RESPONSES)" \
		--wave $(PREVIOUS_WAVE) --codebook $(CODEBOOK) \
		--out $(WAVE_DIR)/data/respondents_$(PREVIOUS_WAVE) \
		--log $(WAVE_DIR)/data/cleaning_log_$(PREVIOUS_WAVE).csv

$(WAVE_DATA) &: $(WAVE_CLEAN) $(WAVE_CLEAN_PREVIOUS) $(WAVE_DIR)/params/TARGETS \
		$(WAVE_DIR)/params/CODEBOOK $(WAVE_DIR)/params/QUESTIONNAIRE \
		$(WAVE_DIR)/params/WEIGHTING $(WAVE_DIR)/params/PREVIOUS_WAVE build/params/LEVEL \
		build/params/ALPHA $(PACKAGE_SRC) $(ENV_STAMP) Makefile
	$(PY) -m analysis.estimates.wave build --wave $(WAVE) \
		--respondents $(WAVE_CLEAN) --log $(WAVE_DIR)/data/cleaning_log_$(WAVE).csv \
		$(if $(WAVE_CLEAN_PREVIOUS),--previous $(WAVE_CLEAN_PREVIOUS) \
			--previous-log $(WAVE_DIR)/data/cleaning_log_$(PREVIOUS_WAVE).csv) \
		--targets $(TARGETS) --scheme $(WEIGHTING) --level $(LEVEL) --alpha $(ALPHA) \
		--codebook $(CODEBOOK) $(if $(QUESTIONNAIRE),--questionnaire $(QUESTIONNAIRE)) \
		--out-dir $(WAVE_DIR)/data

##@ Figures and report

# One rule for every notebook of both editions: the runner re-executes only the notebooks
# whose fingerprint (source, inputs, parameters, package) changed, in warm workers.
$(NOTEBOOK_TARGETS) &: $(NOTEBOOK_SOURCES) $(PUBLISHED_INPUTS) $(RESPONDENTS_INPUTS) \
		$(PUBLISHED_PARAM_STAMPS) $(RESPONDENTS_PARAM_STAMPS) notebooks/registry.toml \
		$(PACKAGE_SRC) $(ENV_STAMP)
	@mkdir -p build && t=$$(mktemp build/jobs.XXXXXX) && trap 'rm -f "$$t"' EXIT && \
	$(PY) -m analysis.tooling.registry jobs --out "$$t" --edition published --edition respondents \
		--set wave=$(WAVE) --set previous_wave=$(PREVIOUS_WAVE) --set wave_dir=$(WAVE_DIR) \
		--set items=$(ITEMS) $(foreach v,$(PARAM_VARS),-p $(v)=$($(v))) && \
	$(PY) -m analysis.tooling.runner "$$t"

$(MANIFEST): $(PUBLISHED_NOTEBOOKS) $(PUBLISHED_FIGURES) $(PROCESSED) notebooks/registry.toml $(ENV_STAMP)
	$(PY) -m analysis.tooling.registry manifest --out $@ $(PROCESSED)

$(REPORT): $(MANIFEST) $(PUBLISHED_NOTEBOOKS) $(RESPONDENTS_NOTEBOOKS) $(NOTEBOOK_SOURCES) \
		data/raw/discrepancies.csv data/raw/documents.csv CITATION.cff build/params/COMMIT \
		$(REPORT_SRC) $(PACKAGE_SRC) $(ENV_STAMP)
	$(PY) -m analysis.tooling.report --out $@ $(foreach d,$(sort $(WAVE_DIR) \
		$(patsubst %/data/provenance.json,%,$(wildcard build/waves/*/data/provenance.json))),--wave-dir $(d))

.PHONY: figures
figures: ## Run the notebooks and write every figure
ifeq ($(LOCKED),)
	$(call locked,figures)
else
figures: $(ENV_STAMP) $(NOTEBOOK_TARGETS)
endif

.PHONY: report
report: ## Build the HTML report (build/report/index.html)
ifeq ($(LOCKED),)
	$(call locked,report)
else
report: $(ENV_STAMP) $(REPORT)
endif

.PHONY: check-report
check-report: all ## Report in headless Chromium at 1400 and 390 px and on A4: images, links, no overflow
	$(PY) scripts/check_report.py $(REPORT)

.PHONY: check-lab
check-lab: all ## JupyterLab in headless Chromium: inline figure, save keeps the .py, git stays clean
	$(PY) scripts/check_lab.py

.PHONY: verify
verify: $(ENV_STAMP) ## Compare outputs with the COMMITTED manifest, then clean rebuild and again
	@expected=$$(mktemp) && trap 'rm -f "$$expected"' EXIT && \
	if git rev-parse --verify -q HEAD >/dev/null 2>&1 && git cat-file -e HEAD:$(MANIFEST) 2>/dev/null; then \
		git show HEAD:$(MANIFEST) > "$$expected"; from="HEAD:$(MANIFEST) (committed)"; \
	else cp $(MANIFEST) "$$expected"; from="$(MANIFEST) (working tree: not a git checkout)"; fi && \
	echo "verify: comparing with $$from" && status=0 && \
	{ $(PY) -m analysis.tooling.verify "$$expected" --stage "files as they are" || status=1; } && \
	$(MAKE) clean && $(MAKE) all && \
	{ $(PY) -m analysis.tooling.verify "$$expected" --stage "clean rebuild" || status=1; } && \
	exit $$status

.PHONY: check-determinism
check-determinism: $(ENV_STAMP) ## Rebuild under several BLAS/SIMD kernels; require identical bytes
	+bash scripts/check_determinism.sh

##@ Reference checks and benchmarks (not part of the build)

.PHONY: bench
bench: ## Benchmark raking against peer packages (own venv in build/bench-venv)
	bash benchmarks/run.sh

.PHONY: bench-build
bench-build: $(ENV_STAMP) ## Time warm `make all`, no-op `make all` and `make test` (medians)
	+$(PY) benchmarks/build_times.py

.PHONY: r-fixtures
r-fixtures: ## Regenerate R `survey` reference fixtures (needs: apt-get install r-base-core r-cran-survey)
	Rscript scripts/r_reference.R

.PHONY: quotes
quotes: $(ENV_STAMP) ## Check every quote against the source texts (needs ../shared/seeds)
	$(PY) scripts/check_quotes.py --seeds $(or $(SEEDS),../shared/seeds)

##@ Housekeeping

.PHONY: clean
clean: ## Remove build outputs (build/, figures, processed data); never touches data/raw
ifeq ($(LOCKED),)
	$(call locked,clean)
else
	@find build -mindepth 1 -maxdepth 1 ! -name .make.lock -exec rm -rf {} + 2>/dev/null || true
	@rm -rf analysis/__pycache__ analysis/*/__pycache__
	@rm -f $(PUBLISHED_FIGURES) $(MANIFEST) $(PROCESSED)
	@echo "removed build/, $(words $(PUBLISHED_FIGURES)) figure files, the manifest and \
	$(words $(PROCESSED)) processed files (data/raw untouched)"
endif

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^##@/ {printf "\n%s\n", substr($$0, 5)} \
		/^[a-zA-Z_-]+:.*## / {printf "  make %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo ""
	@echo "Parameters (make all NAME=value): $(PARAM_VARS)"
	@echo "Wave edition: WAVE=$(WAVE) PREVIOUS_WAVE=$(PREVIOUS_WAVE) RESPONSES=... PREVIOUS_RESPONSES=..."
	@echo "              CODEBOOK=$(CODEBOOK) TARGETS=$(TARGETS) WEIGHTING=$(WEIGHTING) QUESTIONNAIRE=..."
