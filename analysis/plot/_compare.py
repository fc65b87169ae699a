"""Comparison charts: dumbbell (two waves), forest (differences by verdict), p-value curves.

See :mod:`analysis.plot._bars` for the input columns they share.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker as mpl_ticker
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.text import Text

from analysis.vocab import Verdict

from ._common import (
    Order,
    _direct_label,
    _finish,
    _item_order,
    _prepare,
    _row_height,
    _uses_intervals,
    _wrapped_labels,
    with_provenance,
)
from ._layout import (
    DEFAULT_SOURCE,
    NOT_PUBLISHED,
    fit,
    footer_lines,
    missing_mask,
    new_frame,
    nice_max,
    numeric,
    placeholder,
    require_columns,
    style_value_axis,
    text_width,
)
from ._style import (
    HOUSE_RC,
    LABEL_SIZE,
    MUTED_COLOUR,
    SECTOR_STYLE,
    TEXT_COLOUR,
    category_colours,
    sector_style,
)

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- dumbbell
def _row_labels(df: pd.DataFrame) -> pd.Series:
    """Row labels for (label, group) rows: the group name when only groups vary."""
    labels, groups = df["label"].unique(), df["group_id"].unique()
    if len(groups) == 1:
        return df["label"]
    names = df["group_id"].map(lambda g: SECTOR_STYLE[g].label)
    if len(labels) == 1:
        return names
    return df["label"] + " (" + names + ")"


#: Marker area (points squared) and edge width (points) of the dumbbell's endpoints.
_MARKER_AREA = 52.0
_MARKER_EDGE = 1.5


class _Pair(NamedTuple):
    """A dumbbell row with both endpoints drawn (for the touching-marker check)."""

    row: int
    earlier: float
    later: float
    marker: str
    earlier_marker: object
    later_marker: object
    connector: object | None
    #: The row's interval lines (earlier above, later below), moved out with the markers.
    interval_lines: tuple = ()
    #: The value labels of the earlier and later wave (None for one label of both).
    labels: tuple = ()


def _marker_extent(marker: str) -> tuple[float, float]:
    """Width and height in points of a dumbbell marker, edge line included."""
    style = MarkerStyle(marker)
    ext = style.get_path().transformed(style.get_transform()).get_extents()
    size = float(np.sqrt(_MARKER_AREA))
    return ext.width * size + _MARKER_EDGE, ext.height * size + _MARKER_EDGE


def _separate_touching_markers(ax, pairs: Sequence[_Pair]) -> list[int]:
    """Move the two markers of a row apart vertically where they would touch or coincide.

    Two waves at the same (or nearly the same) value would hide one marker behind the
    other. Where the markers' centres are closer than one marker width (plus a point) in
    the final layout, the earlier wave moves up and the later wave down by just enough
    to show both, at their true x positions; the joining arrow, which would have no
    length, is removed. Returns the rows changed (deterministic: from the layout only).
    """
    if not pairs:
        return []
    fig = ax.figure
    points_per_pixel = 72.0 / fig.dpi
    box = ax.get_window_extent(fig.canvas.get_renderer())
    lo, hi = ax.get_ylim()
    points_per_row = box.height * points_per_pixel / abs(hi - lo)
    moved = []
    for pair in pairs:
        width, height = _marker_extent(pair.marker)
        x0, x1 = ax.transData.transform([(pair.earlier, 0), (pair.later, 0)])[:, 0]
        if abs(x1 - x0) * points_per_pixel >= width + 1.0:
            continue
        shift = 0.5 * (height + 1.0) / points_per_row  # rows; 1 point between the markers
        # the y axis runs downwards (row 0 on top): earlier above, later below
        pair.earlier_marker.set_offsets([[pair.earlier, pair.row - shift]])
        pair.later_marker.set_offsets([[pair.later, pair.row + shift]])
        # interval lines clear of the moved markers (1 point away), never nearer the row
        clear = shift + (0.5 * height + 1.0) / points_per_row
        for line, sign in zip(pair.interval_lines, (-1, 1), strict=False):
            if line is not None:
                offset = max(abs(float(line.get_ydata()[0]) - pair.row), clear)
                line.set_ydata([pair.row + sign * offset] * 2)
        # each wave's label beside its own marker
        for label, sign in zip(pair.labels, (-1, 1), strict=False):
            if label is not None:
                label.xy = (label.xy[0], pair.row + sign * shift)
        if pair.connector is not None:
            pair.connector.remove()
        moved.append(pair.row)
    return moved


def _lost_text(wave_name: str, text: str) -> str:
    """Placeholder text of a missing endpoint: "2024 not published" or "2025: <as printed>"."""
    return f"{wave_name} {NOT_PUBLISHED}" if text == NOT_PUBLISHED else f"{wave_name}: {text}"


def dumbbell(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str = DEFAULT_SOURCE,
    base: str | None = None,
    note: str | Sequence[str] | None = None,
    label: str = "label",
    wave: str = "wave",
    value: str = "value",
    group: str | None = "group_id",
    waves: Sequence[int] | None = None,
    order: Literal["value", "change", "given"] | Sequence[str] = "value",
    intervals: bool | None = None,
    percent: bool = True,
    xlabel: str | None = None,
    arrows: bool = True,
) -> tuple[Figure, pd.DataFrame]:
    """Two waves per row (e.g. 2024 and 2025): hollow and filled markers joined by an arrow.

    Each row is one item (or one group): the earlier wave is a hollow marker, the
    later a filled one, joined by a line with an arrowhead pointing to the later
    value; both values are labelled. A missing endpoint gets a dashed
    "<wave> not published" box instead of a marker.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``label``, ``wave``, ``value``; optional ``group_id`` (colour and
        marker; rows are label x group), ``ci_low``/``ci_high``, ``status``,
        ``value_text``, ``base_text``.
    title, subtitle, source, base, note
        As in :func:`hbar`.
    label, wave, value, group : str
        Column names (``group=None`` ignores any group column).
    waves : pair of int, optional
        The two waves, earlier first; default the two waves present.
    order : {"value", "change", "given"} or list of str, default "value"
        Rows by the later wave's value (largest first), by change (largest fall
        first), in data order, or an explicit list of row labels.
    intervals, percent, xlabel
        As in :func:`hbar`; each wave's interval is drawn as a thin line just above
        (earlier) or below (later) the row.
    arrows : bool, default True
        Arrowhead pointing from the earlier to the later value.

    Returns
    -------
    fig : matplotlib.figure.Figure
    plotted : pandas.DataFrame
        One row per row label and wave: ``order``, ``label`` (as drawn), ``group_id``,
        ``wave``, ``value``, ``ci_low``, ``ci_high``, ``status``, ``display_text`` and
        ``diff`` (later minus earlier value, NaN when either is missing).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"label": ["Communication"] * 2 + ["Regulation"] * 2,
    ...                    "wave": [2024, 2025] * 2, "value": [7, 12, 30, 25]})
    >>> fig, plotted = dumbbell(df, title="Communication up, regulation down",
    ...                         subtitle="% of leaders agreeing, 2024 and 2025")
    >>> plotted.drop_duplicates("label")[["label", "diff"]].to_numpy().tolist()
    [['Regulation', -5.0], ['Communication', 5.0]]
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    require_columns(data, [label, wave, value])
    use_group = group if group and group in data.columns else None
    df = _prepare(data, label=label, value=value, percent=percent, group=use_group)
    df["wave"] = numeric(data, wave).to_numpy()
    present = sorted(df["wave"].dropna().unique().tolist())
    waves = [float(w) for w in (waves if waves is not None else present)]
    if len(waves) != 2 or not set(waves) <= set(present):
        raise ValueError(f"waves={waves!r} must name two waves present in data; present: {present}")
    df = df[df["wave"].isin(waves)].copy()
    df["label"] = _row_labels(df).to_numpy()
    if df.duplicated(["label", "wave"]).any():
        raise ValueError("data has more than one row per (label, group_id, wave)")
    rows = list(dict.fromkeys(df["label"]))
    full = pd.MultiIndex.from_product([rows, waves], names=["label", "wave"])
    df = df.set_index(["label", "wave"]).reindex(full).reset_index()
    absent = df["missing"].isna()
    if absent.any():
        df.loc[absent, ["missing", "display_text", "status"]] = [
            True,
            NOT_PUBLISHED,
            "not_published",
        ]
        df["group_id"] = df.groupby("label")["group_id"].transform("first")
    df["missing"] = df["missing"].astype(bool)
    wide = df.pivot(index="label", columns="wave", values="value").reindex(rows)
    change = wide[waves[1]] - wide[waves[0]]
    if isinstance(order, str) and order == "change":
        rows = sorted(rows, key=lambda r: (bool(pd.isna(change[r])), change[r]))
    else:
        later = wide[waves[1]].fillna(wide[waves[0]])
        rows = _item_order(df[["label"]].drop_duplicates(), order, key=later)
    df["diff"] = df["label"].map(change)
    df = df.set_index(["label", "wave"]).loc[pd.MultiIndex.from_product([rows, waves])]
    df = df.reset_index().rename(columns={"level_0": "label", "level_1": "wave"})
    show_ci = _uses_intervals(df, intervals)
    footer = footer_lines(data, note=note, base=base, source=source)
    wrapped, max_lines = _wrapped_labels(rows)
    n = len(rows)
    frame = new_frame(
        title=title,
        subtitle=subtitle,
        footer=footer,
        body_height=n * _row_height(max_lines, 0.5 if show_ci else 0.36),
        legend=True,
        xlabel=bool(xlabel),
    )
    ax = frame.axes[0]
    texts: list[Text] = []
    wave_names = [f"{w:g}" for w in waves]
    fs = LABEL_SIZE - 0.5
    pairs: list[_Pair] = []  # rows with both endpoints: checked for touching markers after fit
    with plt.rc_context(HOUSE_RC):
        for i, row_label in enumerate(rows):
            sub = df[df["label"] == row_label].set_index("wave")
            st = SECTOR_STYLE[sub["group_id"].iloc[0]]
            (v0, v1), (m0, m1) = sub["value"].to_numpy(), sub["missing"].to_numpy()
            t0, t1 = sub["display_text"].to_numpy()
            connector = None
            if not (m0 or m1):
                if arrows and v0 != v1:
                    connector = ax.annotate(
                        "",
                        xy=(v1, i),
                        xytext=(v0, i),
                        arrowprops={
                            "arrowstyle": "-|>",
                            "color": st.colour,
                            "lw": 1.6,
                            "shrinkA": 5,
                            "shrinkB": 5.5,
                            "mutation_scale": 11,
                        },
                        zorder=2,
                    )
                else:
                    (connector,) = ax.plot([v0, v1], [i, i], color=st.colour, lw=1.6, zorder=2)
            markers = []
            for v, m, filled in ((v0, m0, False), (v1, m1, True)):
                if not m:
                    markers.append(
                        ax.scatter(
                            [v],
                            [i],
                            s=_MARKER_AREA,
                            marker=st.marker,
                            facecolor=st.colour if filled else "white",
                            edgecolor=st.colour,
                            linewidth=_MARKER_EDGE,
                            zorder=3,
                            gid=f"marker-{'later' if filled else 'earlier'}",
                        )
                    )
            interval_lines = [None, None]
            if show_ci:
                for k, (w, off) in enumerate(((waves[0], -0.27), (waves[1], 0.27))):
                    r = sub.loc[w]
                    if not r["missing"] and np.isfinite(r["ci_low"]) and np.isfinite(r["ci_high"]):
                        (interval_lines[k],) = ax.plot(
                            [r["ci_low"], r["ci_high"]], [i + off] * 2, color=st.colour, lw=1
                        )
            pair = (
                _Pair(i, v0, v1, st.marker, *markers, connector, tuple(interval_lines))
                if len(markers) == 2
                else None
            )
            if m0 and m1:
                both = (
                    NOT_PUBLISHED
                    if t0 == t1 == NOT_PUBLISHED
                    else "; ".join(
                        _lost_text(w, t) for w, t in zip(wave_names, (t0, t1), strict=True)
                    )
                )
                texts.append(placeholder(ax, 0.0, i, fontsize=fs - 0.5, text=both))
                continue
            if m0 or m1:
                v, t = (v1, t1) if m0 else (v0, t0)
                lost = _lost_text(wave_names[0], t0) if m0 else _lost_text(wave_names[1], t1)
                label = _direct_label(ax, v, i, t, fontsize=fs, dx=7)
                texts.append(label)
                # The box goes left of the marker, unless the marker sits near the axis start
                # (the box would run past 0): then right of the value's label.
                near_start = v < 0.4 * nice_max(df["value"], percent=percent)
                texts.append(
                    placeholder(ax, v, i, fontsize=fs - 1, dx=8, text=lost, anchor=label)
                    if near_start
                    else placeholder(ax, v, i, fontsize=fs - 1, dx=-8, ha="right", text=lost)
                )
                continue
            if t0 == t1:
                # One label for both waves (the markers are told apart after layout).
                both = f"{t0} in {wave_names[0]} and {wave_names[1]}"
                right_half = max(v0, v1) > 0.5 * nice_max(df["value"], percent=percent)
                texts.append(
                    _direct_label(ax, min(v0, v1), i, both, fontsize=fs, dx=-7, ha="right")
                    if right_half
                    else _direct_label(ax, max(v0, v1), i, both, fontsize=fs, dx=7)
                )
                pairs.append(pair)
                continue
            lo_t, hi_t = (t0, t1) if v1 >= v0 else (t1, t0)
            lo_v, hi_v = min(v0, v1), max(v0, v1)
            low = _direct_label(ax, lo_v, i, lo_t, fontsize=fs, dx=-7, ha="right")
            high = _direct_label(ax, hi_v, i, hi_t, fontsize=fs, dx=7)
            texts += [low, high]
            pairs.append(pair._replace(labels=(low, high) if v1 >= v0 else (high, low)))
        ax.set_yticks(np.arange(n), wrapped)
        ax.set_ylim(n - 0.5, -0.5)
        top = nice_max(list(df["value"]) + list(df["ci_high"]), percent=percent)
        ax.set_xlim(0, top)
        style_value_axis(ax, percent=percent, xlabel=xlabel)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="y", visible=True, color="#EEEEEE", linewidth=0.6)
        one = len(df["group_id"].unique()) == 1
        st0 = SECTOR_STYLE[df["group_id"].iloc[0]] if one else SECTOR_STYLE["all"]
        mk = st0.marker if one else "o"
        handles = [
            Line2D([], [], ls="", marker=mk, ms=7, mfc="white", mec=st0.colour, mew=1.5),
            Line2D([], [], ls="", marker=mk, ms=7, mfc=st0.colour, mec=st0.colour, mew=1.5),
        ]
        frame.fig.legend(
            handles,
            wave_names,
            loc="upper left",
            bbox_to_anchor=(0.12 / frame.fig.get_figwidth(), frame.legend_y),
            ncol=2,
            borderaxespad=0,
            handletextpad=0.3,
            columnspacing=1.2,
        )
    fit(frame, [texts], grow_left=True)
    _separate_touching_markers(ax, pairs)
    ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= ax.get_xlim()[1] + 1e-9])
    plotted = df.drop(columns="missing")
    plotted.insert(0, "order", np.repeat(np.arange(1, n + 1), 2))
    plotted = plotted[
        with_provenance(
            ["order", "label", "group_id", "wave", "value", "ci_low", "ci_high", "status"]
            + ["display_text", "diff"],
            plotted,
        )
    ]
    plotted["wave"] = plotted["wave"].astype(int)
    alt_rows = []
    for r in rows:
        shown = plotted.loc[plotted["label"] == r, "display_text"].tolist()
        alt_rows.append(
            f"{r}: {shown[0]} in both {wave_names[0]} and {wave_names[1]}"
            if shown[0] == shown[1]
            else f"{r}: {' to '.join(shown)}"
        )
    kind = f"Dumbbell chart comparing {wave_names[0]} with {wave_names[1]}"
    return _finish(frame, title, subtitle, kind, alt_rows, footer), plotted


