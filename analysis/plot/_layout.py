"""Figure scaffolding shared by the chart functions (private).

A figure is a vertical stack measured in inches: title, subtitle, optional legend
band, the plotting area (height scales with the number of rows), the x axis, and a
footer (notes, base, source). The left margin is measured from the rendered y tick
labels, and x limits grow until every direct value label fits inside the axes.

>>> lines = wrap("A title that states the finding in fifteen words or fewer, as guidance asks", 40)
>>> len(lines)
2
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from ._style import (
    FIG_WIDTH,
    FOOTER_SIZE,
    HOUSE_RC,
    MISSING_COLOUR,
    MUTED_COLOUR,
    SUBTITLE_SIZE,
    TITLE_SIZE,
)

DEFAULT_SOURCE = "State of Cross-Sector Collaboration survey"
NOT_PUBLISHED = "not published"
MISSING_STATUSES = frozenset({"not_published", "not published", "missing", "lost"})
PAD = 0.12  # outer padding, inches
RIGHT_PAD = 0.25
TITLE_WRAP, SUBTITLE_WRAP, FOOTER_WRAP, YLABEL_WRAP = 62, 88, 118, 34
_TITLE_LH = TITLE_SIZE * 1.3 / 72
_SUBTITLE_LH = SUBTITLE_SIZE * 1.35 / 72
_FOOTER_LH = FOOTER_SIZE * 1.4 / 72


def wrap(text: str, width: int, *, hyphens: bool = False) -> list[str]:
    """Wrap ``text`` to ``width`` characters, keeping explicit line breaks and whole words."""
    out: list[str] = []
    for para in str(text).split("\n"):
        lines = textwrap.wrap(para, width, break_on_hyphens=hyphens, break_long_words=False)
        out.extend(lines or [""])
    return out


def text_inches(text: str, fontsize: float, *, weight: str = "normal") -> float:
    """Rendered width in inches of one line in the house font (DejaVu Sans, bundled).

    >>> round(text_inches("Source: WIG", 8.5), 2)
    0.73
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=HOUSE_RC["font.sans-serif"], size=fontsize, weight=weight)
    width, _, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return width / 72.0


def wrap_to_width(
    text: str, width: int, fontsize: float, inches: float, *, weight: str = "normal"
) -> list[str]:
    """Wrap at ``width`` characters, narrower where a line would be wider than ``inches``.

    Character counts are only a guess at widths (capitals and digits are wide), so every
    line is measured in the house font and the text re-wrapped until all lines fit: a
    long source line never runs off the figure.

    >>> line = "Source: State of Cross-Sector Collaboration survey, SYNTHETIC export " * 2
    >>> all(text_inches(w, 8.5) <= 7.26 for w in wrap_to_width(line, 118, 8.5, 7.26))
    True
    """
    lines = wrap(text, width)
    while width > 20 and any(text_inches(w, fontsize, weight=weight) > inches for w in lines):
        width -= 2
        lines = wrap(text, width)
    return lines


