"""Bar charts: hbar, grouped_hbar (grouped or small multiples) and change_bars.

Each takes a tidy DataFrame (one row per plotted value) and returns
``(fig, plotted_data)``; pass both to :func:`analysis.plot.save_figure`. Every chart
has a title (the finding), a subtitle (measure, population, year), direct value
labels, and a footer with optional notes, the base and ``Source: ... from WIG``.
Missing values (``NaN`` or ``status == "not_published"``) are drawn as a dashed
"not published" placeholder, never as zero.

Common input columns: ``label`` (row label), ``value`` (published percentage,
0-100), ``group_id`` (respondent group, see ``SECTOR_STYLE``), ``wave``, ``ci_low``,
``ci_high`` (interval on the value's scale), ``status``, ``value_text`` (the value
as printed, used as the label) and ``base_text`` (used for the base line when
``base`` is not given).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from ._common import (
    Order,
    _bar_label,
    _direct_label,
    _finish,
    _item_order,
    _prepare,
    _row_height,
    _style_bar,
    _uses_intervals,
    _whiskers,
    _wrapped_labels,
    with_provenance,
)
from ._layout import (
    DEFAULT_SOURCE,
    NOT_PUBLISHED,
    Frame,
    fit,
    footer_lines,
    new_frame,
    nice_max,
    placeholder,
    style_value_axis,
    wrap,
)
from ._style import (
    FIG_WIDTH,
    HOUSE_RC,
    LABEL_SIZE,
    SECTOR_STYLE,
    TEXT_COLOUR,
    ordered_groups,
)

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- hbar
# --------------------------------------------------------------------------- shared
def _one_bar_per_label(
    data: pd.DataFrame,
    *,
    label: str,
    value: str,
    percent: bool,
    order: Order,
    chart: str,
    hint: str = "",
) -> tuple[pd.DataFrame, list[str]]:
    """Prepared rows in drawing order, one per label (``chart`` names the caller in errors)."""
    df = _prepare(data, label=label, value=value, percent=percent)
    dup = df["label"][df["label"].duplicated()].unique().tolist()
    if dup:
        raise ValueError(f"{chart} draws one bar per label but {dup!r} repeat{hint}")
    rows = _item_order(df, order)
    return df.set_index("label").loc[rows].reset_index(), rows


def _bar_frame(
    data: pd.DataFrame,
    rows: list[str],
    *,
    title: str,
    subtitle: str,
    note: str | Sequence[str] | None,
    base: str | None,
    source: str,
    xlabel: str | None,
) -> tuple[Frame, list[str], list[str]]:
    """The figure for one bar per row: frame, footer lines and wrapped row labels."""
    footer = footer_lines(data, note=note, base=base, source=source)
    wrapped, max_lines = _wrapped_labels(rows)
    frame = new_frame(
        title=title,
        subtitle=subtitle,
        footer=footer,
        body_height=len(rows) * _row_height(max_lines),
        xlabel=bool(xlabel),
    )
    return frame, footer, wrapped


def _draw_bars(ax, df: pd.DataFrame, y: np.ndarray, *, hatch: bool) -> list[Text]:
    """Bars for the published rows; a "not published" placeholder at 0 for the others."""
    pub = ~df["missing"].to_numpy()
    bars = ax.barh(y[pub], df.loc[pub, "value"], height=0.62, zorder=2)
    for patch, g in zip(bars.patches, df.loc[pub, "group_id"], strict=True):
        _style_bar(patch, g, show_hatch=hatch)
    return [
        placeholder(ax, 0.0, y[i], fontsize=LABEL_SIZE - 0.5, text=row["display_text"])
        for i, row in df[df["missing"]].iterrows()
    ]


def _finish_bars(
    frame: Frame, df: pd.DataFrame, title: str, subtitle: str, kind: str, footer: list[str]
) -> tuple[Figure, pd.DataFrame]:
    """Plotted numbers (with their drawing order) and the text alternative."""
    plotted = df.drop(columns="missing")
    plotted.insert(0, "order", np.arange(1, len(df) + 1))
    alt_rows = [f"{r.label}: {r.display_text}" for r in plotted.itertuples()]
    return _finish(frame, title, subtitle, kind, alt_rows, footer), plotted


def hbar(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str = DEFAULT_SOURCE,
    base: str | None = None,
    note: str | Sequence[str] | None = None,
    label: str = "label",
    value: str = "value",
    order: Order = "value",
    intervals: bool | None = None,
    percent: bool = True,
    xlabel: str | None = None,
    hatch: bool = False,
) -> tuple[Figure, pd.DataFrame]:
    """Horizontal bars from zero, one per row, with direct value labels.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per bar with columns ``label`` and ``value``; optional ``group_id``
        (colours the bar, default ``"all"``), ``ci_low``/``ci_high``, ``status``,
        ``value_text`` (label as printed) and ``base_text``.
    title, subtitle : str
        The finding (15 words or fewer) and the measure, population and year.
    source : str
        Source document; the footer reads ``Source: <source> from WIG``.
    base : str, optional
        Base line, e.g. ``"n=274 (stated)"``; default from ``base_text``, else
        "base not published".
    note : str or list of str, optional
        Extra footer lines, e.g. "Lines show 95% confidence intervals".
    label, value : str
        Column names of the row label and the value.
    order : {"value", "given"} or list of str, default "value"
        Largest first ("other"/"don't know" and missing values last), data order, or
        an explicit top-to-bottom list of labels (keep ordinal scales in order).
    intervals : bool, optional
        Draw ``ci_low``-``ci_high`` whiskers; default when the columns have values.
    percent : bool, default True
        Values are percentages (0-100): axis and labels get ``%``.
    xlabel : str, optional
        Value axis title.
    hatch : bool, default False
        Hatch bars by group (useful when bars of several sectors are mixed).

    Returns
    -------
    fig : matplotlib.figure.Figure
    plotted : pandas.DataFrame
        One row per bar, top to bottom: ``order`` (1 = top), ``label``, ``group_id``,
        ``value``, ``ci_low``, ``ci_high``, ``status`` (``not_published`` when drawn as
        missing) and ``display_text`` (the direct label drawn).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"label": ["Trust", "Leadership", "Regulation"],
    ...                    "value": [59, 61, None]})
    >>> fig, plotted = hbar(df, title="Shared goals lead", subtitle="% of leaders, 2025")
    >>> plotted[["label", "display_text"]].to_numpy().tolist()
    [['Leadership', '61%'], ['Trust', '59%'], ['Regulation', 'not published']]
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    df, rows = _one_bar_per_label(
        data,
        label=label,
        value=value,
        percent=percent,
        order=order,
        chart="hbar",
        hint="; use grouped_hbar for sectors",
    )
    show_ci = _uses_intervals(df, intervals)
    frame, footer, wrapped = _bar_frame(
        data,
        rows,
        title=title,
        subtitle=subtitle,
        note=note,
        base=base,
        source=source,
        xlabel=xlabel,
    )
    ax = frame.axes[0]
    n = len(rows)
    y = np.arange(n, dtype=float)
    with plt.rc_context(HOUSE_RC):
        texts = _draw_bars(ax, df, y, hatch=hatch)
        if show_ci:
            _whiskers(ax, df["value"], y, df["ci_low"], df["ci_high"])
        for i, row in df[~df["missing"]].iterrows():
            interval = show_ci and bool(np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"]))
            texts.append(
                _bar_label(ax, row["value"], y[i], row["display_text"], fontsize=LABEL_SIZE,
                           interval=interval)
            )  # fmt: skip
        ax.set_yticks(y, wrapped)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, nice_max(list(df["value"]) + list(df["ci_high"]), percent=percent))
        style_value_axis(ax, percent=percent, xlabel=xlabel)
    fit(frame, [texts])
    return _finish_bars(frame, df, title, subtitle, "Horizontal bar chart", footer)


