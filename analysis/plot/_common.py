"""Helpers shared by the chart functions (private)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure

from ._layout import (
    NOT_PUBLISHED,
    YLABEL_WRAP,
    Frame,
    display_texts,
    missing_mask,
    numeric,
    require_columns,
    wrap,
)
from ._save import set_alt_text
from ._style import (
    LABEL_SIZE,
    SECTOR_STYLE,
    TEXT_COLOUR,
    sector_style,
)

log = logging.getLogger(__name__)

Order = Literal["value", "given"] | Sequence[str]
#: Provenance columns carried from the input rows to ``plotted`` (so the CSV beside each
#: figure names the published numbers it draws, and the report can quote their sources).
PROVENANCE = ("stat_id",)
_LAST_LABELS = re.compile(r"^\s*(don.?t know|other|none|not sure|prefer not)", re.IGNORECASE)
_WHISKER = {"color": TEXT_COLOUR, "linewidth": 1.1}
_HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


# --------------------------------------------------------------------------- helpers
def _prepare(
    data: pd.DataFrame, *, label: str, value: str, percent: bool, group: str | None = None
) -> pd.DataFrame:
    """Validated copy with canonical columns label, group_id, value, missing, display_text."""
    cols = [label, value] + ([group] if group else [])
    require_columns(data, cols)
    df = pd.DataFrame(
        {
            "label": data[label].astype(str).to_numpy(),
            "group_id": (
                data[group].astype(str).to_numpy()
                if group
                else (data["group_id"].astype(str).to_numpy() if "group_id" in data else "all")
            ),
            "value": numeric(data, value).to_numpy(),
        },
        index=data.index,
    )
    for g in df["group_id"].unique():
        sector_style(g)  # raises ValueError naming the valid groups
    for col in ("ci_low", "ci_high"):
        df[col] = numeric(data, col).to_numpy() if col in data.columns else np.nan
    df["status"] = (
        data["status"].astype(object).to_numpy() if "status" in data.columns else "published"
    )
    for col in PROVENANCE:
        if col in data.columns:
            df[col] = data[col].astype(object).to_numpy()
    # Positional, not index-aligned: callers pass filtered frames with arbitrary indexes.
    missing = pd.Series(
        missing_mask(data.assign(**{value: df["value"].to_numpy()}), value).to_numpy(),
        index=df.index,
    )
    published_but_missing = missing & df["value"].notna()
    if published_but_missing.any():
        log.warning(
            "%d row(s) have a value but status 'not published'; drawn as not published",
            int(published_but_missing.sum()),
        )
    df["missing"] = missing.to_numpy()
    df["value"] = df["value"].where(~df["missing"])
    df["display_text"] = display_texts(
        data.assign(**{value: df["value"]}), value, percent, df["missing"]
    ).to_numpy()
    lost = df["missing"] & (df["display_text"] == NOT_PUBLISHED)
    plain = pd.Series(df["status"]).isna() | (pd.Series(df["status"]).astype(str) == "published")
    df["status"] = np.where(
        lost, "not_published", np.where(df["missing"] & plain.to_numpy(), "text_only", df["status"])
    )
    return df.reset_index(drop=True)


def with_provenance(columns: list[str], df: pd.DataFrame) -> list[str]:
    """``columns`` plus the provenance columns ``df`` carries."""
    return columns + [c for c in PROVENANCE if c in df.columns and c not in columns]


def _item_order(df: pd.DataFrame, order: Order, key: pd.Series | None = None) -> list[str]:
    """Row labels top to bottom: by value (largest first, 'other'/'don't know' last,
    missing last), as given, or an explicit list."""
    labels = list(dict.fromkeys(df["label"]))
    if isinstance(order, str):
        if order == "given":
            return labels
        if order != "value":
            raise ValueError(f"order={order!r}; valid: 'value', 'given' or a list of labels")
        score = key if key is not None else df.groupby("label", sort=False)["value"].mean()
        ranked = sorted(
            labels,
            key=lambda lab: (
                bool(pd.isna(score.get(lab))),
                bool(_LAST_LABELS.match(lab)),
                -(score.get(lab) if pd.notna(score.get(lab)) else 0.0),
            ),
        )
        return ranked
    wanted = [str(o) for o in order]
    if sorted(wanted) != sorted(labels):
        raise ValueError(
            f"order={wanted!r} must list each label exactly once; labels are {labels!r}"
        )
    return wanted


def _wrapped_labels(labels: Sequence[str]) -> tuple[list[str], int]:
    wrapped = ["\n".join(wrap(lab, YLABEL_WRAP)) for lab in labels]
    return wrapped, max(w.count("\n") + 1 for w in wrapped)


def _row_height(max_lines: int, minimum: float = 0.36) -> float:
    return max(minimum, 0.17 * max_lines + 0.14)


def _direct_label(ax, x: float, y: float, text: str, *, fontsize: float = LABEL_SIZE, **kw):
    return ax.annotate(
        text,
        xy=(x, y),
        xytext=(kw.pop("dx", 4), 0),
        textcoords="offset points",
        va="center",
        ha=kw.pop("ha", "left"),
        fontsize=fontsize,
        color=kw.pop("color", TEXT_COLOUR),
        annotation_clip=False,
        **kw,
    )


#: Half the height of a whisker's end cap (points).
_CAP = 2.0
#: Height of a bar label's baseline above the bar's centre line (points) when the bar has
#: an interval: the label sits at the bar end, just above the whisker and its cap.
_LABEL_RISE = _CAP + 1.5


def _bar_label(ax, value: float, y: float, text: str, *, fontsize: float, interval: bool):
    """The value label of a bar, at the bar's end (never at the end of its whisker).

    Without an interval the label is centred on the bar; with one it sits just above the
    whisker, whose line runs through the bar's centre, so the two never overlap.
    """
    if not interval:
        return _direct_label(ax, value, y, text, fontsize=fontsize)
    return ax.annotate(
        text,
        xy=(value, y),
        xytext=(3, _LABEL_RISE),
        textcoords="offset points",
        va="baseline",
        ha="left",
        fontsize=fontsize,
        color=TEXT_COLOUR,
        annotation_clip=False,
        path_effects=_HALO,
        zorder=5,
        gid="bar-label",
    )


def _whiskers(ax, x, y, lo, hi, *, halo: bool = True) -> None:
    x, y, lo, hi = map(np.asarray, (x, y, lo, hi))
    ok = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(x)
    if not ok.any():
        return
    err = np.vstack([x[ok] - lo[ok], hi[ok] - x[ok]])
    if (err < -1e-9).any():
        raise ValueError("intervals must contain the value: ci_low <= value <= ci_high")
    container = ax.errorbar(
        x[ok],
        y[ok],
        xerr=np.clip(err, 0, None),
        fmt="none",
        color=_WHISKER["color"],  # explicit: never the global colour cycle's
        ecolor=_WHISKER["color"],
        elinewidth=_WHISKER["linewidth"],
        capsize=_CAP,
        capthick=_WHISKER["linewidth"],
        zorder=4,
    )
    if halo:
        for artist in container.lines[1] + container.lines[2]:
            artist.set_path_effects(_HALO)


def _style_bar(patch, group_id: str, *, show_hatch: bool) -> None:
    st = SECTOR_STYLE[group_id]
    patch.set_facecolor(st.colour)
    patch.set_edgecolor("white")
    patch.set_linewidth(0.0)
    if show_hatch and st.hatch:
        patch.set_hatch(st.hatch)
    patch.set_gid(f"bar-{group_id}")


def _alt(kind: str, title: str, subtitle: str, rows: Sequence[str], footer: Sequence[str]) -> str:
    parts = [kind, title, subtitle, "; ".join(rows), *footer]
    return " ".join(p.strip().rstrip(".") + "." for p in parts if p and p.strip())


def _uses_intervals(df: pd.DataFrame, intervals: bool | None) -> bool:
    has = bool(df[["ci_low", "ci_high"]].notna().all(axis=1).any())
    if intervals and not has:
        raise ValueError("intervals=True but data has no ci_low/ci_high values")
    return has if intervals is None else bool(intervals)


def _finish(frame: Frame, title: str, subtitle: str, kind: str, rows, footer) -> Figure:
    set_alt_text(frame.fig, _alt(kind, title, subtitle, rows, footer))
    return frame.fig
