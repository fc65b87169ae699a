"""The papermill runner: parameters, normalisation, determinism, failure handling."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import nbformat
import pytest

from analysis.paths import ROOT
from analysis.tooling.notebook import normalise_notebook, run_notebook

SOURCE = textwrap.dedent(
    """\
    # %% tags=["parameters"]
    factor = 2
    out_path = "unused"

    # %%
    result = factor * 21
    print(result)

    # %%
    if factor < 0:
        raise ValueError("negative factor")
    """
)


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "nb.py"
    path.write_text(SOURCE)
    return path


def _outputs_text(nb):
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def test_parameters_are_injected_and_recorded(source, tmp_path):
    out = tmp_path / "out.ipynb"
    nb = run_notebook(source, out, {"factor": 3})
    assert "63" in _outputs_text(nb)
    saved = nbformat.read(out, as_version=4)
    assert saved.metadata.papermill.parameters == {"factor": 3}
    # papermill inserts an "injected-parameters" cell after the tagged one
    tags = [c.metadata.get("tags", []) for c in saved.cells]
    assert ["injected-parameters"] in tags


def test_two_runs_are_byte_identical_and_free_of_timestamps(source, tmp_path):
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    run_notebook(source, a, {"factor": 1})
    run_notebook(source, b, {"factor": 1})
    # output_path differs by design; compare everything else
    ja, jb = json.loads(a.read_text()), json.loads(b.read_text())
    ja["metadata"]["papermill"].pop("output_path")
    jb["metadata"]["papermill"].pop("output_path")
    assert ja == jb
    text = a.read_text()
    for volatile in ("start_time", "end_time", "duration", "iopub.execute_input"):
        assert volatile not in text
    assert [c["id"] for c in ja["cells"]] == [f"cell-{i:03d}" for i in range(len(ja["cells"]))]


def test_failed_cell_writes_no_output_and_keeps_partial_copy(source, tmp_path):
    out = tmp_path / "out.ipynb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis.tooling.notebook",
            "run",
            str(source),
            str(out),
            "-p",
            "factor",
            "-1",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert "negative factor" in proc.stderr
    assert not out.exists()
    assert out.with_suffix(".failed.ipynb").exists()
    assert not list(tmp_path.glob(".run-*"))


def test_normalise_makes_repository_paths_relative():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"input_path": str(ROOT / "notebooks" / "x.py"), "duration": 1.0}
    clean = normalise_notebook(nb)
    assert clean.metadata.papermill == {"input_path": "notebooks/x.py"}
