"""What a notebook needs to behave the same in JupyterLab and in the build.

Three conventions, one helper each (:mod:`analysis.tooling.views` applies them for the
report-section notebooks; any other notebook calls them directly):

``figures_dir`` parameter
    The parameters cell declares ``figures_dir = ""``. Exploring in JupyterLab then writes
    figures to ``build/scratch/<notebook>/`` (:data:`SCRATCH`, ignored by git); only the
    build passes ``figures_dir`` (``figures`` for the published edition), so committed
    figures change only through ``make``. :func:`figures_folder` turns the parameter into
    a folder.
Inputs the build makes
    ``require_input(path, "make all")`` returns the resolved path, or stops the notebook
    with one line naming the missing file and the ``make`` target that builds it
    (:class:`MissingInputError`; IPython and JupyterLab show it without a traceback).
One display per figure
    A figure is displayed once: as an object that renders itself (the section builders'
    figures), or with ``show_figure(fig, alt=...)`` for a matplotlib figure, which shows
    it as one PNG with its alt text whatever the kernel's backend and closes it so the
    inline backend does not show it again. Never end a cell with a bare pyplot ``fig``.

>>> figures_folder("", "07_outlook") == SCRATCH / "07_outlook"
True
>>> figures_folder("figures", "07_outlook").relative_to(ROOT).as_posix()
'figures'
>>> require_input("pyproject.toml").name
'pyproject.toml'
>>> try:
...     require_input("data/processed/nothing.parquet", "make all")
... except MissingInputError as err:
...     print(err)
data/processed/nothing.parquet is not built yet: run `make all` first
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

#: Where notebooks write figures when the build passes no ``figures_dir`` (exploring in the
#: lab): ``build/scratch/<notebook>/``, which git ignores.
SCRATCH: Path = BUILD / "scratch"


class MissingInputError(AnalysisError, FileNotFoundError):
    """An input the build makes is missing; the message names the ``make`` target.

    In IPython and JupyterLab it is shown as its one-line message, without a traceback.
    """

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of formatting a traceback (ipyparallel uses the same hook).
        return [f"{type(self).__name__}: {self}"]


def resolve(path: str | os.PathLike[str]) -> Path:
    """A notebook path parameter resolved against the repository root (absolute kept).

    >>> resolve("figures") == ROOT / "figures", resolve("/tmp").as_posix()
    (True, '/tmp')
    """
    p = Path(path)
    return p if p.is_absolute() else ROOT / p


def figures_folder(figures_dir: str | os.PathLike[str] | None, notebook: str) -> Path:
    """Where a notebook writes its figures: ``figures_dir`` when given, else scratch.

    Parameters
    ----------
    figures_dir : str, path-like or None
        The notebook's ``figures_dir`` parameter. Empty (the parameters cell's default) or
        ``None`` means exploring: ``SCRATCH / notebook``. A relative path is taken from the
        repository root (the build passes ``"figures"``); an absolute one as is.
    notebook : str
        The notebook's name, e.g. ``"07_outlook"`` (its scratch subfolder).

    Returns
    -------
    pathlib.Path
        The absolute folder (not created: saving creates it).
    """
    return resolve(figures_dir) if figures_dir else SCRATCH / notebook


def require_input(path: str | os.PathLike[str], target: str = "make all") -> Path:
    """``path`` resolved, or :class:`MissingInputError` naming the ``make`` target.

    Parameters
    ----------
    path : str or path-like
        The input, relative to the repository root (as notebook parameters are) or absolute.
    target : str, default "make all"
        The command that builds it, e.g. ``"make all"`` or ``"make all WAVE=2026"``.

    Returns
    -------
    pathlib.Path
        The resolved path of the existing file.

    Raises
    ------
    MissingInputError
        If it is not a file (a ``FileNotFoundError``): one line, e.g.
        ``data/processed/x.parquet is not built yet: run `make all` first``.
    """
    resolved = resolve(path)
    if not resolved.is_file():
        raise MissingInputError(f"{path} is not built yet: run `{target}` first")
    return resolved


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
    """Display a matplotlib figure once in the notebook (with its alt text) and close it.

    The PNG is drawn at twice the figure's resolution and shown at its size (sharp on
    high-density screens), independently of the kernel's matplotlib backend; closing the
    figure keeps the inline backend from displaying it again at the end of the cell.
    Outside IPython (a notebook run as a script) it only closes the figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    alt : str, optional
        Text alternative; default the one attached to the figure
        (:func:`analysis.plot.get_alt_text`). The executed notebook's HTML page uses it as
        the image's ``alt``.
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
