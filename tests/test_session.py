"""Notebook conventions: scratch figures folder, one-line missing-input error, one display.

The kernel tests run small notebooks through the build's runner (papermill on the project
kernel), with ``MPLBACKEND=Agg`` exported as the old Makefile did, to prove the figure
still shows exactly once and the missing-input error stays one line.
"""

from __future__ import annotations

import textwrap

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from analysis.paths import ROOT
from analysis.tooling.notebook import run_notebook
from analysis.tooling.session import SCRATCH, MissingInputError, figures_folder, require_input


def test_empty_figures_dir_is_a_scratch_folder_under_build():
    for empty in ("", None):
        assert figures_folder(empty, "07_outlook") == SCRATCH / "07_outlook"
    assert SCRATCH.relative_to(ROOT).parts[0] == "build"


def test_figures_dir_relative_to_root_or_absolute(tmp_path):
    assert figures_folder("figures", "x") == ROOT / "figures"
    assert figures_folder(str(tmp_path / "a"), "x") == tmp_path / "a"


def test_missing_input_is_one_line_naming_the_target():
    with pytest.raises(FileNotFoundError) as info:
        require_input("data/processed/respondents_1999.parquet", "make all WAVE=1999")
    err = info.value
    assert isinstance(err, MissingInputError)
    assert str(err) == (
        "data/processed/respondents_1999.parquet is not built yet: run `make all WAVE=1999` first"
    )
    assert err._render_traceback_() == [f"MissingInputError: {err}"]


def test_existing_input_is_returned_absolute():
    assert require_input("data/raw/SHA256SUMS") == ROOT / "data" / "raw" / "SHA256SUMS"


def _notebook(tmp_path, source: str):
    path = tmp_path / "nb.py"
    path.write_text(textwrap.dedent(source))
    return path


def _images(nb) -> list[dict]:
    return [
        out
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]


@pytest.mark.notebooks
def test_show_figure_displays_once_with_alt_even_under_agg(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    source = _notebook(
        tmp_path,
        """\
        # %%
        import matplotlib.pyplot as plt
        from analysis.tooling.session import show_figure

        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1], [0, 1])
        show_figure(fig, alt="A line rising from 0 to 1.")

        # %%
        plt.get_fignums()
        """,
    )
    nb = run_notebook(source, tmp_path / "out.ipynb")
    images = _images(nb)
    assert len(images) == 1
    meta = images[0]["metadata"]["image/png"]
    assert meta["alt"] == "A line rising from 0 to 1."
    assert (int(meta["width"]), int(meta["height"])) == (300, 200)
    # Closed from pyplot, so nothing is left for the inline backend to show again.
    assert nb.cells[-1].outputs[0]["data"]["text/plain"] == "[]"


@pytest.mark.notebooks
def test_batch_kernels_draw_inline_like_the_lab(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    source = _notebook(
        tmp_path,
        """\
        # %%
        import matplotlib
        import matplotlib.pyplot as plt

        plt.plot([0, 1])
        print(matplotlib.get_backend())
        """,
    )
    nb = run_notebook(source, tmp_path / "out.ipynb")
    assert "inline" in "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert len(_images(nb)) == 1


@pytest.mark.notebooks
def test_missing_input_in_a_kernel_is_one_line(tmp_path):
    source = _notebook(
        tmp_path,
        """\
        # %%
        from analysis.tooling.session import require_input

        require_input("data/processed/nothing_here.parquet", "make all")
        """,
    )
    with pytest.raises(PapermillExecutionError):
        run_notebook(source, tmp_path / "out.ipynb")
    failed = nbformat.read(tmp_path / "out.failed.ipynb", as_version=4)
    error = next(o for c in failed.cells for o in c.get("outputs", []) if o.output_type == "error")
    assert error["ename"] == "MissingInputError"
    assert error["traceback"] == [
        "MissingInputError: data/processed/nothing_here.parquet is not built yet: "
        "run `make all` first"
    ]
