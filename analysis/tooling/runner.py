"""Run the build's notebooks in one pool of warm worker processes.

The build executes a dozen or more notebooks on every parameter change. Starting a Jupyter
kernel per notebook costs about 3 s before the first line runs (runner imports, kernel
start, pandas/matplotlib/scipy imports); most notebooks then run for under a second. This
runner instead:

* parameterises each notebook with papermill itself
  (:func:`papermill.parameterize.parameterize_notebook`: the ``injected-parameters`` cell
  and ``metadata.papermill.parameters`` are exactly papermill's);
* executes its cells in a worker process that imported the heavy libraries once, in a
  fresh IPython namespace per notebook (``InteractiveShell.reset``), from ``notebooks/``
  as JupyterLab does, capturing stdout/stderr, rich displays and results as notebook
  outputs (figures as PNG images);
* skips a notebook whose *fingerprint* (its source, the bytes of every input, its
  parameters, the package's sources and its registry entry) equals the one recorded in
  its executed copy and whose outputs exist (the outputs are then touched, so ``make``
  sees them as made), so one make rule can cover every notebook and still re-run only
  those whose inputs changed;
* writes every output atomically; a failing cell stops that notebook, its partial copy is
  written to ``<name>.failed.ipynb`` and the runner exits non-zero naming the notebook and
  the cell, and nothing is written that make would take as done.

The notebooks stay ordinary papermill notebooks: ``python -m analysis.tooling.notebook
run`` (papermill on the project kernel) runs any one of them the same way, and a test
checks the two agree.

>>> job = Job(source=Path("notebooks/x.py"), output=Path("build/x.ipynb"), parameters={"a": 1})
>>> job.name
'x'
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.paths import NOTEBOOKS, ROOT

log = logging.getLogger(__name__)

#: Bumped when the runner's output format changes (part of every fingerprint).
RUNNER_VERSION = "1"
#: Modules imported once per worker before any notebook runs.
WARM_MODULES = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "analysis.plot",
    "analysis.figures.base",
    "analysis.estimates.schema",
)


class NotebookFailed(RuntimeError):
    """A cell raised: the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class Job:
    """One notebook execution: source, executed copy, parameters, inputs and outputs.

    ``inputs`` are files whose bytes the fingerprint covers; ``outputs`` files the notebook
    writes (figures), which must exist after it runs and are touched when it is skipped.
    """

    source: Path
    output: Path
    parameters: Mapping[str, Any]
    inputs: tuple[Path, ...] = ()
    outputs: tuple[Path, ...] = ()
    extra: str = ""  # e.g. the registry entry: text the fingerprint covers
    cwd: Path = field(default=NOTEBOOKS)

    @property
    def name(self) -> str:
        """The notebook's name (source file stem)."""
        return self.source.stem

    @property
    def failed(self) -> Path:
        """Where a failing run leaves its partial notebook."""
        return self.output.with_suffix(".failed.ipynb")


