"""Figure data: select published numbers and attach intervals under stated base assumptions.

The notebooks stay thin by calling these: one tested place for the filters and the
interval arithmetic that every figure uses (a filter repeated in eleven figure
scripts is how figures drift apart).

>>> pub = pd.DataFrame({"stat_id": ["a", "b"], "item_id": ["x", "x"], "group_id": ["all", "all"],
...                     "wave": [2024, 2025], "measure": ["level", "level"],
...                     "value": [50.0, 37.0], "status": ["published"] * 2})
>>> out = with_intervals(select(pub, item_id="x"), base=274)
>>> out[["stat_id", "n", "x", "ci_low", "ci_high"]].round(1)
  stat_id    n    x  ci_low  ci_high
0       a  274  137    44.1     55.9
1       b  274  101    31.4     42.7
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.stats.proportions import proportion_ci

#: Measures whose value is a percentage level (intervals make sense for these).
LEVEL_MEASURES = ("level",)


def load(path: str | Path) -> pd.DataFrame:
    """Read a processed table (Parquet or CSV) written by the build."""
    path = Path(path)
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def _as_set(value: str | int | Iterable | None) -> list | None:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return [value]
    return list(value)


def select(
    published: pd.DataFrame,
    *,
    item_id: str | Iterable[str] | None = None,
    group_id: str | Iterable[str] | None = None,
    wave: int | Iterable[int] | None = None,
    doc_id: str | Iterable[str] | None = None,
    measure: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Rows of the published view matching every given filter (``None`` = any).

    Raises ``ValueError`` naming the filter when a requested value matches no row, so a
    typo in an item id fails loudly instead of drawing an empty chart.
    """
    mask = pd.Series(True, index=published.index)
    for column, wanted in (
        ("item_id", item_id),
        ("group_id", group_id),
        ("wave", wave),
        ("doc_id", doc_id),
        ("measure", measure),
        ("status", status),
    ):
        values = _as_set(wanted)
        if values is None:
            continue
        unknown = sorted(set(values) - set(published[column]), key=str)
        if unknown:
            raise ValueError(
                f"select: {column}={unknown} matches no published row; "
                f"known: {sorted(published[column].unique(), key=str)[:40]}"
            )
        mask &= published[column].isin(values)
    return published[mask].reset_index(drop=True)


def with_intervals(
    rows: pd.DataFrame,
    base: int,
    *,
    level: float = 0.95,
    method: str = "wilson",
) -> pd.DataFrame:
    """Add ``n, x, ci_low, ci_high`` (percent scale) to level rows under an assumed base.

    The count is ``x = round(value / 100 * base)``; rows that are not levels, or whose
    value was not published, get no interval (missing stays missing).
    """
    out = rows.copy()
    has_level = out["measure"].isin(LEVEL_MEASURES) & out["value"].notna()
    out["n"] = pd.array([base if ok else pd.NA for ok in has_level], dtype="Int64")
    out["x"] = pd.array(
        [
            round(v / 100 * base) if ok else pd.NA
            for v, ok in zip(out["value"], has_level, strict=True)
        ],
        dtype="Int64",
    )
    out["ci_low"] = float("nan")
    out["ci_high"] = float("nan")
    if has_level.any():
        ci = proportion_ci(
            out.loc[has_level, "x"].astype(int).to_numpy(), base, method=method, level=level
        )
        out.loc[has_level, "ci_low"] = (ci["ci_low"].to_numpy() * 100).round(6)
        out.loc[has_level, "ci_high"] = (ci["ci_high"].to_numpy() * 100).round(6)
    return out


def base_note(
    base: int,
    *,
    stated: bool,
    level: float = 0.95,
    method: str = "wilson",
    intervals: bool = True,
) -> str:
    """Footer line saying what the base is and whether it was published.

    >>> base_note(274, stated=True)
    'n=274 (stated for the 2024 survey); lines show 95% Wilson intervals'
    >>> base_note(68, stated=False, level=0.9)
    'Base not published: intervals assume n=68; lines show 90% Wilson intervals'
    >>> base_note(274, stated=True, intervals=False)
    'n=274 (stated for the 2024 survey)'
    """
    if not intervals:
        return f"n={base} (stated for the 2024 survey)" if stated else "Base not published"
    interval = f"lines show {level:.0%} {method.replace('_', '-').title()} intervals"
    if stated:
        return f"n={base} (stated for the 2024 survey); {interval}"
    return f"Base not published: intervals assume n={base}; {interval}"


def printed_change_labels(rows: pd.DataFrame, changes: pd.DataFrame) -> dict[str, str]:
    """Row label per item: its short label, plus the change as printed where one is.

    A change printed without levels ("-6%", "up by 3%") is not a level and is not drawn
    as one; it is shown, as printed, in the row label.

    >>> rows = pd.DataFrame({"item_id": ["a", "b"], "short_label": ["Skills", "Defence"]})
    >>> changes = pd.DataFrame({"item_id": ["a"], "value_text": ["-6%"]})
    >>> printed_change_labels(rows, changes)
    {'a': 'Skills\\n(printed change -6%)', 'b': 'Defence'}
    """
    short = rows.drop_duplicates("item_id").set_index("item_id")["short_label"]
    printed = changes.set_index("item_id")["value_text"]
    return {
        item: f"{label}\n(printed change {printed[item]})" if item in printed.index else label
        for item, label in short.items()
    }


def printed_change_rows(changes: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The changes shown in row labels, as rows for a figure's plotted CSV (with stat_id).

    >>> changes = pd.DataFrame({"item_id": ["a"], "group_id": ["all"], "wave": [2025],
    ...                         "value": [-6.0], "value_text": ["-6%"], "unit": ["pp_or_percent"],
    ...                         "stat_id": ["r25-041"]})
    >>> printed_change_rows(changes, {"a": "Skills\\n(printed change -6%)"})[["label", "diff"]]
                              label  diff
    0  Skills (printed change -6%)  -6.0
    """
    return changes.assign(
        label=changes["item_id"].map(labels).str.replace("\n", " "),
        value=float("nan"),
        diff=changes["value"],
        display_text=changes["value_text"],
        status="printed change (row label, unit " + changes["unit"] + ")",
    )[["label", "group_id", "wave", "value", "status", "display_text", "diff", "stat_id"]]
