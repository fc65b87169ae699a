"""Producer 1: the published transcription plus stated base assumptions -> estimates.

Every number printed in the reports (``data/processed/published.parquet``, the validated
view of ``data/raw/published.csv``) becomes a row of the estimates table of
:mod:`analysis.vocab`; the base behind each interval is an *assumption* (no base is printed
for 2025), stated in ``base_kind`` and in every chart:

* ``n`` = the printed base if any, else ``base_all`` for whole-sample rows and
  ``base_sector`` for any group; ``n_eff = n / deff`` (the design effect scales every
  assumed base, so intervals and tests widen together);
* the interval is ``ci_method`` (statsmodels ``proportion_confint``) on the count implied at
  the assumed base, ``x = round_half_up(p * n)``, scaled to the effective base.

How each printed measure maps to a status:

=================  =======================  ==========================================
measure            status                   estimate / interval
=================  =======================  ==========================================
level              published                value / 100, interval at the assumed base
upper/lower bound  bound                    the bound; no interval
range              range                    NaN; ``ci_low``/``ci_high`` = the range ends
fraction           approximate              value / 100 ("one-fourth"); no interval
change             change_only              NaN (the change goes to the comparisons)
lost in extraction lost                     NaN
=================  =======================  ==========================================

:func:`resolve_cells` then keeps one row per ``wave, item_id, group_id``: the best status
(published > bound > range > approximate > change_only > lost), then the preferred document,
then the most printed decimals; the other printed values of the cell are named in ``note``.

:func:`published_comparisons` turns the resolved cells into the comparisons table:
year-on-year tests where both waves have a printed level (pooled z, Newcombe interval, at
the assumed effective bases), and the printed changes whose levels are unknown
(``Verdict.DIRECTION_ONLY``, ``diff`` = the printed change when its unit is points).

>>> from analysis.source.published import published_view
>>> from analysis.paths import TESTS
>>> est = published_estimates(published_view(TESTS / "data" / "good"), AssumedBases())
>>> est[["item_id", "group_id", "estimate", "n", "status"]].head(2)
           item_id group_id  estimate      n     status
0  comm_sufficient      all     0.094  274.0  published
1  comm_sufficient   public       NaN   68.0      range
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis.errors import DataValidationError, StatisticalWarning
from analysis.estimates import schema
from analysis.stats.proportions import CI_METHODS, compare_proportions
from analysis.vocab import (
    ESTIMATE_COLUMNS,
    GROUP_ALL,
    BaseKind,
    ComparisonKind,
    Status,
    Verdict,
)

log = logging.getLogger(__name__)

#: Document preference when several print the same cell: the 2025 report, then the 2024
#: leaders' view summary, then the 2024 action plan (whose panels extraction scrambled).
DEFAULT_DOCUMENTS: tuple[str, ...] = (
    "wig2025_report",
    "wig2024_leaders_view",
    "wig2024_action_plan",
)
#: Status rank used by :func:`resolve_cells` (lower wins).
STATUS_RANK: dict[Status, int] = {
    Status.PUBLISHED: 0,
    Status.BOUND: 1,
    Status.RANGE: 2,
    Status.APPROXIMATE: 3,
    Status.CHANGE_ONLY: 4,
    Status.LOST: 5,
}
_MEASURE_STATUS = {
    "level": Status.PUBLISHED,
    "upper_bound": Status.BOUND,
    "lower_bound": Status.BOUND,
    "range": Status.RANGE,
    "fraction": Status.APPROXIMATE,
    "change": Status.CHANGE_ONLY,
}


@dataclass(frozen=True)
class AssumedBases:
    """The base assumptions behind intervals and tests of printed percentages.

    Parameters
    ----------
    all : int
        Base of whole-sample figures per wave (2024 stated n=274; 2025 unpublished).
    sector : int
        Base of any group or sector figure per wave (unpublished; an even split of 274).
    deff : float
        Design effect applied to every assumed base: effective base = base / deff.
    stated : mapping of int to int
        Whole-sample sizes the documents state, by wave (:func:`stated_sample_sizes`):
        whole-sample figures of these waves use the stated size (a published base)
        instead of ``all``.

    Examples
    --------
    >>> AssumedBases(deff=1.5).effective(274)
    182.66666666666666
    >>> n, kind = AssumedBases(stated={2024: 274}).base_for("all", 2024)
    >>> n, kind.value
    (274, 'published')
    """

    all: int = 274
    sector: int = 68
    deff: float = 1.0
    stated: Mapping[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("all", "sector"):
            value = getattr(self, name)
            if isinstance(value, bool) or int(value) != value or value < 2:
                raise ValueError(f"AssumedBases.{name}={value!r} must be a whole number >= 2")
        if not (math.isfinite(self.deff) and self.deff >= 1.0):
            raise ValueError(f"AssumedBases.deff={self.deff!r} must be a number >= 1")

    def base_for(self, group_id: str, wave: int) -> tuple[int, BaseKind]:
        """The base of a group's figures in a wave, and whether it is stated or assumed."""
        if group_id == GROUP_ALL and int(wave) in self.stated:
            return int(self.stated[int(wave)]), BaseKind.PUBLISHED
        return int(self.all if group_id == GROUP_ALL else self.sector), BaseKind.ASSUMED

    def effective(self, n: float) -> float:
        """Effective base ``n / deff``."""
        return float(n) / self.deff