# --------------------------------------------------------------------------- forest
class VerdictStyle(NamedTuple):
    """Colour, marker and label of one verdict in :func:`forest`."""

    colour: str
    marker: str
    label: str


#: Verdict (analysis.vocab.Verdict value) -> style: Okabe-Ito colours, so verdicts never look
#: like sectors; the legend words come from the caller (analysis.text).
VERDICT_STYLE: dict[str, VerdictStyle] = {
    Verdict.SUPPORTED.value: VerdictStyle("#0072B2", "o", "Supported"),
    Verdict.NOT_DISTINGUISHABLE.value: VerdictStyle("#505A5F", "^", "Not distinguishable"),
    Verdict.CONTRADICTED.value: VerdictStyle("#CC79A7", "D", "Contradicted"),
    Verdict.DEPENDS_ON_OVERLAP.value: VerdictStyle("#009E73", "s", "Depends on overlap"),
    Verdict.DIRECTION_ONLY.value: VerdictStyle("#E69F00", "v", "Direction only"),
    Verdict.UNTESTABLE.value: VerdictStyle("#D55E00", "X", "Cannot be tested"),
    "estimate": VerdictStyle(TEXT_COLOUR, "o", "Estimate"),
}


def verdict_styles(
    verdicts: Sequence[str], labels: Mapping[str, str] | None = None
) -> dict[str, VerdictStyle]:
    """Styles of the verdicts present (``analysis.vocab.Verdict`` values), legend words given.

    Examples
    --------
    >>> styles = verdict_styles(["supported", "not_distinguishable"],
    ...                         {"supported": "Supported at 1%"})
    >>> [(s.marker, s.label) for s in styles.values()]
    [('o', 'Supported at 1%'), ('^', 'Not distinguishable')]
    """
    out: dict[str, VerdictStyle] = {}
    for v in dict.fromkeys(verdicts):
        if v not in VERDICT_STYLE:
            raise ValueError(f"verdict {v!r} is not one of {sorted(VERDICT_STYLE)}")
        style = VERDICT_STYLE[v]
        out[v] = style._replace(label=(labels or {}).get(v, style.label))
    return out