# ----------------------------------------------------------------------------- fingerprints
def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_digest(root: Path = ROOT / "analysis") -> str:
    """SHA-256 over every source file of the package (paths and bytes, sorted)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(_sha(path).encode())
    return digest.hexdigest()


def fingerprint(job: Job, package: str) -> str:
    """What the executed notebook depends on, as one hex digest.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "nb.py").write_text("x = 1\\n")
    6
    >>> a = fingerprint(Job(d / "nb.py", d / "o.ipynb", {"level": 0.95}), "pkg")
    >>> b = fingerprint(Job(d / "nb.py", d / "o.ipynb", {"level": 0.9}), "pkg")
    >>> a == b
    False
    """
    parts = {
        "runner": RUNNER_VERSION,
        "package": package,
        "source": _sha(job.source),
        "parameters": json.dumps(dict(job.parameters), sort_keys=True, default=str),
        "inputs": {
            _rel(p): (_sha(p) if Path(p).is_file() else "missing") for p in sorted(job.inputs)
        },
        "outputs": sorted(_rel(p) for p in job.outputs),
        "extra": job.extra,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _rel(path: Path | str) -> str:
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def recorded_fingerprint(executed: Path) -> str | None:
    """The fingerprint stored in an executed notebook's metadata, if any."""
    try:
        meta = json.loads(Path(executed).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return None
    return meta.get("wig", {}).get("fingerprint")


def is_current(job: Job, package: str) -> bool:
    """True when the executed copy exists with this fingerprint and every output exists."""
    return (
        job.output.is_file()
        and all(Path(p).is_file() for p in job.outputs)
        and recorded_fingerprint(job.output) == fingerprint(job, package)
    )


# ----------------------------------------------------------------------------- execution
def _mime_bundle(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for mime, value in data.items():
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        out[mime] = value
    return out


_SHELL = None


def _shell():
    """The worker's IPython shell with a fresh user namespace."""
    global _SHELL
    from IPython.core.interactiveshell import InteractiveShell

    if _SHELL is None:
        _SHELL = InteractiveShell.instance(colors="nocolor")
        # The runner records results itself: no "Out[n]:" echo, no traceback printing.
        _SHELL.displayhook.write_output_prompt = lambda: None
        _SHELL.displayhook.write_format_data = lambda *a, **k: None
        _SHELL.showtraceback = lambda *a, **k: None
    _SHELL.reset(new_session=True)
    return _SHELL


def _run_cell(shell, code: str, count: int):
    """Execute one cell; return (outputs, exception or None)."""
    import nbformat
    from IPython.utils.capture import capture_output

    with capture_output(stdout=True, stderr=True, display=True) as cap:
        result = shell.run_cell(code, store_history=False, silent=False)
    outputs = []
    if cap.stdout:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=cap.stdout))
    if cap.stderr:
        outputs.append(nbformat.v4.new_output("stream", name="stderr", text=cap.stderr))
    for item in cap.outputs:
        outputs.append(
            nbformat.v4.new_output(
                "display_data", data=_mime_bundle(item.data), metadata=item.metadata or {}
            )
        )
    error = result.error_before_exec or result.error_in_exec
    if error is None and result.result is not None:
        data, metadata = shell.display_formatter.format(result.result)
        outputs.append(
            nbformat.v4.new_output(
                "execute_result",
                data=_mime_bundle(data),
                metadata=metadata or {},
                execution_count=count,
            )
        )
    if error is not None:
        lines = traceback.format_exception(type(error), error, error.__traceback__)
        outputs.append(
            nbformat.v4.new_output(
                "error",
                ename=type(error).__name__,
                evalue=str(error),
                traceback=[line.rstrip("\n") for line in lines],
            )
        )
    return outputs, error


def execute(job: Job, package: str) -> float:
    """Run one notebook in this process (fresh namespace); return the seconds it took.

    Raises
    ------
    NotebookFailed
        Naming the notebook, the cell (1-based, among all cells) and the error; the
        partial notebook is written to ``job.failed``. The job's executed copy and figures
        from an earlier run are removed: a figure of the last export must not stay beside a
        build that failed on this one.
    """
    try:
        return _execute(job, package)
    except BaseException:
        for path in (job.output, *job.outputs):
            Path(path).unlink(missing_ok=True)
        raise


def _execute(job: Job, package: str) -> float:
    import jupytext
    import nbformat
    from papermill.parameterize import parameterize_notebook

    from analysis.io import atomic_open
    from analysis.tooling.notebook import KERNEL_NAME, check_parameters, normalise_notebook

    start = time.perf_counter()
    nb = jupytext.read(job.source)
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": f"Python ({KERNEL_NAME})",
        "language": "python",
    }
    from papermill import __version__ as papermill_version

    # As papermill's load_notebook_node: papermill metadata, tags on every cell.
    nb.metadata.setdefault(
        "papermill",
        {
            "default_parameters": {},
            "parameters": {},
            "environment_variables": {},
            "version": papermill_version,
        },
    )
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        cell.metadata.setdefault("papermill", {})
    check_parameters(nb, job.parameters, job.source)
    nb = parameterize_notebook(nb, dict(job.parameters), kernel_name=KERNEL_NAME, language="python")
    shell = _shell()
    job.failed.unlink(missing_ok=True)
    count = 0
    previous = Path.cwd()
    try:
        os.chdir(job.cwd)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            outputs, error = _run_cell(shell, cell.source, count)
            cell.outputs = outputs
            cell.execution_count = count
            if error is not None:
                job.failed.parent.mkdir(parents=True, exist_ok=True)
                with atomic_open(job.failed) as handle:
                    nbformat.write(normalise_notebook(nb), handle)
                raise NotebookFailed(
                    f"{_rel(job.source)}, cell {index + 1}: {type(error).__name__}: {error} "
                    f"(partial notebook: {_rel(job.failed)})"
                )
    finally:
        os.chdir(previous)
    nb.metadata.setdefault("papermill", {}).update(
        input_path=_rel(job.source), output_path=_rel(job.output)
    )
    nb.metadata["wig"] = {"fingerprint": fingerprint(job, package)}
    missing = [_rel(p) for p in job.outputs if not Path(p).is_file()]
    if missing:
        raise NotebookFailed(f"{_rel(job.source)} ran but did not write {missing}")
    with atomic_open(job.output) as handle:
        nbformat.write(normalise_notebook(nb), handle)
    return time.perf_counter() - start