def require_columns(data: pd.DataFrame, columns: Iterable[str], arg: str = "data") -> None:
    """Raise ``ValueError`` naming any missing columns and the available ones."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{arg} must be a pandas DataFrame, not {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"{arg} lacks column(s) {missing}; it has {list(data.columns)}")
    if data.empty:
        raise ValueError(f"{arg} has no rows; nothing to plot")


def numeric(data: pd.DataFrame, column: str, arg: str = "data") -> pd.Series:
    """Column as float, raising ``ValueError`` naming non-numeric values."""
    values = pd.to_numeric(data[column], errors="coerce")
    bad = data[column][values.isna() & data[column].notna()]
    if len(bad):
        raise ValueError(
            f"{arg}[{column!r}] has non-numeric value(s) {bad.unique().tolist()[:5]}; "
            "use NaN (and status='not_published') for values that were not published"
        )
    return values.astype(float)


def missing_mask(data: pd.DataFrame, value: str) -> pd.Series:
    """True where the value is missing or its status says it was not published."""
    mask = data[value].isna()
    if "status" in data.columns:
        mask |= data["status"].astype("string").str.lower().isin(MISSING_STATUSES).fillna(False)
    return mask.astype(bool)


def label_decimals(values: Iterable[float]) -> int:
    """Decimals of every direct label of one chart: 1 if any value needs one, else 0.

    One precision per chart, so "50%" and "50.6%" never appear side by side.

    >>> label_decimals([25.0, 19.0]), label_decimals([25.0, 9.4]), label_decimals([])
    (0, 1, 0)
    """
    arr = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    return int(bool(arr.size) and bool((np.round(arr, 1) != np.round(arr)).any()))


def format_value(value: float, percent: bool = True, decimals: int | None = None) -> str:
    """Format a number for a direct label: ``25%``, ``9.4%``.

    ``decimals=None`` drops a trailing ``.0`` (integers lose it); charts pass one value
    for all their labels (:func:`label_decimals`).

    >>> format_value(25.0), format_value(9.4), format_value(25.0, decimals=1)
    ('25%', '9.4%', '25.0%')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_PUBLISHED
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{value:.{decimals}f}"
    return f"{text}%" if percent else text


#: Space before a percent sign in printed text ("92 %"): labels are never spaced.
_SPACED_PERCENT = re.compile(r"(?<=\d)\s+%")


def display_texts(data: pd.DataFrame, value: str, percent: bool, missing: pd.Series) -> pd.Series:
    """Direct labels: ``value_text`` as printed when given, else the formatted value.

    Formatted values share one precision per chart (:func:`label_decimals`); a printed
    "92 %" is labelled "92%". A missing value shows "not published", unless it has a
    ``value_text`` and a status other than not published (e.g. a bound printed as "less
    than 3 in 10"): then the text as printed goes in the placeholder box, still without a
    bar or marker.
    """
    decimals = label_decimals(data.loc[~missing.to_numpy(), value])
    texts = data[value].map(lambda v: format_value(v, percent, decimals))
    shown = pd.Series(False, index=data.index)
    if "value_text" in data.columns:
        given = data["value_text"].astype("string").str.replace(_SPACED_PERCENT, "%", regex=True)
        has = (given.notna() & (given.str.strip() != "")).fillna(False).astype(bool)
        texts = texts.where(~has, given)
        lost = pd.Series(False, index=data.index)
        if "status" in data.columns:
            status = data["status"].astype("string").str.lower()
            lost = status.isin(MISSING_STATUSES).fillna(False).astype(bool)
        shown = has & ~lost
    return texts.where(~missing | shown, NOT_PUBLISHED).astype(object)


def footer_lines(
    data: pd.DataFrame, *, note: str | Sequence[str] | None, base: str | None, source: str
) -> list[str]:
    """Footer lines: notes, then the base, then ``Source: ... from WIG``."""
    lines: list[str] = []
    if note:
        lines.extend([note] if isinstance(note, str) else list(note))
    if base is None and "base_text" in data.columns:
        bases = [str(b) for b in dict.fromkeys(data["base_text"].dropna()) if str(b).strip()]
        base = "; ".join(bases) if bases else None
    base = base or "base not published"
    base = base.strip()
    lines.append(
        base[:1].upper() + base[1:] if base.lower().startswith("base") else f"Base: {base}"
    )
    src = source.strip()
    if not src.lower().startswith("source:"):
        src = f"Source: {src}"
    if "wig" not in src.lower():
        src = f"{src} from WIG"
    lines.append(src)
    return [line.strip() for line in lines]


@dataclass
class Frame:
    """A laid-out figure: the figure, its axes and the vertical budget in inches."""

    fig: Figure
    axes: list[Axes]
    height: float
    top: float  # inches from the figure top to the axes top
    bottom: float  # inches from the figure bottom to the axes bottom
    legend_y: float  # figure fraction of the legend band top
    wspace: float