def forest(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str = DEFAULT_SOURCE,
    base: str | None = None,
    note: str | Sequence[str] | None = "Lines show 95% confidence intervals",
    label: str = "label",
    estimate: str = "diff",
    verdict: str | None = "verdict",
    scale: float = 100.0,
    unit: str = "percentage points",
    null: float = 0.0,
    order: Order = "given",
    decimals: int = 1,
    verdict_labels: Mapping[str, str] | None = None,
) -> tuple[Figure, pd.DataFrame]:
    """Forest plot of differences with intervals, coloured and shaped by verdict.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per claim: ``label``, the estimate (default ``diff``), ``ci_low``,
        ``ci_high`` and ``verdict``; on the inference scale (proportions 0-1). Optional
        ``display_text``: the words drawn for a row without a number (default "not
        published"; e.g. "withheld").
    title, subtitle, source, base, note
        As in :func:`hbar`.
    label, estimate, verdict : str
        Column names (``verdict=None``: one neutral style).
    scale : float, default 100
        Multiplier for display (100 turns proportion differences into points).
    unit : str, default "percentage points"
        Axis title.
    null : float, default 0
        Reference line (on the data scale before ``scale``).
    order : {"value", "given"} or list of str, default "given"
        Row order.
    decimals : int, default 1
        Decimals of the right-hand labels ``estimate [ci_low, ci_high]``.
    verdict_labels : mapping, optional
        Legend words per verdict value (e.g. from ``analysis.text.verdict_label``).

    Returns
    -------
    fig : matplotlib.figure.Figure
    plotted : pandas.DataFrame
        One row per claim: ``order``, ``label``, ``estimate``, ``ci_low``, ``ci_high``
        (all multiplied by ``scale``), ``verdict``, ``status``, ``display_text``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"label": ["Optimism fell", "Trust fell"], "diff": [-0.13, -0.17],
    ...                    "ci_low": [-0.25, -0.26], "ci_high": [-0.01, -0.08],
    ...                    "verdict": ["supported", "supported"]})
    >>> fig, plotted = forest(df, title="Both falls are larger than chance",
    ...                       subtitle="Difference 2025 minus 2024")
    >>> plotted["display_text"].tolist()
    ['-13.0 [-25.0, -1.0]', '-17.0 [-26.0, -8.0]']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    require_columns(data, [label, estimate, "ci_low", "ci_high"] + ([verdict] if verdict else []))
    if not np.isfinite(scale) or scale == 0:
        raise ValueError(f"scale={scale!r} must be a finite non-zero number")
    df = pd.DataFrame({"label": data[label].astype(str).to_numpy()})
    for col, src in (("estimate", estimate), ("ci_low", "ci_low"), ("ci_high", "ci_high")):
        df[col] = numeric(data, src).to_numpy() * scale
    df["verdict"] = data[verdict].astype(str).to_numpy() if verdict else "estimate"
    # Positional, not index-aligned: callers pass filtered frames with arbitrary indexes.
    df["missing"] = missing_mask(
        data.assign(**{estimate: df["estimate"].to_numpy()}), estimate
    ).to_numpy()
    # A withheld row's words (``display_text`` of the input), "not published" by default.
    df["missing_text"] = (
        data["display_text"].astype("string").fillna(NOT_PUBLISHED).to_numpy(dtype=object)
        if "display_text" in data.columns
        else NOT_PUBLISHED
    )
    if df["label"].duplicated().any():
        raise ValueError("forest draws one row per label; labels repeat")
    bad = df[~df["missing"] & ((df["ci_low"] > df["estimate"]) | (df["ci_high"] < df["estimate"]))]
    if len(bad):
        raise ValueError(f"intervals must contain the estimate; rows {bad['label'].tolist()}")
    df["status"] = np.where(df["missing"], "not_published", "estimated")
    df["value"] = df["estimate"].where(~df["missing"])
    rows = _item_order(df, order)
    df = df.set_index("label").loc[rows].reset_index()

    def _fmt(v: float) -> str:
        return f"{v:.{decimals}f}".replace("-0.0", "0.0") if np.isfinite(v) else "?"

    df["display_text"] = [
        str(t) if m else f"{_fmt(e)} [{_fmt(lo)}, {_fmt(hi)}]"
        for m, t, e, lo, hi in df[
            ["missing", "missing_text", "estimate", "ci_low", "ci_high"]
        ].itertuples(index=False)
    ]
    df = df.drop(columns="missing_text")
    styles = (
        verdict_styles(df["verdict"].tolist(), verdict_labels)
        if verdict
        else {"estimate": VERDICT_STYLE["estimate"]}
    )
    footer = footer_lines(data, note=note, base=base, source=source)
    wrapped, max_lines = _wrapped_labels(rows)
    n = len(rows)
    frame = new_frame(
        title=title,
        subtitle=subtitle,
        footer=footer,
        body_height=n * _row_height(max_lines, 0.34),
        legend=bool(verdict),
        xlabel=True,
    )
    ax = frame.axes[0]
    y = np.arange(n, dtype=float)
    right: list[Text] = []
    with plt.rc_context(HOUSE_RC):
        ax.axvline(null * scale, color=TEXT_COLOUR, linewidth=1.0, zorder=1)
        for i, r in df.iterrows():
            if r["missing"]:
                placeholder(ax, null * scale, y[i], fontsize=LABEL_SIZE - 1, text=r["display_text"])
                continue
            st = styles[r["verdict"]]
            ax.plot([r["ci_low"], r["ci_high"]], [y[i]] * 2, color=st.colour, lw=1.6, zorder=2)
            ax.scatter(
                [r["estimate"]],
                [y[i]],
                marker=st.marker,
                s=48,
                color=st.colour,
                zorder=3,
                edgecolor="white",
                linewidth=0.6,
                gid=f"verdict-{r['verdict']}",
            )
        for i, text in enumerate(df["display_text"]):
            right.append(
                ax.annotate(
                    text,
                    xy=(1.0, y[i]),
                    xycoords=("axes fraction", "data"),
                    xytext=(10, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=LABEL_SIZE - 0.5,
                    color=MUTED_COLOUR if df["missing"].iat[i] else TEXT_COLOUR,
                    annotation_clip=False,
                )
            )
        vals = pd.concat([df["ci_low"], df["ci_high"], pd.Series([null * scale])]).dropna()
        span = float(vals.max() - vals.min()) or 0.1 * abs(scale)  # nothing drawn: +-5 points
        pad = 0.06 if len(vals) > 1 else 0.5
        ax.set_xlim(vals.min() - pad * span, vals.max() + pad * span)
        ax.set_yticks(y, wrapped)
        ax.set_ylim(n - 0.5, -0.5)
        style_value_axis(ax, percent=False, xlabel=f"Difference ({unit})")
        ax.spines["left"].set_visible(False)
        ax.grid(axis="y", visible=True, color="#EEEEEE", linewidth=0.6)
        if verdict:
            shown = list(dict.fromkeys(df.loc[~df["missing"], "verdict"]))
            handles = [
                Line2D([], [], ls="", marker=styles[v].marker, ms=7, color=styles[v].colour)
                for v in shown
            ]
            frame.fig.legend(
                handles,
                [styles[v].label for v in shown],
                loc="upper left",
                bbox_to_anchor=(0.12 / frame.fig.get_figwidth(), frame.legend_y),
                ncol=max(1, len(shown)),
                borderaxespad=0,
                handletextpad=0.3,
                columnspacing=1.2,
            )
    fit(frame, right_margin=text_width(frame.fig, right) + 0.3)
    plotted = df.drop(columns=["missing", "value"])
    plotted.insert(0, "order", np.arange(1, n + 1))
    alt_rows = [
        f"{r.label}: {r.display_text} ({styles[r.verdict].label.lower()})"
        for r in plotted.itertuples()
    ]
    return _finish(frame, title, subtitle, "Forest plot of differences", alt_rows, footer), (
        plotted
    )


# --------------------------------------------------------------------------- curves
_LINESTYLES: list = ["-", "--", ":", "-.", (0, (1, 1)), (0, (5, 1))]


def _first_crossing(
    nv: np.ndarray, yv: np.ndarray, level: float, *, below: bool, logx: bool, logy: bool
) -> float:
    """Interpolated first n at which y goes below (or reaches) ``level``; NaN if never."""
    hit = np.flatnonzero(yv < level) if below else np.flatnonzero(yv >= level)
    if not hit.size:
        return np.nan
    k = int(hit[0])
    if k == 0:
        return float(nv[0])
    y0, y1 = yv[k - 1], yv[k]
    ty = np.log(np.clip([y0, y1, level], 1e-300, None)) if logy else np.array([y0, y1, level])
    t = (ty[2] - ty[0]) / (ty[1] - ty[0]) if ty[1] != ty[0] else 1.0
    tx = np.log(nv[k - 1 : k + 1]) if logx else nv[k - 1 : k + 1].astype(float)
    out = tx[0] + t * (tx[1] - tx[0])
    return float(np.exp(out) if logx else out)


def _curve_data(
    data: pd.DataFrame, *, n: str | None, y: str, curve: str | None, crossing: str, ycheck
) -> tuple[pd.DataFrame, list[str], str | None]:
    """Validated, sorted copy of a curve grid with ``label``, ``n`` and ``y`` first."""
    if curve and curve not in data.columns and curve == "label":
        curve = None  # the default: a single curve when there is no label column
    if n is None:
        n = next((c for c in ("n", "n_a") if c in data.columns), "n")
    require_columns(data, [n, y] + ([curve] if curve else []))
    df = data.copy()
    df["label"] = data[curve].astype(str) if curve else y.replace("_", "-")
    df["n"] = numeric(data, n)
    df[y] = numeric(data, y)
    df = df.dropna(subset=["n", y])
    if df.empty:
        raise ValueError(f"data has no rows with both {n!r} and {y!r}")
    if (df["n"] <= 0).any() or not ycheck(df[y]).all():
        raise ValueError(f"{n!r} must be positive and {y!r} must lie in [0, 1]")
    if df.duplicated(["label", "n"]).any():
        raise ValueError(
            f"data has several rows per (curve, {n!r}); keep one per base (e.g. filter by "
            "method) or pass curve= naming the column that tells the lines apart"
        )
    curves = list(dict.fromkeys(df["label"]))
    df["label"] = pd.Categorical(df["label"], categories=curves, ordered=True)
    df = df.sort_values(["label", "n"], kind="stable")
    df["label"] = df["label"].astype(str)
    first = ["label", "n", y]
    df = df[first + [c for c in df.columns if c not in first]]
    df.insert(3, crossing, np.nan)
    return df.reset_index(drop=True), curves, curve


def _curve_groups(df: pd.DataFrame, curves: list[str], group: str | None) -> dict[str, str]:
    """Curve -> respondent group when ``group`` names a column giving one known group per
    curve (its house colour is then the curve's); empty when there is no such column.

    Examples
    --------
    >>> grid = pd.DataFrame({"label": ["a", "a", "b"], "group_id": ["private"] * 2 + ["nfp"]})
    >>> _curve_groups(grid, ["a", "b"], "group_id")
    {'a': 'private', 'b': 'nfp'}
    >>> _curve_groups(grid, ["a", "b"], None)
    {}
    """
    if not group or group not in df.columns:
        return {}
    out = {}
    for c in curves:
        values = df.loc[df["label"] == c, group].dropna().astype(str).unique().tolist()
        if len(values) != 1:
            raise ValueError(
                f"curve {c!r} has {len(values)} values of {group!r} ({values}); each curve "
                "takes the house colour of exactly one group"
            )
        sector_style(values[0])  # an unknown group is an error naming the valid ones
        out[c] = values[0]
    return out


def _curve_chart(
    df: pd.DataFrame,
    curves: list[str],
    curve: str | None,
    *,
    group: str | None,
    y: str,
    level: float,
    level_label: str,
    crossing: str,
    below: bool,
    title: str,
    subtitle: str,
    footer: list[str],
    marks: dict[str, float] | None,
    logx: bool,
    logy: bool,
    ylim: tuple[float, float],
    yformat,
    ylabel: str,
    kind: str,
) -> tuple[Figure, pd.DataFrame]:
    """Lines of y against base n, a dashed threshold, and the first crossing marked."""
    for c in curves:
        sub = df[df["label"] == c]
        df.loc[sub.index, crossing] = _first_crossing(
            sub["n"].to_numpy(float),
            sub[y].to_numpy(float),
            level,
            below=below,
            logx=logx,
            logy=logy,
        )
    sector = curve == "group_id" and all(c in SECTOR_STYLE for c in curves)
    groups = _curve_groups(df, curves, group)
    colours = category_colours(len(curves)) if not (sector or groups) else None
    many = len(curves) > 1 or curve is not None
    ncol = 1 if not many else (len(curves) if len(curves) <= 2 else 2)
    frame = new_frame(
        title=title,
        subtitle=subtitle,
        footer=footer,
        body_height=3.0,
        xlabel=True,
        legend=-(-len(curves) // ncol) if many else 0,
    )
    ax = frame.axes[0]
    handles: list[Line2D] = []
    names: list[str] = []
    with plt.rc_context(HOUSE_RC):
        if logx:
            ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        for j, c in enumerate(curves):
            sub = df[df["label"] == c]
            if sector:
                st = SECTOR_STYLE[c]
                colour, ls, name = st.colour, st.linestyle, st.label
            elif groups:
                # the group's house colour; line styles tell curves of one group apart
                st = SECTOR_STYLE[groups[c]]
                same = [d for d in curves if groups[d] == groups[c]]
                ls = st.linestyle if len(same) == 1 else _LINESTYLES[same.index(c)]
                colour, name = st.colour, c
            else:
                colour, ls, name = colours[j], _LINESTYLES[j % len(_LINESTYLES)], c
            yv = sub[y].clip(lower=1e-300) if logy else sub[y]
            (line,) = ax.plot(
                sub["n"], yv, color=colour, linestyle=ls, lw=1.8, zorder=3, gid=f"curve-{j}"
            )
            handles.append(line)
            names.append(name)
            cross = sub[crossing].iloc[0]
            if np.isfinite(cross):
                ax.scatter(
                    [cross],
                    [level],
                    s=36,
                    facecolor="white",
                    edgecolor=colour,
                    lw=1.5,
                    zorder=4,
                    gid=f"crossing-{j}",
                )
        ax.axhline(level, color=TEXT_COLOUR, linestyle=(0, (4, 3)), lw=1, zorder=2, gid="level")
        ax.annotate(
            level_label,
            xy=(0.0, level),
            xycoords=("axes fraction", "data"),
            xytext=(4, 3),
            textcoords="offset points",
            va="bottom",
            fontsize=LABEL_SIZE - 0.5,
        )
        for name, x in (marks or {}).items():
            ax.axvline(x, color=MUTED_COLOUR, linestyle=":", lw=1, zorder=1, gid="mark")
            ax.annotate(
                name,
                xy=(x, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, -2),
                textcoords="offset points",
                va="top",
                fontsize=LABEL_SIZE - 1,
                color=MUTED_COLOUR,
            )
        ax.set_ylim(*ylim)
        lo_n, hi_n = float(df["n"].min()), float(df["n"].max())
        if logx:
            ax.set_xlim(lo_n / 1.1, hi_n * 1.05)
            ax.xaxis.set_major_locator(mpl_ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        else:
            ax.set_xlim(0 if lo_n < 0.2 * hi_n else lo_n, hi_n * 1.02)
        ax.grid(axis="both", visible=True)
        ax.tick_params(axis="both", length=3)
        ax.xaxis.set_major_formatter(mpl_ticker.FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.xaxis.set_minor_formatter(mpl_ticker.NullFormatter())
        ax.yaxis.set_major_formatter(mpl_ticker.FuncFormatter(yformat))
        ax.set_xlabel("Base n per group (assumed)", color=MUTED_COLOUR, loc="left")
        ax.set_ylabel(ylabel, color=MUTED_COLOUR, loc="top")
        if many:
            frame.fig.legend(
                handles,
                names,
                loc="upper left",
                bbox_to_anchor=(0.12 / frame.fig.get_figwidth(), frame.legend_y),
                ncol=ncol,
                borderaxespad=0,
                handlelength=2.6,
                columnspacing=1.5,
            )
    fit(frame)
    first = df.groupby("label", sort=False)[crossing].first()
    verb = "falls below" if below else "reaches"
    alt_rows = [
        f"{c}: {verb} {level_label} at n of about {first[c]:.0f}"
        if np.isfinite(first[c])
        else f"{c}: never {verb} {level_label} in the range shown"
        for c in curves
    ]
    return _finish(frame, title, subtitle, kind, alt_rows, footer), df


def pvalue_curve(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str = DEFAULT_SOURCE,
    base: str | None = None,
    note: str | Sequence[str] | None = None,
    n: str | None = None,
    p: str = "p_value",
    curve: str | None = "label",
    group: str | None = "group_id",
    alpha: float = 0.05,
    marks: dict[str, float] | None = None,
    logx: bool = True,
    logy: bool = True,
    p_floor: float = 1e-4,
) -> tuple[Figure, pd.DataFrame]:
    """P-value against the (assumed) base n, one line per claim, with the alpha line.

    Shows how a test's conclusion depends on an unpublished base: the point where
    each curve first falls below ``alpha`` is marked and reported as ``n_alpha``.

    Parameters
    ----------
    data : pandas.DataFrame
        A grid with the base (``n``, or ``n_a`` as in
        :func:`~analysis.stats.proportions.base_sensitivity`), ``p_value`` and optionally
        ``label`` (one line per label; with ``curve="group_id"`` lines take sector styles).
        Other columns are kept.
    title, subtitle, source, base, note
        As in :func:`hbar`.
    n, p, curve : str
        Column names (``n=None``: ``n`` or else ``n1``; ``curve=None``: one line).
    group : str, optional
        Column naming each curve's respondent group (default ``group_id``, when present):
        the curve takes that group's house colour (``SECTOR_STYLE``), so a private-sector
        curve is drawn in the private sector's colour, as in every other figure.
    alpha : float, default 0.05
        Significance threshold, drawn as a dashed line.
    marks : dict of str to float, optional
        Vertical reference lines, e.g. ``{"stated n=274": 274}``.
    logx, logy : bool, default True
        Logarithmic axes.
    p_floor : float, default 1e-4
        Lower end of a logarithmic p axis; smaller p-values run off the chart.

    Returns
    -------
    fig : matplotlib.figure.Figure
    plotted : pandas.DataFrame
        One row per point, lines in data order and n ascending: ``label``, ``n``,
        ``p_value``, ``n_alpha`` (the interpolated base at which the line first falls
        below ``alpha``; NaN if it never does), then the input's other columns.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"n": [50, 100, 200, 400], "p_value": [0.3, 0.12, 0.03, 0.002]})
    >>> fig, plotted = pvalue_curve(df, title="Significant from about n=155",
    ...                             subtitle="Two-sided p-value by assumed base")
    >>> round(float(plotted["n_alpha"].iloc[0]))
    155
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha!r} must be between 0 and 1")
    if logy and not 0 < p_floor < alpha:
        raise ValueError(f"p_floor={p_floor!r} must be between 0 and alpha={alpha!r}")
    df, curves, curve = _curve_data(
        data, n=n, y=p, curve=curve, crossing="n_alpha", ycheck=lambda v: v.between(0, 1)
    )
    df = df.rename(columns={p: "p_value"}) if p != "p_value" else df
    ymin = max(p_floor, min(float(df["p_value"].min()), alpha) / 2) if logy else 0.0
    return _curve_chart(
        df,
        curves,
        curve,
        group=group,
        y="p_value",
        level=alpha,
        level_label=f"α = {alpha:g}",
        crossing="n_alpha",
        below=True,
        title=title,
        subtitle=subtitle,
        footer=footer_lines(data, note=note, base=base, source=source),
        marks=marks,
        logx=logx,
        logy=logy,
        ylim=(ymin, 1.0),
        yformat=lambda v, _pos: f"{v:g}",
        ylabel="p-value",
        kind="Line chart of p-value by base",
    )


