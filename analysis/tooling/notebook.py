"""Execute a jupytext notebook with papermill, normalised and written atomically.

The build calls this module once per notebook::

    python -m analysis.tooling.notebook run notebooks/01_need.py build/notebooks/01_need.ipynb \\
        --html build/report/notebooks/01_need.html -p level 0.95 -p published_path data/...

Steps: read the percent-format source with jupytext; execute it with papermill on the
project's own kernel (:data:`KERNEL_NAME`) with the given parameters; normalise the
result (no timestamps or durations, stable cell ids, repository-relative paths, while
keeping papermill's recorded parameters as provenance); write the executed notebook and
its HTML rendering atomically. If any cell fails, papermill's partial output is kept
only as ``<output>.failed.ipynb`` for debugging and the command exits non-zero, so make
never takes a failed notebook as done.

>>> nb = nbformat.v4.new_notebook()
>>> nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
>>> nb.metadata["papermill"] = {"start_time": "2026-01-01", "parameters": {"level": 0.95}}
>>> clean = normalise_notebook(nb)
>>> clean.cells[0].id, "start_time" in clean.metadata["papermill"]
('cell-000', False)
>>> clean.metadata["papermill"]["parameters"]
{'level': 0.95}
"""

from __future__ import annotations

import argparse
import ast
import copy
import functools
import logging
import os
import re
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from analysis.io import atomic_open, write_text
from analysis.paths import ROOT

log = logging.getLogger(__name__)

#: The project environment's kernel; installed into ``.venv`` by ``make`` (see Makefile).
KERNEL_NAME = "wig-survey"

_VOLATILE_KEYS = {
    "start_time",
    "end_time",
    "duration",
    "execution",
    "iopub.execute_input",
    "iopub.status.busy",
    "iopub.status.idle",
    "shell.execute_reply",
}


def _strip_volatile(meta: Any) -> Any:
    if isinstance(meta, dict):
        return {k: _strip_volatile(v) for k, v in meta.items() if k not in _VOLATILE_KEYS}
    return meta


def _relative(value: Any) -> Any:
    """Make absolute paths inside the repository relative to its root (machine-independent)."""
    root = str(ROOT) + os.sep
    if isinstance(value, str):
        return value.replace(root, "")
    if isinstance(value, dict):
        return {k: _relative(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_relative(v) for v in value]
    return value


def normalise_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of an executed notebook with nothing that changes between builds.

    Removes execution timestamps and durations (notebook and cell metadata), numbers
    cells ``cell-000``, ``cell-001``..., rewrites absolute paths under the repository
    root as relative ones, and keeps ``metadata.papermill.parameters`` (provenance).
    """
    nb = copy.deepcopy(nb)
    nb.metadata = nbformat.from_dict(_relative(_strip_volatile(dict(nb.metadata))))
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:03d}"
        cell.metadata = nbformat.from_dict(_strip_volatile(dict(cell.metadata)))
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _relative(output["text"])
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in output.get("data", {}):
                    output["data"][mime] = _relative(output["data"][mime])
    nb.nbformat_minor = max(nb.nbformat_minor, 5)
    return nb


def parse_parameter(value: str) -> Any:
    """Read a ``-p`` value as papermill's CLI does: a Python literal if it is one, else text.

    >>> parse_parameter("0.95"), parse_parameter("274"), parse_parameter("data/x.csv")
    (0.95, 274, 'data/x.csv')
    >>> parse_parameter("True"), parse_parameter("[60, 80]")
    (True, [60, 80])
    """
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value


def notebook_title(nb: nbformat.NotebookNode, default: str = "Notebook") -> str:
    """The notebook's real title: the text of its first Markdown heading.

    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell("Intro\\n\\n# The *outlook* for `x`\\nText")]
    >>> notebook_title(nb)
    'The outlook for x'
    >>> notebook_title(nbformat.v4.new_notebook())
    'Notebook'
    """
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"#{1,6}\s+(.+?)\s*#*\s*$", line)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return default


#: nbconvert template for executed-notebook pages (extends the lab template; offline).
TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _html_exporter():
    """One exporter per process: its Jinja templates compile once (0.2 s per page otherwise)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="notebook_page", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input_prompt = False
    return exporter