def _round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5)


def _interval(p: np.ndarray, n: np.ndarray, deff: float, method: str, level: float):
    """Interval on the count implied at base ``n``, scaled to the effective base."""
    x = _round_half_up(p * n)
    n_eff = n / deff
    lo, hi = proportion_confint(x / deff, n_eff, alpha=1 - level, method=CI_METHODS[method])
    return np.clip(np.asarray(lo, float), 0, 1), np.clip(np.asarray(hi, float), 0, 1), x, n_eff


def published_estimates(
    view: pd.DataFrame,
    bases: AssumedBases,
    *,
    level: float = 0.95,
    ci_method: str = "wilson",
) -> pd.DataFrame:
    """Every printed percentage of the transcription as an estimates row (one per stat_id).

    Parameters
    ----------
    view : pandas.DataFrame
        :func:`analysis.source.published.published_view` (validated transcription).
    bases : AssumedBases
        Base assumptions (and design effect) behind the intervals.
    level : float
        Confidence level of the intervals.
    ci_method : str
        Interval method, one of :data:`analysis.stats.proportions.CI_METHODS`.

    Returns
    -------
    pandas.DataFrame
        The estimates table (:data:`analysis.vocab.ESTIMATE_COLUMNS`), rows in stat_id order;
        ``source`` is the stat_id, ``document`` its doc_id; rows whose unit is not a
        percentage (counts such as the sample size) are left out.
    """
    if not 0 < level < 1:
        raise ValueError(f"level={level!r} must lie strictly between 0 and 1")
    if ci_method not in CI_METHODS:
        raise ValueError(f"ci_method={ci_method!r}; valid: {sorted(CI_METHODS)}")
    rows = view[view["measure"].isin(list(_MEASURE_STATUS))].copy()
    rows = rows[(rows["unit"] == "percent") | rows["measure"].eq("change")]
    status = [
        Status.LOST if st != "published" else _MEASURE_STATUS[m]
        for st, m in zip(rows["status"], rows["measure"], strict=True)
    ]
    rows["_status"] = status
    chosen = [
        (float(b), BaseKind.PUBLISHED) if pd.notna(b) else bases.base_for(g, w)
        for b, g, w in zip(rows["base_n"], rows["group_id"], rows["wave"], strict=True)
    ]
    n = np.array([float(c[0]) for c in chosen])
    base_kind = [c[1] for c in chosen]
    value = rows["value"].to_numpy(dtype=float) / 100
    is_level = np.array([s is Status.PUBLISHED for s in status])
    estimate = np.where(
        np.isin(
            np.array(status, dtype=object), [Status.PUBLISHED, Status.BOUND, Status.APPROXIMATE]
        ),
        value,
        np.nan,
    )
    ci_low = np.full(len(rows), np.nan)
    ci_high = np.full(len(rows), np.nan)
    se = np.full(len(rows), np.nan)
    if is_level.any():
        lo, hi, x, n_eff_l = _interval(value[is_level], n[is_level], bases.deff, ci_method, level)
        ci_low[is_level], ci_high[is_level] = lo, hi
        p_hat = x / n[is_level]
        se[is_level] = np.sqrt(p_hat * (1 - p_hat) / n_eff_l)
    is_range = np.array([s is Status.RANGE for s in status])
    ci_low[is_range] = rows["value_low"].to_numpy(dtype=float)[is_range] / 100
    ci_high[is_range] = rows["value_high"].to_numpy(dtype=float)[is_range] / 100
    interval_rows = is_level
    notes = []
    for r, st in zip(rows.itertuples(index=False), status, strict=True):
        if st is Status.CHANGE_ONLY:
            unit = "points" if r.unit == "pp" else "points or per cent: not stated"
            notes.append(f"printed change only ({unit})")
        elif st is Status.LOST:
            notes.append("lost from the report's graphics in text extraction")
        else:
            notes.append(None)
    out = pd.DataFrame(
        {
            "wave": rows["wave"].astype("int64").to_numpy(),
            "item_id": rows["item_id"].to_numpy(),
            "group_id": rows["group_id"].to_numpy(),
            "estimate": estimate,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "se": se,
            "n": n,
            "n_weighted": n,
            "n_eff": n / bases.deff,
            "deff": float(bases.deff),
            "base_kind": [str(k) for k in base_kind],
            "level": np.where(interval_rows, level, np.nan),
            "ci_method": np.where(interval_rows, ci_method, None),
            "status": [str(s) for s in status],
            "low_base": False,
            "value_text": rows["value_text"].to_numpy(),
            "source": rows["stat_id"].to_numpy(),
            "document": rows["doc_id"].to_numpy(),
            "note": notes,
        },
        columns=list(ESTIMATE_COLUMNS),
    )
    out["ci_method"] = out["ci_method"].where(interval_rows, None)
    return schema.validate_estimates(schema.canonical(out), name="published estimates")