def power_curve(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str = DEFAULT_SOURCE,
    base: str | None = None,
    note: str | Sequence[str] | None = None,
    n: str | None = None,
    power: str = "power",
    curve: str | None = "label",
    group: str | None = "group_id",
    target: float = 0.8,
    marks: dict[str, float] | None = None,
    logx: bool = False,
) -> tuple[Figure, pd.DataFrame]:
    """Power against the (assumed) base n, with the target power line.

    Parameters
    ----------
    data : pandas.DataFrame
        A grid with the base (``n``, or ``n_a`` as in
        :func:`~analysis.stats.proportions.power_two_proportions`), ``power`` (0-1) and
        optionally ``label``; one row per line and base (filter ``method`` first).
        Other columns are kept.
    title, subtitle, source, base, note
        As in :func:`hbar`.
    n, power, curve : str
        Column names (``n=None``: ``n`` or else ``n1``; ``curve=None``: one line).
    group : str, optional
        Column naming each curve's respondent group: its house colour (as in
        :func:`pvalue_curve`).
    target : float, default 0.8
        Target power, drawn as a dashed line; the first base reaching it is marked.
    marks : dict of str to float, optional
        Vertical reference lines, e.g. ``{"assumed n=68": 68}``.
    logx : bool, default False
        Logarithmic base axis.

    Returns
    -------
    fig : matplotlib.figure.Figure
    plotted : pandas.DataFrame
        One row per point: ``label``, ``n``, ``power``, ``n_target`` (interpolated
        first base with power at or above ``target``; NaN if never), then the input's
        other columns.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"n_a": [100, 200, 300], "power": [0.35, 0.62, 0.80]})
    >>> fig, plotted = power_curve(df, title="80% power needs about 300 per wave",
    ...                            subtitle="Power of the two-proportion z test")
    >>> float(plotted["n_target"].iloc[0])
    300.0
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if not 0 < target < 1:
        raise ValueError(f"target={target!r} must be between 0 and 1")
    df, curves, curve = _curve_data(
        data, n=n, y=power, curve=curve, crossing="n_target", ycheck=lambda v: v.between(0, 1)
    )
    df = df.rename(columns={power: "power"}) if power != "power" else df
    return _curve_chart(
        df,
        curves,
        curve,
        group=group,
        y="power",
        level=target,
        level_label=f"{target:.0%} power",
        crossing="n_target",
        below=False,
        title=title,
        subtitle=subtitle,
        footer=footer_lines(data, note=note, base=base, source=source),
        marks=marks,
        logx=logx,
        logy=False,
        ylim=(0.0, 1.0),
        yformat=lambda v, _pos: f"{v:.0%}",
        ylabel="Power",
        kind="Line chart of power by base",
    )
