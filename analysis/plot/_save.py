"""Deterministic, atomic figure output.

``save_figure`` writes the figure in each requested format plus ``stem.csv`` (the
plotted numbers), each atomically through :func:`analysis.io.atomic_path`, with
every source of run-to-run variation removed: fixed SVG hash salt and id, no date,
no software or version string in SVG, PNG or PDF metadata.

>>> import tempfile, pathlib, matplotlib.pyplot as plt, pandas as pd
>>> fig, ax = plt.subplots()
>>> _ = ax.plot([0, 1], [0, 1])
>>> out = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "line", pd.DataFrame({"x": [0, 1]}))
>>> sorted(out)
['csv', 'png', 'svg']
>>> plt.close(fig)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from analysis.io import atomic_path, write_csv, write_text
from analysis.vocab import canonical_float

from ._style import HOUSE_RC

log = logging.getLogger(__name__)

#: Formats ``save_figure`` can write ("txt" is the figure's text alternative).
FORMATS: tuple[str, ...] = ("svg", "png", "pdf", "txt")
_ALT_ATTR = "_wig_alt_text"
#: Metadata keys removed per format (matplotlib would otherwise add dates and versions).
_BLANK_METADATA: dict[str, dict[str, None]] = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}
#: rcParams fixed at save time for identical bytes: the whole house style, since some
#: settings are read only when the figure is drawn (tick labels' minus sign, SVG ids...),
#: so the caller's global rcParams never reach the file.
_SAVE_RC = dict(HOUSE_RC)


def canonical_floats(data: pd.DataFrame) -> pd.DataFrame:
    """A copy with every float column through :func:`analysis.vocab.canonical_float`.

    >>> canonical_floats(pd.DataFrame({"v": [100 * 0.29], "s": ["a"]}))["v"].tolist()
    [29.0]
    """
    out = data.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].map(canonical_float).astype("float64")
    return out


def set_alt_text(fig: Figure, text: str) -> None:
    """Attach a text alternative to ``fig`` (used by :func:`save_figure`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> set_alt_text(fig, "A line rising from 0 to 1.")
    >>> get_alt_text(fig)
    'A line rising from 0 to 1.'
    >>> plt.close(fig)
    """
    setattr(fig, _ALT_ATTR, str(text))


def get_alt_text(fig: Figure) -> str | None:
    """Return the text alternative attached to ``fig``, or ``None``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> get_alt_text(fig) is None
    True
    >>> plt.close(fig)
    """
    return getattr(fig, _ALT_ATTR, None)


def save_figure(
    fig: Figure,
    stem: str | os.PathLike[str],
    data: pd.DataFrame,
    formats: Sequence[str] = ("svg", "png"),
    dpi: int = 200,
    *,
    alt_text: str | None = None,
) -> dict[str, Path]:
    """Write ``stem.<format>`` for each format and ``stem.csv``, atomically and reproducibly.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save (its size is kept; no ``bbox_inches="tight"``).
    stem : path-like
        Output path without extension, e.g. ``FIGURES / "fig01_optimism"``.
    data : pandas.DataFrame
        The plotted numbers (the second value chart functions return); written to
        ``stem.csv`` so every figure has its data beside it, every float at the project's
        precision (:func:`analysis.vocab.canonical_float`: ``28.999999999999996`` is
        written ``29.0``, the same on every CPU).
    formats : sequence of str, default ("svg", "png")
        Any of ``"svg"``, ``"png"``, ``"pdf"``, ``"txt"`` (the text alternative).
    dpi : int, default 200
        Raster resolution (200 dpi gives a 1500 px wide PNG for a 7.5 in figure).
    alt_text : str, optional
        Text alternative; defaults to the one the chart function attached. It is
        embedded as the SVG ``<desc>`` and PNG ``Description`` and written as ``stem.txt``
        when ``"txt"`` is in ``formats``.

    Returns
    -------
    dict of str to pathlib.Path
        Written path per format, plus ``"csv"``.

    Raises
    ------
    ValueError
        If a format is unknown, ``dpi`` is not positive, ``data`` is not a DataFrame,
        or ``"txt"`` is requested and the figure has no text alternative.

    Examples
    --------
    >>> import tempfile, pathlib, matplotlib.pyplot as plt, pandas as pd
    >>> fig = plt.figure()
    >>> stem = pathlib.Path(tempfile.mkdtemp()) / "empty"
    >>> out = save_figure(fig, stem, pd.DataFrame({"x": [1]}), formats=("svg",))
    >>> b"Date" in out["svg"].read_bytes(), out["csv"].read_text()
    (False, 'x\\n1\\n')
    >>> plt.close(fig)
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad or len(formats) == 0:
        raise ValueError(f"formats={tuple(formats)!r} has unknown {bad}; valid: {FORMATS}")
    if not isinstance(dpi, int | float) or dpi <= 0:
        raise ValueError(f"dpi={dpi!r} must be a positive number")
    if not isinstance(data, pd.DataFrame):
        raise ValueError(
            f"data must be a pandas DataFrame of the plotted numbers, not {type(data)}"
        )
    alt = alt_text if alt_text is not None else get_alt_text(fig)
    if "txt" in formats and not alt:
        raise ValueError("formats includes 'txt' but the figure has no alt_text; pass alt_text=")
    stem = Path(stem)
    out: dict[str, Path] = {}
    with mpl.rc_context(_SAVE_RC):
        for fmt in dict.fromkeys(formats):
            target = stem.with_name(f"{stem.name}.{fmt}")
            if fmt == "txt":
                out[fmt] = write_text(target, alt.rstrip("\n") + "\n")
                continue
            metadata: dict[str, str | None] = dict(_BLANK_METADATA[fmt])
            if alt and fmt in ("svg", "png"):
                metadata["Description"] = alt
            with atomic_path(target) as tmp:
                fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)
            out[fmt] = target
    out["csv"] = write_csv(canonical_floats(data), stem.with_name(f"{stem.name}.csv"))
    log.info("saved figure %s (%s)", stem, ", ".join(out))
    return out