def new_frame(
    *,
    title: str,
    subtitle: str,
    footer: list[str],
    body_height: float,
    ncols: int = 1,
    legend: int | bool = False,
    panel_titles: int = 0,
    xlabel: bool = False,
    xaxis: bool = True,
    wspace: float = 0.25,
) -> Frame:
    """Create the figure and axes with room for header, legend, x axis and footer."""
    if not str(title).strip():
        raise ValueError("title must state the finding; got an empty title")
    room = FIG_WIDTH - 2 * PAD - 0.05  # a little slack for the renderer's hinting
    footer = [w for line in footer for w in wrap_to_width(line, FOOTER_WRAP, FOOTER_SIZE, room)]
    title_lines = wrap_to_width(title, TITLE_WRAP, TITLE_SIZE, room, weight="bold")
    subtitle_lines = wrap_to_width(subtitle, SUBTITLE_WRAP, SUBTITLE_SIZE, room) if subtitle else []
    top = PAD + len(title_lines) * _TITLE_LH + 0.05 + len(subtitle_lines) * _SUBTITLE_LH + 0.14
    legend_top = top
    top += (0.32 + 0.24 * (int(legend) - 1)) if legend else 0.0  # legend = number of rows
    top += (0.12 + 0.19 * panel_titles) if panel_titles else 0.0
    bottom = PAD + len(footer) * _FOOTER_LH + 0.08
    bottom += (0.3 if xaxis else 0.05) + (0.22 if xlabel else 0.0)
    height = round(top + body_height + bottom, 2)
    with plt.rc_context(HOUSE_RC):
        # A plain Figure on an Agg canvas, outside pyplot: never shown twice by an inline
        # backend, never kept alive by pyplot's registry; notebooks display it explicitly.
        fig = Figure(figsize=(FIG_WIDTH, height))
        FigureCanvasAgg(fig)
        axes = [
            fig.add_axes((0.3 + i * 0.01, bottom / height, 0.01, body_height / height))
            for i in range(ncols)
        ]
        # Texts are made inside the house style too: their colour and font never depend on
        # the caller's global rcParams (same bytes whatever a notebook set before).
        y = 1 - PAD / height
        fig.text(
            PAD / FIG_WIDTH,
            y,
            "\n".join(title_lines),
            fontsize=TITLE_SIZE,
            fontweight="bold",
            va="top",
            ha="left",
            linespacing=1.15,
            gid="title",
        )
        if subtitle_lines:
            y -= (len(title_lines) * _TITLE_LH + 0.05) / height
            fig.text(
                PAD / FIG_WIDTH,
                y,
                "\n".join(subtitle_lines),
                fontsize=SUBTITLE_SIZE,
                color=MUTED_COLOUR,
                va="top",
                ha="left",
                linespacing=1.2,
                gid="subtitle",
            )
        fig.text(
            PAD / FIG_WIDTH,
            PAD / height,
            "\n".join(footer),
            fontsize=FOOTER_SIZE,
            color=MUTED_COLOUR,
            va="bottom",
            ha="left",
            linespacing=1.3,
            gid="footer",
        )
    return Frame(fig, axes, height, top, bottom, 1 - legend_top / height, wspace)


def _overflow_px(ax: Axes, texts: Sequence[Text], renderer) -> tuple[float, float]:
    """Pixels by which texts stick out of the axes on the left and on the right."""
    box = ax.get_window_extent(renderer)
    left = right = 0.0
    for t in texts:
        if not t.get_visible() or not t.get_text():
            continue
        ext = t.get_window_extent(renderer)
        left = max(left, box.x0 - ext.x0)
        right = max(right, ext.x1 - box.x1)
    return left, right