def render_html(
    nb: nbformat.NotebookNode,
    *,
    back: str = "../index.html",
    source: str | None = None,
) -> str:
    """Render an executed notebook as a self-contained page of the report.

    The page is titled with the notebook's first heading (:func:`notebook_title`), links
    back to the report (``back``, by default with the notebook's anchor when its
    papermill ``input_path`` is known) and to its source, shows figures with the alt text
    :func:`analysis.tooling.session.show_figure` recorded, loads nothing from the network
    and carries no timestamp.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed, normalised notebook.
    back : str, default "../index.html"
        Link to the report, relative to the page.
    source : str, optional
        Link to the notebook's source; default ``../source/<name>.py`` (the report copies
        sources there) when the input path is known.
    """
    input_path = nb.metadata.get("papermill", {}).get("input_path")
    name = Path(input_path).stem if input_path else None
    if name and back == "../index.html":
        back = f"../index.html#nb-{name}"
    if source is None and input_path:
        source = f"../source/{Path(input_path).name}"
    exporter = _html_exporter()
    resources = {
        "metadata": {"name": notebook_title(nb)},
        "wig_page": {
            "back": back,
            "source": source or "",
            "source_name": Path(source).name if source else "",
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    # Nothing may load from the network: drop any remote script or stylesheet tag left.
    body = re.sub(r"<script[^>]+src=\"(https?:)?//[^\"]*\"[^>]*>\s*</script>\n?", "", body)
    body = re.sub(r"<link[^>]+href=\"(https?:)?//[^\"]*\"[^>]*>\n?", "", body)
    return body


def parameter_names(notebook: nbformat.NotebookNode) -> list[str]:
    r"""Names assigned in the notebook's cell tagged ``parameters`` (papermill's contract).

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "level = 0.95\nwave: int = 2025", metadata={"tags": ["parameters"]})])
    >>> parameter_names(nb)
    ['level', 'wave']
    """
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            tree = ast.parse(cell.source)
            names = []
            for node in tree.body:
                if isinstance(node, ast.Assign):
                    names += [t.id for t in node.targets if isinstance(t, ast.Name)]
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.append(node.target.id)
            return names
    return []


def check_parameters(
    notebook: nbformat.NotebookNode, parameters: Mapping[str, Any], source: os.PathLike[str] | str
) -> None:
    """Refuse a parameter the notebook does not declare (papermill would only log a warning
    and run on its default, so the output would silently not be what was asked for).

    Raises ``ValueError`` naming the notebook, the unknown names, the declared ones, and the
    make variables (``make all LEVEL=...``) for settings that are not notebook parameters.
    """
    declared = parameter_names(notebook)
    unknown = [name for name in parameters if name not in declared]
    if not unknown:
        return
    from analysis.tooling.registry import load_registry

    make_vars = {name: spec.make_var for name, spec in load_registry().parameters.items()}
    hints = [f"{make_vars[n]}={parameters[n]}" for n in unknown if n in make_vars]
    hint = (
        f"; it is a build setting: make all {' '.join(hints)}"
        if hints
        else "; a notebook takes only the names in its cell tagged 'parameters'"
    )
    raise ValueError(
        f"{source} has no parameter {', '.join(map(repr, unknown))} (it takes: "
        f"{', '.join(declared) or 'none'}){hint}"
    )


def run_notebook(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    parameters: Mapping[str, Any] | None = None,
    *,
    html: str | os.PathLike[str] | None = None,
    kernel_name: str = KERNEL_NAME,
    cwd: str | os.PathLike[str] | None = None,
) -> nbformat.NotebookNode:
    """Execute ``source`` (jupytext percent ``.py`` or ``.ipynb``) into ``output``.

    The kernel runs in ``cwd`` (default the repository root; JupyterLab would use
    ``notebooks/``: notebooks resolve their paths against ``analysis.paths.ROOT``, so both
    work). Raises papermill's ``PapermillExecutionError`` if a cell fails; then ``output``
    is not written (the partial notebook goes to ``<output stem>.failed.ipynb``).
    """
    import jupytext
    import papermill

    source, output = Path(source), Path(output)
    notebook = jupytext.read(source)
    check_parameters(notebook, parameters or {}, source)
    notebook.metadata["kernelspec"] = {
        "name": kernel_name,
        "display_name": f"Python ({kernel_name})",
        "language": "python",
    }
    failed = output.with_suffix(".failed.ipynb")
    failed.unlink(missing_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".run-") as tmpdir:
        staged, raw = Path(tmpdir) / source.with_suffix(".ipynb").name, Path(tmpdir) / "raw.ipynb"
        nbformat.write(notebook, staged)
        try:
            executed = papermill.execute_notebook(
                str(staged),
                str(raw),
                parameters=dict(parameters or {}),
                kernel_name=kernel_name,
                cwd=str(cwd or ROOT),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                # Figures inline as in JupyterLab, whatever MPLBACKEND the caller exported.
                extra_arguments=["--matplotlib=inline"],
            )
        except Exception:
            if raw.exists():
                os.replace(raw, failed)
            raise
    executed.metadata.setdefault("papermill", {}).update(
        input_path=str(source), output_path=str(output)
    )
    clean = normalise_notebook(executed)
    with atomic_open(output) as handle:
        nbformat.write(clean, handle)
    if html is not None:
        write_text(html, render_html(clean))
    return clean


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m analysis.tooling.notebook run SRC OUT [-p NAME VALUE]...``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.tooling.notebook", description=__doc__
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute one notebook with papermill")
    run.add_argument("source")
    run.add_argument("output")
    run.add_argument("--html", help="also write the executed notebook as HTML here")
    run.add_argument("--kernel", default=KERNEL_NAME)
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="papermill parameter (repeatable)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    params = {name: parse_parameter(value) for name, value in args.parameter}
    try:
        run_notebook(args.source, args.output, params, html=args.html, kernel_name=args.kernel)
    except ValueError as exc:  # a parameter the notebook does not take: one line
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # papermill's error already names the failing cell
        print(f"error: {args.source} failed: {exc}", file=sys.stderr)
        return 1
    print(f"executed {args.source} -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
