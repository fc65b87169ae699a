"""The registry is the single list: make variables, jobs, README table, manifest derive from it."""

from __future__ import annotations

import json
import re

from analysis.io import sha256_file
from analysis.paths import ROOT
from analysis.tooling.registry import (
    README_BEGIN,
    README_END,
    jobs,
    load_registry,
    makefile_rules,
    readme_table,
    runs,
)

REGISTRY = load_registry()
WAVE_VALUES = {"wave": 2026, "previous_wave": 2025, "wave_dir": "build/waves/2026",
               "items": "data/raw/items.csv"}  # fmt: skip


def test_ids_are_stable_and_well_formed():
    ids = [fig.id for fig in REGISTRY.figures]
    assert len(ids) == len(set(ids)) >= 17
    assert all(re.fullmatch(r"fig-(2024|2025|audit|resp)-\d\d-[a-z0-9-]+", i) for i in ids), ids
    slugs = [fig.slug for fig in REGISTRY.figures]
    assert len(slugs) == len(set(slugs))
    fig = REGISTRY.figure("fig-2025-07-optimism-by-sector")
    assert fig.id_for("published") == fig.id
    assert fig.id_for("respondents", 2026) == "resp-2026-07-optimism-by-sector"


def test_every_notebook_source_exists_and_every_figure_has_text():
    for nb in REGISTRY.notebooks:
        assert nb.source.exists(), nb.source
        assert nb.editions and set(nb.editions) <= set(REGISTRY.editions)
        for fig in nb.figures:
            assert fig.title and fig.alt and fig.subtitle, fig.id


def test_make_variables_list_every_output_input_and_parameter_stamp():
    rules = makefile_rules(REGISTRY)
    variables = dict(line.split(" := ", 1) for line in rules.splitlines() if " := " in line)
    published = variables["PUBLISHED_FIGURES"].split()
    assert "figures/fig-2025-07-optimism-by-sector.svg" in published
    assert "build/notebooks/07_outlook.ipynb" in variables["PUBLISHED_NOTEBOOKS"].split()
    wave = variables["RESPONDENTS_FIGURES"].split()
    assert "$(WAVE_DIR)/figures/resp-$(WAVE)-07-optimism-by-sector.svg" in wave
    assert "$(WAVE_DIR)/data/estimates.parquet" in variables["RESPONDENTS_INPUTS"].split()
    assert "build/params/LEVEL" in variables["PUBLISHED_PARAM_STAMPS"].split()
    assert "notebooks/07_outlook.py" in variables["NOTEBOOK_SOURCES"].split()
    # verdicts follow the interval level unless ALPHA is given explicitly
    assert "ALPHA ?= $(shell awk 'BEGIN { print 1 - $(LEVEL) }')" in rules


def test_jobs_pass_every_input_and_parameter_of_each_edition():
    made = jobs(REGISTRY, WAVE_VALUES, {"level": "0.9"}, ["published", "respondents"])
    by = {(j["output"]): j for j in made}
    pub = by["build/notebooks/07_outlook.ipynb"]
    assert pub["parameters"]["level"] == 0.9  # numbers given as text become numbers
    assert pub["parameters"]["edition"] == "published"
    assert pub["parameters"]["figures_dir"] == "figures"
    assert "data/processed/estimates_published.parquet" in pub["inputs"]
    wave = by["build/waves/2026/notebooks/07_outlook.ipynb"]
    assert wave["parameters"]["wave"] == 2026 and wave["parameters"]["previous_wave"] == 2025
    assert wave["parameters"]["figures_dir"] == "build/waves/2026/figures"
    assert "build/waves/2026/figures/resp-2026-07-optimism-by-sector.png" in wave["outputs"]
    for j in made:  # every placeholder filled (the registry entry's templates keep theirs)
        texts = [j["output"], *j["inputs"], *j["outputs"], *map(str, j["parameters"].values())]
        assert not [s for s in texts if "{" in s], j["output"]


def test_readme_figure_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    current = readme[readme.index(README_BEGIN) : readme.index(README_END) + len(README_END)]
    assert current == readme_table(REGISTRY), "run: python -m analysis.tooling.registry readme"


def test_committed_manifest_matches_registry_and_sources():
    """figures/manifest.json lists every published figure and pins the current sources."""
    manifest = json.loads((ROOT / "figures" / "manifest.json").read_text(encoding="utf-8"))
    published = [f for r in runs(REGISTRY, {}, ["published"]) for f in r.notebook.figures]
    assert [f["id"] for f in manifest["figures"]] == [f.id for f in published]
    for entry in manifest["figures"]:
        fig = REGISTRY.figure(entry["id"])
        source = fig.notebook.source.relative_to(ROOT).as_posix()
        assert entry["inputs"][source] == sha256_file(fig.notebook.source), (
            f"{source} changed since figures/manifest.json was built: run make all and commit"
        )
        assert sorted(entry["outputs"]) == sorted(
            p.relative_to(ROOT).as_posix() for p in fig.outputs
        )
        assert entry["parameters"], f"{entry['id']}: papermill parameters not recorded"