def _warm() -> None:
    import importlib
    import warnings

    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in WARM_MODULES:
        with contextlib.suppress(ImportError), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            importlib.import_module(name)


def _worker_execute_safe(args: tuple[Job, str]) -> float | str:
    """Run one job in a worker: its seconds, or the failure message."""
    job, package = args
    try:
        return execute(job, package)
    except NotebookFailed as err:
        return str(err)
    except Exception as err:  # a crash outside any cell (e.g. writing the output)
        return f"{_rel(job.source)}: {type(err).__name__}: {err}"


def run_jobs(jobs: Sequence[Job], *, workers: int | None = None, force: bool = False) -> int:
    """Run the stale jobs (all with ``force``) in a pool; touch the outputs of the rest.

    Returns the number of notebooks executed. Raises :class:`NotebookFailed` (after the
    other notebooks finished) when any failed, naming each.
    """
    package = package_digest()
    stale = [j for j in jobs if force or not is_current(j, package)]
    for job in jobs:
        if job not in stale:
            now = time.time()
            for path in (job.output, *job.outputs):
                os.utime(path, (now, now))
    if not stale:
        log.info("all %d notebooks up to date", len(jobs))
        return 0
    workers = max(1, min(workers or os.cpu_count() or 1, len(stale)))
    failures: list[str] = []
    if workers == 1:
        _warm()
        for job in stale:
            try:
                seconds = execute(job, package)
                print(f"executed {_rel(job.source)} -> {_rel(job.output)} ({seconds:.1f} s)")
            except NotebookFailed as err:
                failures.append(str(err))
    else:
        # Fresh interpreters (not fork: a forked copy can inherit a held lock), each warmed
        # once by the initializer, then reused for several notebooks.
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers, initializer=_warm) as pool:
            for job, outcome in zip(
                stale, pool.imap(_worker_execute_safe, [(j, package) for j in stale]), strict=True
            ):
                if isinstance(outcome, str):
                    failures.append(outcome)
                else:
                    print(f"executed {_rel(job.source)} -> {_rel(job.output)} ({outcome:.1f} s)")
    if failures:
        raise NotebookFailed("\n".join(sorted(failures)))
    return len(stale)


def jobs_from_json(path: str | os.PathLike[str]) -> list[Job]:
    """Jobs from a JSON list of ``{source, output, parameters, inputs, outputs, extra}``."""
    return [job_from_dict(spec) for spec in json.loads(Path(path).read_text(encoding="utf-8"))]


def job_from_dict(spec: Mapping[str, Any]) -> Job:
    """One :class:`Job` from its JSON form (paths relative to the repository root)."""
    return Job(
        source=ROOT / spec["source"],
        output=ROOT / spec["output"],
        parameters=dict(spec.get("parameters", {})),
        inputs=tuple(ROOT / p for p in spec.get("inputs", ())),
        outputs=tuple(ROOT / p for p in spec.get("outputs", ())),
        extra=str(spec.get("extra", "")),
    )


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m analysis.tooling.runner JOBS.json [--workers N] [--force]``."""
    parser = argparse.ArgumentParser(prog="python -m analysis.tooling.runner")
    parser.add_argument("jobs", help="JSON list of notebook jobs (analysis.tooling.registry jobs)")
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: cores)"
    )
    parser.add_argument("--force", action="store_true", help="run every notebook")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    # Call through the importable module, not __main__: spawned workers unpickle by name.
    from analysis.tooling import runner

    try:
        ran = runner.run_jobs(
            runner.jobs_from_json(args.jobs), workers=args.workers, force=args.force
        )
    except runner.NotebookFailed as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if ran == 0:
        print("notebooks: all up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
