"""Opening and saving a notebook with no edit leaves its committed ``.py`` byte-identical.

Two routes, both with the repository's ``jupytext.toml``: the jupytext command line
(``.py`` -> ``.ipynb`` -> ``.py``), and the contents manager JupyterLab itself saves through
(jupytext's async manager over jupyter-server's), including a save after a run, when the
lab has added outputs, execution counts, ``language_info`` and cell timing metadata.
``make check-lab`` repeats the save in a real browser.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess

import pytest

from analysis.paths import NOTEBOOKS, ROOT

SOURCES = sorted(NOTEBOOKS.glob("*.py"))


@pytest.fixture
def project(tmp_path):
    """A copy of the notebooks folder and jupytext.toml (the lab's view of the repository)."""
    shutil.copyfile(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    return tmp_path


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_cli_round_trip_is_byte_identical(project, source):
    from jupytext.cli import jupytext

    copy = project / "notebooks" / source.name
    ipynb = copy.with_suffix(".ipynb")
    assert jupytext(["--quiet", "--to", "ipynb", str(copy), "-o", str(ipynb)]) == 0
    copy.unlink()
    assert jupytext(["--quiet", "--to", "py:percent", str(ipynb), "-o", str(copy)]) == 0
    assert copy.read_bytes() == source.read_bytes()


def _lab_contents_manager(root):
    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
    from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

    return build_async_jupytext_contents_manager_class(AsyncLargeFileManager)(root_dir=str(root))


def _run_like_the_lab(content: dict) -> None:
    """What a Run All adds to the model before the lab saves it."""
    content["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    for count, cell in enumerate(content["cells"], start=1):
        cell["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
        cell["metadata"]["scrolled"] = True
        if cell["cell_type"] == "code":
            cell["execution_count"] = count
            cell["outputs"] = [
                {"output_type": "stream", "name": "stdout", "text": "printed\n"},
            ]


@pytest.mark.parametrize("after_run", [False, True], ids=["open-save", "run-save"])
def test_lab_save_keeps_every_source_byte_identical(project, after_run):
    cm = _lab_contents_manager(project)

    async def open_and_save(path: str) -> None:
        model = await cm.get(path)
        if after_run:
            _run_like_the_lab(model["content"])
        await cm.save({"type": "notebook", "format": "json", "content": model["content"]}, path)

    for source in SOURCES:
        path = f"notebooks/{source.name}"
        asyncio.run(open_and_save(path))
        assert (project / path).read_bytes() == source.read_bytes(), source.name
        # The pairing writes the .ipynb beside it (untracked: see .gitignore).
        assert (project / path).with_suffix(".ipynb").exists()


def test_paired_notebooks_and_scratch_are_ignored_by_git():
    paths = ["notebooks/07_outlook.ipynb", "build/scratch/figures/x.svg"]
    proc = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", *paths], capture_output=True, text=True
    )
    if proc.returncode == 128:
        pytest.skip("not a git checkout")
    assert proc.stdout.split() == paths