def _decimals(text: object) -> int:
    if not isinstance(text, str):
        return -1
    head, _, tail = text.partition(".")
    digits = "".join(ch for ch in tail if ch.isdigit()) if tail else ""
    return len(digits) if any(ch.isdigit() for ch in head) else -1


def resolve_cells(
    estimates: pd.DataFrame, documents: Sequence[str] = DEFAULT_DOCUMENTS
) -> pd.DataFrame:
    """One row per ``wave, item_id, group_id``: the best printed value of the cell.

    Best = status rank (:data:`STATUS_RANK`), then the earlier document of ``documents``
    (others after, by name), then more printed decimals, then stat_id. The other values
    printed for the cell are named in the kept row's ``note`` ("also printed: ...").

    Examples
    --------
    >>> est = pd.DataFrame({"wave": [2025, 2025], "item_id": ["t", "t"],
    ...     "group_id": ["all", "all"], "status": ["published", "published"],
    ...     "document": ["wig2025_report"] * 2, "value_text": ["59%", "58.6%"],
    ...     "source": ["r25-049", "r25-053"], "note": [None, None]})
    >>> est["estimate"] = [0.59, 0.586]
    >>> resolve_cells(est)[["source", "note"]].values.tolist()
    [['r25-053', 'also printed: 59% (r25-049)']]
    """
    if estimates.empty:
        return estimates.copy()
    doc_rank = {d: i for i, d in enumerate(documents)}
    ranked = estimates.assign(
        _s=estimates["status"].map(lambda s: STATUS_RANK.get(Status(s), 99)),
        _d=estimates["document"].map(lambda d: doc_rank.get(d, len(doc_rank))),
        _p=-estimates["value_text"].map(_decimals),
    ).sort_values(["wave", "item_id", "group_id", "_s", "_d", "_p", "source"], kind="stable")
    keys = ["wave", "item_id", "group_id"]
    status = ranked["status"]
    is_change = status == Status.CHANGE_ONLY.value
    is_level = ~is_change & (status != Status.LOST.value)
    by = [ranked[k] for k in keys]
    cell_has_level = is_level.groupby(by).transform("any")
    cell_has_change = is_change.groupby(by).transform("any")
    cell_has_lost = (status == Status.LOST.value).groupby(by).transform("any")
    # A printed change stands for the cell only when no level, bound or range survives.
    candidate = is_level | (~cell_has_level & is_change) | (~cell_has_level & ~cell_has_change)
    best = ranked[candidate].drop_duplicates(keys, keep="first")
    # The other values printed for the cell (levels, bounds, ranges that differ).
    mine = best[keys + ["source", "value_text", "estimate"]].rename(
        columns={"source": "_bs", "value_text": "_bt", "estimate": "_be"}
    )
    others = ranked[is_level].merge(mine, on=keys, how="inner")
    others = others[
        (others["source"] != others["_bs"])
        & (others["value_text"] != others["_bt"])
        & ~(others["estimate"].notna() & (others["estimate"] == others["_be"]))
    ]
    also = (
        (others["value_text"].astype(str) + " (" + others["source"] + ")")
        .groupby([others[k] for k in keys], sort=False)
        .agg("; ".join)
    )
    notes = []
    for row, lost in zip(best.itertuples(index=False), cell_has_lost[best.index], strict=True):
        parts = [row.note] if isinstance(row.note, str) else []
        if Status(row.status) is Status.CHANGE_ONLY and lost:
            parts.append("level lost from the report's graphics")
        key = (row.wave, row.item_id, row.group_id)
        if key in also.index:
            parts.append("also printed: " + also[key])
        notes.append("; ".join(parts) if parts else None)
    out = best.assign(note=notes).drop(columns=["_s", "_d", "_p"]).reset_index(drop=True)
    return out[list(estimates.columns)]