def fit(
    frame: Frame,
    texts: Sequence[Sequence[Text]] | None = None,
    *,
    right_margin: float = RIGHT_PAD,
    grow_left: bool = False,
) -> None:
    """Set the left margin from the y tick labels, then widen x limits so texts fit."""
    fig, axes = frame.fig, frame.axes
    renderer = fig.canvas.get_renderer()
    dpi = fig.dpi
    ytb = axes[0].yaxis.get_tightbbox(renderer)
    box0 = axes[0].get_window_extent(renderer)
    overhang = max(0.0, (box0.x0 - ytb.x0) / dpi) if ytb is not None else 0.0
    left = PAD + overhang + 0.08
    ncols = len(axes)
    width = (FIG_WIDTH - left - right_margin - (ncols - 1) * frame.wspace) / ncols
    if width <= 0.5:
        raise ValueError("labels too long for the figure width; shorten or wrap them")
    for i, ax in enumerate(axes):
        x0 = left + i * (width + frame.wspace)
        ax.set_position(
            (
                x0 / FIG_WIDTH,
                frame.bottom / frame.height,
                width / FIG_WIDTH,
                (frame.height - frame.top - frame.bottom) / frame.height,
            )
        )
    if not texts:
        return
    for ax, group in zip(axes, texts, strict=False):
        for _ in range(6):
            lo, hi = ax.get_xlim()
            box = ax.get_window_extent(renderer)
            over_left, over_right = _overflow_px(ax, group, renderer)
            if over_left <= 0.5 and over_right <= 0.5:
                break
            span = hi - lo
            per_px = span / box.width
            new_hi = hi + (over_right + 4) * per_px * 1.05 if over_right > 0.5 else hi
            new_lo = lo - (over_left + 4) * per_px * 1.05 if over_left > 0.5 and grow_left else lo
            ax.set_xlim(new_lo, new_hi)


def nice_max(values: Iterable[float], *, percent: bool = True, floor: float = 0.0) -> float:
    """A round upper axis limit: next multiple of 10 (percent) or of a 1-2-5 step."""
    arr = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    top = max(float(arr.max()) if arr.size else 0.0, floor)
    if top <= 0:
        return 10.0 if percent else 1.0
    if percent and top <= 100:
        return float(min(100.0, math.ceil(top / 10.0) * 10.0)) if top < 100 else 100.0
    step = 10 ** math.floor(math.log10(top))
    for m in (1, 2, 5, 10):
        if top <= m * step:
            return float(m * step)
    return float(10 * step)


def style_value_axis(ax: Axes, *, percent: bool, xlabel: str | None) -> None:
    """Light x grid, no y ticks, percent tick labels."""
    ax.tick_params(axis="y", length=0, pad=6)
    ax.tick_params(axis="x", length=3)
    ax.grid(axis="x", visible=True)
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(True)
    if percent:
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0f}%")
    if xlabel:
        ax.set_xlabel(xlabel, color=MUTED_COLOUR, loc="left")


def placeholder(
    ax: Axes,
    x: float,
    y: float,
    *,
    fontsize: float,
    text: str = NOT_PUBLISHED,
    dx: float = 4,
    ha: str = "left",
    anchor=None,
):
    """A hollow dashed box labelled 'not published' (a missing value, never a zero bar).

    With ``anchor`` (a drawn label), the box sits ``dx`` points right of that label instead
    of at ``(x, y)``.
    """
    where = {"xy": (1.0, 0.5), "xycoords": anchor} if anchor is not None else {"xy": (x, y)}
    return ax.annotate(
        text,
        **where,
        xytext=(dx, 0),
        textcoords="offset points",
        va="center",
        ha=ha,
        fontsize=fontsize,
        fontstyle="italic",
        color=MISSING_COLOUR,
        bbox={
            "boxstyle": "square,pad=0.25",
            "facecolor": "white",
            "edgecolor": MISSING_COLOUR,
            "linestyle": (0, (3, 2)),
            "linewidth": 0.8,
        },
        gid="not-published",
        annotation_clip=False,
    )


def text_width(fig: Figure, texts: Sequence[Text]) -> float:
    """Width in inches of the widest text (for margins holding labels outside the axes)."""
    renderer = fig.canvas.get_renderer()
    widths = [t.get_window_extent(renderer).width for t in texts if t.get_text()]
    return max(widths, default=0.0) / fig.dpi
