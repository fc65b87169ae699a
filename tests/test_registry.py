"""The registry is the single list: Makefile rules, README table and notebooks derive from it."""

from __future__ import annotations

import re

from analysis.paths import ROOT
from analysis.tooling.registry import (
    README_BEGIN,
    README_END,
    load_registry,
    makefile_rules,
    readme_table,
)

REGISTRY = load_registry()


def test_ids_are_stable_and_well_formed():
    ids = [fig.id for fig in REGISTRY.figures]
    assert len(ids) == len(set(ids)) >= 16
    assert all(re.fullmatch(r"fig-(2024|2025|audit|resp)-\d\d-[a-z0-9-]+", i) for i in ids), ids
    assert "fig-2025-07-optimism-by-sector" in ids


def test_every_notebook_source_exists_and_every_figure_has_text():
    for nb in REGISTRY.notebooks:
        assert nb.source.exists(), nb.source
        for fig in nb.figures:
            assert len(fig.title.split()) <= 15, f"{fig.id}: title over 15 words"
            assert fig.alt and fig.subtitle, fig.id


def test_makefile_rules_pass_every_input_and_parameter_with_p():
    rules = makefile_rules(REGISTRY)
    nb = REGISTRY.notebook("07_outlook")
    (rule,) = [block for block in rules.split("\n\n") if block.startswith(nb.executed)]
    for name, path in nb.inputs.items():
        assert f"-p {name} {path}" in rule
        assert path in rule.split("&:")[1].split("\n")[0]  # and is a prerequisite
    for name in nb.parameters:
        var = REGISTRY.parameters[name].make_var
        assert f"-p {name} $({var})" in rule
        assert f"build/params/{var}" in rule
    assert "figures/fig-2025-07-optimism-by-sector.svg" in rule.split("&:")[0]
    assert "$(PACKAGE_SRC)" in rule and "notebooks/07_outlook.py" in rule
    # verdicts follow the interval level unless ALPHA is given explicitly
    assert "ALPHA ?= $(shell awk 'BEGIN { print 1 - $(LEVEL) }')" in rules
    assert "notebooks/registry.toml" in rule.split("&:")[1]  # titles and alt text come from it


def test_readme_figure_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    current = readme[readme.index(README_BEGIN) : readme.index(README_END) + len(README_END)]
    assert current == readme_table(REGISTRY), "run: python -m analysis.tooling.registry readme"


def test_committed_manifest_matches_registry_and_sources():
    """figures/manifest.json lists every registry figure and pins the current sources."""
    import json

    from analysis.io import sha256_file

    manifest = json.loads((ROOT / "figures" / "manifest.json").read_text(encoding="utf-8"))
    assert [f["id"] for f in manifest["figures"]] == [f.id for f in REGISTRY.figures]
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