def published_comparisons(
    view: pd.DataFrame,
    bases: AssumedBases,
    *,
    level: float = 0.95,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Year-on-year comparisons of the printed cells, and the printed changes without levels.

    Parameters
    ----------
    view : pandas.DataFrame
        :func:`analysis.source.published.published_view` (the estimates are made and
        their cells resolved here).
    bases : AssumedBases
        Bases and design effect of the tests (as for the intervals).
    level, alpha : float
        Interval level and significance level of the verdicts.

    Returns
    -------
    pandas.DataFrame
        The comparisons table: ``kind`` year_on_year, ``a`` the later wave. Cells with a
        printed level in both waves: pooled z test and Newcombe interval at the effective
        bases (counts implied at the assumed bases, divided by ``deff``), verdict
        SUPPORTED where significant (the direction is that of ``diff``; no claim is
        assumed) else NOT_DISTINGUISHABLE. Printed changes whose cell has no level in one
        of the waves: DIRECTION_ONLY, ``diff`` the printed change as a proportion of one
        (-16 printed -> -0.16) whose unit, points or per cent, ``note`` and ``method`` state;
        no interval, no test.
    """
    estimates = published_estimates(view, bases, level=level)
    resolved = resolve_cells(estimates)
    levels = resolved[resolved["status"] == Status.PUBLISHED.value]
    rows: list[dict] = []
    changes = estimates[estimates["status"] == Status.CHANGE_ONLY.value]
    changes_by_cell = {
        (int(r.wave), r.item_id, r.group_id): f"{r.value_text} ({r.source})"
        for r in changes.itertuples(index=False)
    }
    waves = sorted(resolved["wave"].unique())
    for later, earlier in zip(waves[1:], waves[:-1], strict=True):
        a = levels[levels["wave"] == later].set_index(["item_id", "group_id"])
        b = levels[levels["wave"] == earlier].set_index(["item_id", "group_id"])
        for key in sorted(set(a.index) & set(b.index)):
            ra, rb = a.loc[key], b.loc[key]
            na, nb = float(ra["n"]), float(rb["n"])
            xa = float(_round_half_up(ra["estimate"] * na))
            xb = float(_round_half_up(rb["estimate"] * nb))
            test = _effective_test(xa, na, xb, nb, bases.deff, level)
            p = test["p_value"]
            verdict = Verdict.NOT_DISTINGUISHABLE if not (p < alpha) else Verdict.SUPPORTED
            rows.append(
                _comparison_row(
                    key,
                    later,
                    earlier,
                    ra["estimate"],
                    rb["estimate"],
                    na,
                    nb,
                    bases.deff,
                    test,
                    level,
                    alpha,
                    verdict,
                    f"{ra['source']};{rb['source']}",
                    "pooled z at assumed bases / deff; Newcombe hybrid score interval",
                    _printed_note(changes_by_cell.get((int(later), *key))),
                )
            )
    rows += _between_groups(levels, bases, level, alpha)
    values = view.set_index("stat_id")["value"]
    printed = _printed_changes(changes, values, resolved, level, alpha, bases.deff)
    out = pd.DataFrame(rows + printed)
    if out.empty:
        return schema.empty_comparisons()
    out = out.sort_values(["wave_a", "item_a", "group_a", "comparison_id"], kind="stable")
    return schema.validate_comparisons(schema.canonical(out), name="published comparisons")


def _between_groups(levels: pd.DataFrame, bases: AssumedBases, level: float, alpha: float):
    """Every ordered pair of groups (not 'all') with a printed level, per wave and item.

    Both orientations are listed, so ``a`` can be whichever group a claim says is higher.
    The samples are disjoint groups of respondents, so the pooled z test applies.
    """
    out = []
    groups = levels[levels["group_id"] != GROUP_ALL]
    for (wave, item), cell in groups.groupby(["wave", "item_id"], sort=True):
        cell = cell.set_index("group_id")
        for ga in cell.index:
            for gb in cell.index:
                if ga == gb:
                    continue
                ra, rb = cell.loc[ga], cell.loc[gb]
                na, nb = float(ra["n"]), float(rb["n"])
                xa = float(_round_half_up(ra["estimate"] * na))
                xb = float(_round_half_up(rb["estimate"] * nb))
                test = _effective_test(xa, na, xb, nb, bases.deff, level)
                p = test["p_value"]
                verdict = Verdict.SUPPORTED if p < alpha else Verdict.NOT_DISTINGUISHABLE
                row = _comparison_row(
                    (item, ga),
                    wave,
                    wave,
                    ra["estimate"],
                    rb["estimate"],
                    na,
                    nb,
                    bases.deff,
                    test,
                    level,
                    alpha,
                    verdict,
                    f"{ra['source']};{rb['source']}",
                    "pooled z at assumed bases / deff (disjoint groups); Newcombe interval",
                    None,
                )
                row.update(
                    comparison_id=f"grp-{item}-{ga}-{gb}-{wave}",
                    kind=ComparisonKind.BETWEEN_GROUPS.value,
                    group_b=gb,
                )
                out.append(row)
    return out


def _printed_note(printed: str | None) -> str | None:
    return None if printed is None else f"printed change: {printed}"


def _effective_test(xa: float, na: float, xb: float, nb: float, deff: float, level: float):
    """Two-proportion test on counts scaled to the effective bases (z, p, Newcombe CI)."""
    pooled = (xa + xb) / (na + nb)
    small = min(pooled, 1 - pooled) * min(na, nb) / deff < 5
    if deff == 1.0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StatisticalWarning)  # reported in the row's note
            res = compare_proportions(int(xa), int(na), int(xb), int(nb), level=level).iloc[0]
        out = {k: float(res[k]) for k in ("diff", "se", "ci_low", "ci_high", "z", "p_value")}
        return out | {"small": small}
    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    ea, eb, ma, mb = xa / deff, xb / deff, na / deff, nb / deff
    stat = test_proportions_2indep(ea, ma, eb, mb, method="score", correction=False)
    lo, hi = confint_proportions_2indep(ea, ma, eb, mb, method="newcomb", alpha=1 - level)
    pa, pb = ea / ma, eb / mb
    pooled_eff = (ea + eb) / (ma + mb)
    se = math.sqrt(pooled_eff * (1 - pooled_eff) * (1 / ma + 1 / mb))
    return {
        "diff": pa - pb,
        "se": se,
        "ci_low": float(lo),
        "ci_high": float(hi),
        "z": float(stat.statistic),
        "p_value": float(stat.pvalue),
        "small": small,
    }


def _comparison_row(
    key,
    wave_a,
    wave_b,
    est_a,
    est_b,
    n_a,
    n_b,
    deff,
    test,
    level,
    alpha,
    verdict,
    source,
    method,
    note,
) -> dict:
    item, group = key
    return {
        "comparison_id": f"yoy-{item}-{group}-{wave_a}",
        "kind": ComparisonKind.YEAR_ON_YEAR.value,
        "item_a": item,
        "item_b": item,
        "group_a": group,
        "group_b": group,
        "wave_a": int(wave_a),
        "wave_b": int(wave_b),
        "estimate_a": est_a,
        "estimate_b": est_b,
        "n_a": n_a / deff,
        "n_b": n_b / deff,
        "base_kind": BaseKind.ASSUMED.value,
        "deff": deff,
        "diff": test["diff"],
        "se": test["se"],
        "ci_low": test["ci_low"],
        "ci_high": test["ci_high"],
        "statistic": test["z"],
        "dof": math.inf,
        "p_value": test["p_value"],
        "p_value_min": test["p_value"],
        "p_value_max": test["p_value"],
        "level": level,
        "alpha": alpha,
        "method": method,
        "verdict": verdict.value,
        "source": source,
        "note": "; ".join(
            n
            for n in (note, "an expected count is below 5: the z test is unreliable")
            if n and (n == note or test.get("small"))
        )
        or None,
    }


def _printed_changes(changes, values, resolved, level, alpha, deff) -> list[dict]:
    out = []
    drawn = resolved.set_index(["wave", "item_id", "group_id"])["status"]
    for r in changes.itertuples(index=False):
        earlier = int(r.wave) - 1
        both = all(
            drawn.get((w, r.item_id, r.group_id)) == Status.PUBLISHED.value
            for w in (int(r.wave), earlier)
        )
        if both:
            continue  # the levels are printed: the computed comparison stands for it
        unit_points = isinstance(r.note, str) and r.note.endswith("(points)")
        unit = "points" if unit_points else "points or per cent: not stated"
        out.append(
            {
                "comparison_id": f"printed-{r.source}",
                "kind": ComparisonKind.YEAR_ON_YEAR.value,
                "item_a": r.item_id,
                "item_b": r.item_id,
                "group_a": r.group_id,
                "group_b": r.group_id,
                "wave_a": int(r.wave),
                "wave_b": earlier,
                "estimate_a": np.nan,
                "estimate_b": np.nan,
                "n_a": np.nan,
                "n_b": np.nan,
                "base_kind": BaseKind.ASSUMED.value,
                "deff": deff,
                "diff": float(values[r.source]) / 100,
                "se": np.nan,
                "ci_low": np.nan,
                "ci_high": np.nan,
                "statistic": np.nan,
                "dof": np.nan,
                "p_value": np.nan,
                "p_value_min": np.nan,
                "p_value_max": np.nan,
                "level": level,
                "alpha": alpha,
                "method": f"printed change ({unit}); levels not published: not tested",
                "verdict": Verdict.DIRECTION_ONLY.value,
                "source": r.source,
                "note": f"printed: {r.value_text}; {unit}",
            }
        )
    return out


def stated_sample_sizes(documents: pd.DataFrame) -> dict[int, int]:
    """Whole-sample sizes stated exactly by the survey documents, by wave.

    A document counts when it reports survey results of one wave and prints its sample
    size as a plain number ("274"; "over 270" is a bound and does not count).

    >>> docs = pd.DataFrame({"role": ["survey results"] * 2, "waves": ["2024", "2024"],
    ...     "sample_size_text": ["274", "over 270"], "sample_size": [274, 270]})
    >>> stated_sample_sizes(docs)
    {2024: 274}
    """
    out: dict[int, int] = {}
    for r in documents.itertuples(index=False):
        text_ = str(r.sample_size_text).strip()
        waves = [w for w in str(r.waves).replace(";", "|").split("|") if w.strip()]
        if r.role != "survey results" or not text_.isdigit() or len(waves) != 1:
            continue
        wave, size = int(waves[0]), int(text_)
        if out.get(wave, size) != size:
            raise DataValidationError(
                f"documents state two sample sizes for wave {wave}: {out[wave]} and {size}",
                file="documents.csv",
                column="sample_size_text",
            )
        out[wave] = size
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis.estimates.from_published build``: write estimates and comparisons."""
    from analysis import paths
    from analysis.source.published import load_documents, published_view

    parser = argparse.ArgumentParser(prog="python -m analysis.estimates.from_published")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="estimates and comparisons of the printed numbers")
    b.add_argument("--raw", type=Path, default=paths.DATA_RAW)
    b.add_argument("--out", type=Path, required=True, help="estimates output stem")
    b.add_argument("--comparisons-out", type=Path, required=True)
    b.add_argument("--level", type=float, default=0.95)
    b.add_argument("--alpha", type=float, default=0.05)
    b.add_argument("--base-all", type=int, default=274)
    b.add_argument("--base-sector", type=int, default=68)
    b.add_argument("--deff", type=float, default=1.0)
    b.add_argument("--ci-method", default="wilson")
    args = parser.parse_args(argv)
    try:
        stated = stated_sample_sizes(load_documents(raw_dir=args.raw))
        bases = AssumedBases(
            all=args.base_all, sector=args.base_sector, deff=args.deff, stated=stated
        )
        view = published_view(args.raw)
        est = published_estimates(view, bases, level=args.level, ci_method=args.ci_method)
        comp = published_comparisons(view, bases, level=args.level, alpha=args.alpha)
    except (DataValidationError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    schema.write(est, args.out)
    schema.write(comp, args.comparisons_out)
    print(
        f"wrote {args.out}.csv/.parquet ({len(est)} rows) and {args.comparisons_out} ({len(comp)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
