"""What a notebook needs to behave the same in JupyterLab and in the build.

Three conventions, one helper each (every notebook in ``notebooks/`` follows them):

``figures_dir`` parameter
    The parameters cell declares ``figures_dir = None``. Exploring in JupyterLab then writes
    figures to the scratch folder :data:`SCRATCH_FIGURES` (``build/scratch/figures/``,
    ignored by git); only the build passes ``-p figures_dir figures``, so the committed
    figures change only through ``make``. :func:`resolve_figures_dir` turns the parameter
    into a folder.
Inputs the build makes
    ``require_input(path, target="make all")`` returns the absolute path, or stops the
    notebook with one line naming the missing file and the ``make`` target that builds it
    (:class:`MissingInputError`; IPython shows no traceback for it).
One display per figure
    ``show_figure(fig, alt=spec.alt)`` ends a figure cell (never a bare ``fig``): it
    displays the figure once as a PNG carrying its alt text, whatever matplotlib backend
    the kernel has, and closes it so the inline backend does not show it a second time.

>>> resolve_figures_dir(None) == SCRATCH_FIGURES
True
>>> resolve_figures_dir("figures").relative_to(ROOT).as_posix()
'figures'
>>> require_input("pyproject.toml").name
'pyproject.toml'
>>> try:
...     require_input("data/processed/nothing.parquet", target="make all")
... except MissingInputError as err:
...     print(err)
data/processed/nothing.parquet is missing: run `make all` in the repository root to build it
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import AnalysisError
from analysis.paths import BUILD, ROOT

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Where notebooks write figures when nobody passes ``figures_dir`` (exploring in the lab).
SCRATCH_FIGURES: Path = BUILD / "scratch" / "figures"


class MissingInputError(AnalysisError, FileNotFoundError):
    """An input the build makes is missing; the message names the ``make`` target.

    In IPython and JupyterLab it is shown as its one-line message, without a traceback.
    """

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of formatting a traceback (ipyparallel uses the same hook).
        return [f"{type(self).__name__}: {self}"]


def _display_path(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def resolve_figures_dir(figures_dir: str | os.PathLike[str] | None) -> Path:
    """The folder a notebook writes its figures to, created if needed.

    Parameters
    ----------
    figures_dir : str, path-like or None
        The notebook's ``figures_dir`` parameter. ``None`` (the default in every
        parameters cell) means exploring: :data:`SCRATCH_FIGURES`. A relative path is taken
        from the repository root (the build passes ``"figures"``); an absolute one as is.

    Returns
    -------
    pathlib.Path
        The absolute folder.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out"
    >>> resolve_figures_dir(target) == target, target.is_dir()
    (True, True)
    """
    folder = SCRATCH_FIGURES if figures_dir is None else ROOT / Path(figures_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def require_input(path: str | os.PathLike[str], *, target: str = "make all") -> Path:
    """Return ``ROOT / path``, or raise :class:`MissingInputError` naming ``target``.

    Parameters
    ----------
    path : str or path-like
        The input, relative to the repository root (as notebook parameters are) or absolute.
    target : str, default "make all"
        The command that builds it, e.g. ``"make all"`` or ``"make data/processed/x.parquet"``.

    Returns
    -------
    pathlib.Path
        The absolute path of the existing input.

    Raises
    ------
    MissingInputError
        If the file does not exist (a ``FileNotFoundError``).
    """
    full = ROOT / Path(path)
    if not full.exists():
        raise MissingInputError(
            f"{_display_path(full)} is missing: run `{target}` in the repository root to build it"
        )
    return full


def figure_png(fig: Figure, *, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes: its own size, no software or date metadata (same bytes each run).

    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(2, 1))
    >>> png = figure_png(fig, dpi=50)
    >>> png[:4], b"Software" in png
    (b'\\x89PNG', False)
    >>> plt.close(fig)
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or fig.dpi, metadata={"Software": None})
    return buffer.getvalue()


def show_figure(fig: Figure, *, alt: str | None = None) -> None:
    """Display ``fig`` once in the notebook (with its alt text) and close it.

    The PNG is drawn at twice the figure's resolution and shown at its size (sharp on
    high-density screens), independently of the kernel's matplotlib backend; closing the
    figure keeps the inline backend from displaying it again at the end of the cell.
    Outside IPython (a notebook run as a script) it only closes the figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (as returned by the :mod:`analysis.plot` chart functions).
    alt : str, optional
        Text alternative, e.g. the registry's ``spec.alt``; default the one attached to
        the figure (:func:`analysis.plot.get_alt_text`). The executed notebook's HTML page
        uses it as the image's ``alt``.
    """
    import matplotlib.pyplot as plt

    from analysis.plot import get_alt_text

    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        width, height = (round(v * fig.dpi) for v in fig.get_size_inches())
        png = figure_png(fig, dpi=2 * fig.dpi)
        text = alt if alt is not None else get_alt_text(fig)
        display(Image(data=png, format="png", width=width, height=height, alt=text))
    plt.close(fig)