# --------------------------------------------------------------------------- grouped
def grouped_hbar(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str = DEFAULT_SOURCE,
    base: str | None = None,
    note: str | Sequence[str] | None = None,
    label: str = "label",
    group: str = "group_id",
    value: str = "value",
    groups: Sequence[str] | None = None,
    order: Order = "value",
    layout: Literal["grouped", "panels"] = "grouped",
    intervals: bool | None = None,
    percent: bool = True,
    xlabel: str | None = None,
) -> tuple[Figure, pd.DataFrame]:
    """Items by respondent group: grouped bars, or one panel per sector (small multiples).

    Bars take the sector's house colour (and hatch, in grouped layout); every bar has
    a direct value label; missing values get a "not published" placeholder.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per item and group: ``label``, ``group_id``, ``value``; optional
        ``ci_low``/``ci_high``, ``status``, ``value_text``, ``base_text``.
    title, subtitle, source, base, note
        As in :func:`hbar`.
    label, group, value : str
        Column names.
    groups : list of str, optional
        Groups to show, in order; default the house order (all, public, private, ...).
    order : {"value", "given"} or list of str, default "value"
        Item order; "value" sorts by the first shown group's value (e.g. all leaders).
    layout : {"grouped", "panels"}, default "grouped"
        Bars of each item side by side with a legend, or one panel per group with
        the group's name as panel title (no legend).
    intervals, percent, xlabel
        As in :func:`hbar`.

    Returns
    -------
    fig : matplotlib.figure.Figure
    plotted : pandas.DataFrame
        One row per bar, items top to bottom and groups in display order: ``order``,
        ``label``, ``group_id``, ``value``, ``ci_low``, ``ci_high``, ``status``,
        ``display_text``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"label": ["Dialogue"] * 2 + ["Growth"] * 2,
    ...                    "group_id": ["public", "nfp"] * 2, "value": [14, 21, 25, 29]})
    >>> fig, plotted = grouped_hbar(df, title="Few see dialogue as enough",
    ...                             subtitle="% agreeing, by sector, 2025")
    >>> plotted["label"].tolist()
    ['Growth', 'Growth', 'Dialogue', 'Dialogue']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if layout not in ("grouped", "panels"):
        raise ValueError(f"layout={layout!r}; valid: 'grouped', 'panels'")
    df = _prepare(data, label=label, value=value, percent=percent, group=group)
    present = ordered_groups(df["group_id"].tolist())
    if groups is None:
        groups = present
    else:
        groups = [str(g) for g in groups]
        unknown = [g for g in groups if g not in present]
        if unknown:
            raise ValueError(f"groups={groups!r}: {unknown} not in data; present: {present}")
        df = df[df["group_id"].isin(groups)]
    if df.duplicated(["label", "group_id"]).any():
        raise ValueError("data has more than one row per (label, group_id)")
    key = df[df["group_id"] == groups[0]].set_index("label")["value"]
    key = key.reindex(list(dict.fromkeys(df["label"])))
    key = key.fillna(df.groupby("label")["value"].mean())
    items = _item_order(df, order, key=key)
    full = pd.MultiIndex.from_product([items, groups], names=["label", "group_id"])
    df = df.set_index(["label", "group_id"]).reindex(full).reset_index()
    absent = df["missing"].isna()
    if absent.any():  # an item/group pair with no row at all: not published
        df.loc[absent, ["missing", "display_text", "status"]] = [
            True,
            NOT_PUBLISHED,
            "not_published",
        ]
    df["missing"] = df["missing"].astype(bool)
    show_ci = _uses_intervals(df, intervals)
    footer = footer_lines(data, note=note, base=base, source=source)
    wrapped, max_lines = _wrapped_labels(items)
    k, n = len(groups), len(items)
    panels = layout == "panels"
    title_lines = 0
    if panels:
        row_h = _row_height(max_lines)
        # rough panel width (inches) to wrap long group names before layout
        est_left = 0.3 + 0.074 * max(len(w) for lab in wrapped for w in lab.split("\n"))
        panel_w = (FIG_WIDTH - est_left - 0.25 - 0.2 * (k - 1)) / k
        fit_chars = max(6, int(panel_w * 72 / (0.6 * (LABEL_SIZE + 0.5))))
        panel_titles = [
            "\n".join(wrap(SECTOR_STYLE[g].label, fit_chars, hyphens=True)) for g in groups
        ]
        title_lines = max(t.count("\n") + 1 for t in panel_titles)
    else:
        # with intervals, each bar is tall enough for its label above the whisker
        row_h = max(_row_height(max_lines), (0.3 if show_ci else 0.21) * k + 0.16)
    frame = new_frame(
        title=title,
        subtitle=subtitle,
        footer=footer,
        body_height=n * row_h,
        ncols=k if panels else 1,
        legend=not panels and k > 1,
        panel_titles=title_lines,
        xlabel=bool(xlabel),
        wspace=0.2,
    )
    y_item = np.arange(n, dtype=float)
    texts: list[list[Text]] = [[] for _ in frame.axes]
    xmax = nice_max(list(df["value"]) + list(df["ci_high"]), percent=percent)
    fs = LABEL_SIZE - (1.0 if k > 2 or panels else 0.5)
    with plt.rc_context(HOUSE_RC):
        for j, g in enumerate(groups):
            ax = frame.axes[j] if panels else frame.axes[0]
            sub = df[df["group_id"] == g].set_index("label").loc[items].reset_index()
            if panels:
                y, height = y_item, 0.62
            else:
                height = 0.8 / k
                y = y_item - 0.4 + height * (j + 0.5)
            pub = ~sub["missing"].to_numpy()
            bars = ax.barh(y[pub], sub.loc[pub, "value"], height=height * 0.92, zorder=2)
            for patch in bars.patches:
                _style_bar(patch, g, show_hatch=not panels)
            if show_ci:
                _whiskers(ax, sub["value"], y, sub["ci_low"], sub["ci_high"])
            tgt = texts[j] if panels else texts[0]
            for i, row in sub.iterrows():
                if row["missing"]:
                    tgt.append(
                        placeholder(ax, 0.0, y[i], fontsize=fs - 0.5, text=row["display_text"])
                    )
                    continue
                interval = show_ci and bool(
                    np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"])
                )
                tgt.append(
                    _bar_label(ax, row["value"], y[i], row["display_text"], fontsize=fs,
                               interval=interval)
                )  # fmt: skip
        for j, ax in enumerate(frame.axes):
            ax.set_ylim(n - 0.5, -0.5)
            ax.set_xlim(0, xmax)
            style_value_axis(ax, percent=percent, xlabel=xlabel if j == 0 else None)
            if j == 0:
                ax.set_yticks(y_item, wrapped)
            else:
                ax.set_yticks(y_item, [""] * n)
                ax.tick_params(axis="y", length=0)
            if panels:
                st = SECTOR_STYLE[groups[j]]
                ax.set_title(panel_titles[j], color=st.colour, fontsize=LABEL_SIZE + 0.5, pad=6)
                ax.xaxis.set_major_locator(plt.MaxNLocator(2, steps=[1, 2, 2.5, 5, 10]))
            elif k > 1:
                for item_y in y_item[1:]:
                    ax.axhline(item_y - 0.5, color="#EEEEEE", linewidth=0.6, zorder=0)
        if not panels and k > 1:
            handles = [
                Patch(
                    facecolor=SECTOR_STYLE[g].colour,
                    hatch=SECTOR_STYLE[g].hatch,
                    edgecolor="white",
                    linewidth=0,
                    label=SECTOR_STYLE[g].label,
                )
                for g in groups
            ]
            frame.fig.legend(
                handles=handles,
                loc="upper left",
                bbox_to_anchor=(0.12 / frame.fig.get_figwidth(), frame.legend_y),
                ncol=k,
                borderaxespad=0,
                handlelength=1.6,
                handleheight=1.1,
                columnspacing=1.4,
            )
    fit(frame, texts)
    if panels:  # one common scale across panels
        top = max(ax.get_xlim()[1] for ax in frame.axes)
        for ax in frame.axes:
            ax.set_xlim(0, top)
    plotted = df.drop(columns="missing")
    plotted.insert(0, "order", np.repeat(np.arange(1, n + 1), k))
    plotted = plotted[
        with_provenance(
            ["order", "label", "group_id", "value", "ci_low", "ci_high", "status", "display_text"],
            plotted,
        )
    ]
    alt_rows = [
        f"{r.label}, {SECTOR_STYLE[r.group_id].label}: {r.display_text}"
        for r in plotted.itertuples()
    ]
    kind = "Grouped horizontal bar chart" if not panels else "Horizontal bar charts, one per group"
    return _finish(frame, title, subtitle, kind, alt_rows, footer), plotted


# --------------------------------------------------------------------------- change bars
#: Default note of :func:`change_bars`: the source prints changes without saying their unit.
UNIT_NOTE = "Changes as printed in the source; unit, points or per cent: not stated"


def change_bars(
    data: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str = DEFAULT_SOURCE,
    base: str | None = None,
    note: str | Sequence[str] | None = UNIT_NOTE,
    label: str = "label",
    value: str = "value",
    order: Order = "given",
    xlabel: str | None = "Change (as printed)",
) -> tuple[Figure, pd.DataFrame]:
    """Diverging bars from zero for changes published without levels ("-6", "16% down").

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``label`` and ``value`` (the signed change, e.g. ``-16`` for
        "16% down"); optional ``group_id`` (bar colour, default ``all``),
        ``value_text`` (the change as printed, used as the label), ``status``,
        ``base_text``.
    title, subtitle, source, base
        As in :func:`hbar`.
    note : str or list of str, optional
        Default :data:`UNIT_NOTE`, saying the unit (points or per cent) is not stated.
    label, value : str
        Column names.
    order : {"value", "given"} or list of str, default "given"
        Row order ("value": largest increase first).
    xlabel : str, optional
        Value axis title.

    Returns
    -------
    fig : matplotlib.figure.Figure
    plotted : pandas.DataFrame
        One row per bar: ``order``, ``label``, ``group_id``, ``value`` (signed
        change), ``ci_low``, ``ci_high`` (empty), ``status``, ``display_text``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"label": ["Trade", "Skills"], "value": [-14, -6],
    ...                    "value_text": ["-14%", "-6%"]})
    >>> fig, plotted = change_bars(df, title="Confidence fell in every domain",
    ...                            subtitle="Change in % rating collaboration effective")
    >>> plotted["display_text"].tolist()
    ['-14%', '-6%']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    df, rows = _one_bar_per_label(
        data, label=label, value=value, percent=False, order=order, chart="change_bars"
    )
    frame, footer, wrapped = _bar_frame(
        data,
        rows,
        title=title,
        subtitle=subtitle,
        note=note,
        base=base,
        source=source,
        xlabel=xlabel,
    )
    ax = frame.axes[0]
    n = len(rows)
    y = np.arange(n, dtype=float)
    with plt.rc_context(HOUSE_RC):
        texts = _draw_bars(ax, df, y, hatch=False)
        for i, row in df[~df["missing"]].iterrows():
            if row["value"] < 0:
                texts.append(
                    _direct_label(ax, row["value"], y[i], row["display_text"], dx=-4, ha="right")
                )
            else:
                texts.append(_direct_label(ax, row["value"], y[i], row["display_text"]))
        vals = df["value"].dropna()
        lo = -nice_max(-vals[vals < 0], percent=False) if (vals < 0).any() else 0.0
        hi = nice_max(vals[vals > 0], percent=False) if (vals > 0).any() else 0.0
        if lo == hi == 0.0:
            hi = 1.0
        ax.set_xlim(lo, hi)
        ax.set_yticks(y, wrapped)
        ax.set_ylim(n - 0.5, -0.5)
        style_value_axis(ax, percent=False, xlabel=xlabel)
        ax.spines["left"].set_visible(False)
        ax.axvline(0, color=TEXT_COLOUR, linewidth=1.0, zorder=3)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:+g}" if x else "0")
    fit(frame, [texts], grow_left=True)
    return _finish_bars(frame, df, title, subtitle, "Diverging bar chart of changes", footer)
