"""Every notebook the build executed: views, no errors, one image per figure, true values.

``make test`` builds first (``make all``), so these tests read the executed notebooks of
both editions (the published one in ``build/notebooks``, the default wave's in
``build/waves/2025``) instead of running them again.
"""

from __future__ import annotations

import ast

import jupytext
import nbformat
import pandas as pd
import pytest

from analysis.paths import DATA_PROCESSED, ROOT
from analysis.tooling.registry import FIGURE_FORMATS, load_registry, runs

REGISTRY = load_registry()
VALUES = {"wave": 2025, "previous_wave": 2024, "wave_dir": "build/waves/2025",
          "items": "data/raw/items.csv"}  # fmt: skip
RUNS = runs(REGISTRY, VALUES, list(REGISTRY.editions))
IDS = [f"{r.edition.name}-{r.notebook.name}" for r in RUNS]
#: Lines of code a notebook view may hold (issue 10: "about 15-40").
MAX_CODE_LINES = 40


def _executed(run) -> nbformat.NotebookNode:
    path = ROOT / run.executed
    if not path.is_file():
        pytest.fail(f"{run.executed} is not built: run `make all` (make test does) first")
    return nbformat.read(path, as_version=4)


def _code_lines(nb_source) -> int:
    nb = jupytext.read(nb_source)
    lines = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                lines += 1
    return lines


def _parameters_cell(nb_source) -> dict:
    nb = jupytext.read(nb_source)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    tree = ast.parse(cell.source)
    return {t.targets[0].id: ast.literal_eval(t.value) for t in tree.body}


@pytest.mark.parametrize("nb", REGISTRY.notebooks, ids=[nb.name for nb in REGISTRY.notebooks])
def test_notebook_is_a_view(nb):
    assert _code_lines(nb.source) <= MAX_CODE_LINES, f"{nb.name}: {_code_lines(nb.source)} lines"
    source = nb.source.read_text()
    for forbidden in ("import matplotlib", "plt.", "save_figure(", "pd.concat("):
        assert forbidden not in source, f"{nb.name} does figure work: {forbidden}"


@pytest.mark.parametrize("run", RUNS, ids=IDS)
def test_parameters_cell_declares_what_the_build_passes(run):
    declared = _parameters_cell(run.notebook.source)
    passed = run.parameters(REGISTRY, {})
    assert set(declared) == set(passed), f"{run.notebook.name}: parameters cell vs registry"
    for name in run.notebook.parameters:
        assert declared[name] == REGISTRY.parameters[name].default, name


@pytest.mark.parametrize("run", RUNS, ids=IDS)
def test_executed_notebook_has_no_error_and_shows_each_figure_once(run):
    nb = _executed(run)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == len(run.notebook.figures), run.notebook.name
    recorded = nb.metadata.papermill.parameters
    assert recorded["edition"] == run.edition.name
    for path in run.figure_outputs():
        assert (ROOT / path).stat().st_size > 0, path


@pytest.mark.parametrize("run", [r for r in RUNS if r.edition.name == "published"],
                         ids=[i for i in IDS if i.startswith("published")])  # fmt: skip
def test_published_figures_plot_the_published_values(run):
    published = pd.read_parquet(DATA_PROCESSED / "published.parquet").set_index("stat_id")
    for fig in run.notebook.figures:
        svg = (ROOT / run.figures_dir / f"{fig.id}.svg").read_text()
        assert "<dc:date>" not in svg and "Matplotlib v" not in svg
        plotted = pd.read_csv(ROOT / run.figures_dir / f"{fig.id}.csv")
        if "stat_id" not in plotted or "value" not in plotted:
            continue
        rows = plotted.dropna(subset=["stat_id", "value"])
        rows = rows[~rows["stat_id"].astype(str).str.contains(";")]
        rows = rows[rows["stat_id"].isin(published.index)]
        for stat_id, value in zip(rows["stat_id"], rows["value"], strict=True):
            if published.loc[stat_id, "measure"] != "level":
                continue
            assert value == pytest.approx(published.loc[stat_id, "value"]), f"{fig.id} {stat_id}"
    assert set(FIGURE_FORMATS) == {"svg", "png", "csv"}
