"""Audit of the comparative claims in the 2025 report (the claims register).

``data/raw/claims.csv`` lists every comparative claim of the 2025 report with the
published rows it rests on (``stat_id_a``, ``stat_id_b`` and/or ``stat_id_change`` in
``published.csv``). Convention: ``diff = value_a - value_b`` where ``a`` is the 2025
(later) value or the group said to be higher, ``b`` the 2024 value or the comparison
group, so ``increase``/``higher`` claims assert ``diff > 0``.

:func:`audit_claims` tests each claim with the pooled two-proportion z test and the
Newcombe interval of :mod:`analysis.stats.proportions`, and gives a plain-words verdict:

* ``"supported at 5%"``: significant and in the claimed direction;
* ``"not distinguishable from sampling noise"``: not significant at ``alpha``;
* ``"contradicted at 5%: ..."``: significant in the other direction (or a change
  where none was claimed);
* ``"direction only: levels not published"``: only a change is printed;
* ``"cannot be tested: <reason>"``: a level is missing, lost or only bounded.

How values are chosen
    ``level`` and ``fraction`` rows are used as printed. A ``range`` ("12–14%") spans
    several groups and the claim holds for each, so the *least favourable* end is
    tested. A bound ("less than 3 in 10") hides the value, so the *most favourable*
    value allowed is tested: if even that is not significant the claim is "not
    distinguishable from sampling noise"; if it is, the claim cannot be tested.

Bases (no base is printed for 2025)
    Whole-sample figures: 274 per wave (the 2024 action plan's sample; the 2025
    sample size is not published and is assumed equal). Sector figures: an even
    split of 274 over the four 2025 sectors, 68 per sector, used for both waves
    (2024 had three sector groups, so 91 would be the even split there; 68 is the
    conservative choice). These are assumptions, so every row also gives
    ``p_value_low_base`` / ``p_value_high_base`` at the ends of a plausible range
    (whole sample 150-400, sector 40-137) and ``n_needed``, the equal per-group base
    from which the printed pair is significant
    (:func:`analysis.stats.proportions.min_n_significant`). Composition bounds
    (:func:`analysis.stats.proportions.composition_bounds`) show the even split
    is itself doubtful: if the overall 2025 communication figure (12%) and the sector
    table (14/12/21/25%) share respondents, private-sector leaders are at least half of
    the sample.

Output columns (one row per claim, sorted by ``claim_id``)
    ``claim_id, kind, topic, direction, groups, stat_id_a, stat_id_b, stat_id_change``
    (from the register); ``value_a, value_b`` (tested values, percent as printed),
    ``value_change`` (printed change); ``n_a, n_b, base_source`` (bases used and where
    they come from); ``x_a, x_b`` (counts ``round_half_up(value/100*n)``); ``diff,
    ci_low, ci_high, level`` (0-1 scale, Newcombe hybrid score); ``z, p_value`` (pooled
    z); ``p_holm, p_bh`` (adjusted over the claims with a p-value); ``granular_a,
    granular_b`` (printed value attainable as k/n at its base; NA when not a printed
    level); ``direction_printed`` (printed numbers move in the claimed direction);
    ``change_check`` (printed change vs the printed levels); ``n_needed``;
    ``p_value_low_base, p_value_high_base``; ``verdict``; ``detail``.

Command line::

    python -m analysis.audit.claims build --out data/processed/claims_audit --level 0.95 \\
        --base-all 274 --base-sector 68

>>> Bases().base_for("all", "r25-001")
(274, 'assumed: whole sample 274 per wave')
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.errors import DataValidationError
from analysis.io import write_table
from analysis.source.published import load_claims, load_published, printed_decimals
from analysis.stats.proportions import (
    adjust_pvalues,
    compare_percentages,
    granularity_consistent,
    min_n_significant,
)

__all__ = ["AUDIT_COLUMNS", "Bases", "audit_claims", "main"]

log = logging.getLogger(__name__)

#: Columns carried over from the claims register (``data/raw/claims.csv``).
REGISTER_COLUMNS: list[str] = [
    "claim_id",
    "kind",
    "topic",
    "direction",
    "groups",
    "stat_id_a",
    "stat_id_b",
    "stat_id_change",
]
AUDIT_COLUMNS: list[str] = [
    *REGISTER_COLUMNS,
    "value_a",
    "value_b",
    "value_change",
    "n_a",
    "n_b",
    "base_source",
    "x_a",
    "x_b",
    "diff",
    "ci_low",
    "ci_high",
    "level",
    "z",
    "p_value",
    "p_holm",
    "p_bh",
    "granular_a",
    "granular_b",
    "direction_printed",
    "change_check",
    "n_needed",
    "p_value_low_base",
    "p_value_high_base",
    "verdict",
    "detail",
]
#: The columns a reader needs to judge a claim (report tables, notebook summaries).
SUMMARY_COLUMNS: list[str] = [
    "claim_id",
    "topic",
    "direction",
    "value_a",
    "value_b",
    "n_a",
    "n_b",
    "diff",
    "ci_low",
    "ci_high",
    "z",
    "p_value",
    "p_holm",
    "p_bh",
    "verdict",
]

_SIGN = {"increase": 1, "higher": 1, "decrease": -1, "lower": -1, "no_change": 0}
_EXACT = ("level", "fraction")


@dataclass(frozen=True)
class Bases:
    """Assumed bases (respondents answering) for published percentages.

    Parameters
    ----------
    all : int
        Base of whole-sample (``group_id == "all"``) figures, per wave.
    sector : int
        Base of any sector / sub-group figure, per wave.
    all_range, sector_range : tuple of int
        Plausible low and high bases for the sensitivity columns.
    overrides : mapping of str to int
        Base for particular ``stat_id`` values (wins over everything else).

    A base printed in ``published.csv`` (``base_n``) is used before these defaults.

    Examples
    --------
    >>> Bases(sector=91).base_for("private", "r25-084")
    (91, 'assumed: even split, 91 per sector')
    """

    all: int = 274
    sector: int = 68
    all_range: tuple[int, int] = (150, 400)
    sector_range: tuple[int, int] = (40, 137)
    overrides: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("all", "sector"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 2:
                raise ValueError(f"Bases.{name}={value!r} must be an integer >= 2")
        for name in ("all_range", "sector_range"):
            low, high = getattr(self, name)
            if not (isinstance(low, int) and isinstance(high, int) and 2 <= low <= high):
                raise ValueError(f"Bases.{name}={(low, high)!r} must be integers 2 <= low <= high")

    def base_for(self, group_id: str, stat_id: str, base_n=None) -> tuple[int, str]:
        """Base and its source for one published row."""
        if stat_id in self.overrides:
            return int(self.overrides[stat_id]), f"override for {stat_id}"
        if base_n is not None and not pd.isna(base_n):
            return int(base_n), "published base"
        if group_id == "all":
            return self.all, f"assumed: whole sample {self.all} per wave"
        return self.sector, f"assumed: even split, {self.sector} per sector"

    def range_for(self, group_id: str) -> tuple[int, int]:
        """Low and high plausible base for a row of ``group_id``."""
        return self.all_range if group_id == "all" else self.sector_range


def _decimals(text) -> int | None:
    if text is None or pd.isna(text):
        return None
    return printed_decimals(str(text))


def _row(published: pd.DataFrame, stat_id) -> pd.Series | None:
    if stat_id is None or pd.isna(stat_id) or stat_id == "":
        return None
    if stat_id not in published.index:
        raise DataValidationError(
            f"stat_id {stat_id!r} is not in published.csv", file="claims.csv", column="stat_id"
        )
    return published.loc[stat_id]


def _interval(row: pd.Series) -> tuple[float, float, str] | None:
    """``(low, high, kind)`` of the values a published row allows, or None if unusable."""
    if row["status"] != "published":
        return None
    measure = row["measure"]
    if measure in _EXACT and pd.notna(row["value"]):
        return float(row["value"]), float(row["value"]), "exact"
    if measure == "range":
        return float(row["value_low"]), float(row["value_high"]), "range"
    if measure == "upper_bound":
        return 0.0, float(row["value"]), "bound"
    if measure == "lower_bound":
        return float(row["value"]), 100.0, "bound"
    return None


def _pick(interval: tuple[float, float, str], sign: int, side: str) -> float:
    """Value to test: least favourable end of a range, most favourable of a bound."""
    low, high, kind = interval
    if kind == "exact" or sign == 0:
        return low if kind == "exact" else math.nan
    favourable_high = (sign > 0) == (side == "a")  # a large a (or small b) favours the claim
    if kind == "range":
        return low if favourable_high else high
    return high if favourable_high else low


def _granular(row: pd.Series, value: float, n: int) -> object:
    if row["measure"] not in ("level", "range"):
        return pd.NA
    dec = _decimals(row["value_text"])
    if dec is None:
        return pd.NA
    return granularity_consistent(value, dec, n)


def _missing_reason(label: str, row: pd.Series | None, stat_id) -> str:
    if row is None:
        return f"no {label} figure in the register"
    if row["status"] != "published":
        return f"{int(row['wave'])} level not published or lost in extraction ({stat_id})"
    return f"{label} figure {stat_id} is a {row['measure']} ({row['value_text']}), not a level"


def _change_check(value_a: float, value_b: float, change: float) -> str:
    pp = value_a - value_b
    if abs(pp - change) <= 0.5 + 1e-9:
        return f"printed {change:g} matches the level difference {pp:+.1f} pp"
    if value_b == 0:
        return f"printed {change:g} does not match the level difference {pp:+.1f} pp"
    rel = pp / value_b * 100
    if abs(rel - change) <= 0.5 + 1e-9:
        return f"printed {change:g} matches the relative change {rel:+.1f}%"
    return f"printed {change:g} matches neither {pp:+.1f} pp nor {rel:+.1f}%"


def _audit_one(claim: pd.Series, published: pd.DataFrame, bases: Bases, level: float, alpha):
    sign = _SIGN[claim["direction"]]
    row_a = _row(published, claim["stat_id_a"])
    row_b = _row(published, claim["stat_id_b"])
    row_c = _row(published, claim["stat_id_change"])
    out: dict[str, object] = {"level": level}
    change = (
        float(row_c["value"])
        if row_c is not None and row_c["status"] == "published" and pd.notna(row_c["value"])
        else math.nan
    )
    out["value_change"] = change
    int_a = _interval(row_a) if row_a is not None else None
    int_b = _interval(row_b) if row_b is not None else None
    alpha_txt = f"{alpha:.0%}"

    if int_a is None or int_b is None:
        if not math.isnan(change):
            out["direction_printed"] = bool(np.sign(change) == sign)
            out["verdict"] = "direction only: levels not published"
            out["detail"] = f"only the change {row_c['value_text']} is printed"
            return out
        reasons = []
        if int_a is None:
            reasons.append(_missing_reason("first", row_a, claim["stat_id_a"]))
        if int_b is None:
            reasons.append(_missing_reason("comparison", row_b, claim["stat_id_b"]))
        if row_c is not None and row_c["status"] != "published":
            reasons.append(f"size of the change lost ({claim['stat_id_change']})")
        out["verdict"] = "cannot be tested: " + "; ".join(reasons)
        out["detail"] = ""
        return out

    value_a, value_b = _pick(int_a, sign, "a"), _pick(int_b, sign, "b")
    if sign == 0 and (int_a[2] != "exact" or int_b[2] != "exact"):
        out["verdict"] = "cannot be tested: 'no change' needs two printed levels"
        out["detail"] = ""
        return out
    n_a, src_a = bases.base_for(row_a["group_id"], row_a.name, row_a.get("base_n"))
    n_b, src_b = bases.base_for(row_b["group_id"], row_b.name, row_b.get("base_n"))
    source = src_a if src_a == src_b else f"a: {src_a}; b: {src_b}"
    res = compare_percentages(value_a, n_a, value_b, n_b, level=level, base_source=source).iloc[0]
    lo_a, hi_a = bases.range_for(row_a["group_id"])
    lo_b, hi_b = bases.range_for(row_b["group_id"])
    p_low = compare_percentages(value_a, lo_a, value_b, lo_b, level=level).iloc[0]["p_value"]
    p_high = compare_percentages(value_a, hi_a, value_b, hi_b, level=level).iloc[0]["p_value"]
    needed = min_n_significant(value_a / 100, value_b / 100, alpha=alpha).iloc[0]["n_stable"]
    out.update(
        value_a=value_a,
        value_b=value_b,
        n_a=n_a,
        n_b=n_b,
        base_source=res["base_source"],
        x_a=int(res["x1"]),
        x_b=int(res["x2"]),
        diff=float(res["diff"]),
        ci_low=float(res["ci_low"]),
        ci_high=float(res["ci_high"]),
        z=float(res["z"]),
        p_value=float(res["p_value"]),
        granular_a=_granular(row_a, value_a, n_a),
        granular_b=_granular(row_b, value_b, n_b),
        n_needed=needed,
        p_value_low_base=float(p_low),
        p_value_high_base=float(p_high),
    )
    printed = value_a - value_b
    uses = {int_a[2], int_b[2]}
    # with a bound the printed direction is unknown; with ranges it is the least favourable pair
    out["direction_printed"] = (
        pd.NA if "bound" in uses else bool(np.sign(round(printed, 9)) == sign)
    )
    if not math.isnan(change) and int_a[2] == int_b[2] == "exact":
        out["change_check"] = _change_check(value_a, value_b, change)
    significant = not math.isnan(out["p_value"]) and out["p_value"] < alpha
    notes = []
    if "range" in uses:
        notes.append("least favourable end of the range tested")
    if printed == 0:
        notes.append("the printed values are equal")
    elif np.sign(printed) != sign and sign != 0:
        notes.append("the printed values move against the claim")
    if "bound" in uses:
        if significant:
            out["verdict"] = (
                "cannot be tested: level only bounded; significant at the bound, "
                "so the verdict depends on the unknown value"
            )
        else:
            out["verdict"] = "not distinguishable from sampling noise"
            notes.append("not significant even at the most favourable value the bound allows")
    elif not significant:
        out["verdict"] = "not distinguishable from sampling noise"
        if sign == 0:
            notes.append("consistent with no change; equivalence is not shown (see the CI)")
    elif sign == 0:
        out["verdict"] = f"contradicted at {alpha_txt}: significant change"
    elif np.sign(out["diff"]) == sign:
        out["verdict"] = f"supported at {alpha_txt}"
    else:
        out["verdict"] = f"contradicted at {alpha_txt}: significant change the other way"
    out["detail"] = "; ".join(notes)
    return out


def audit_claims(
    claims: pd.DataFrame,
    published: pd.DataFrame,
    bases: Bases | None = None,
    level: float = 0.95,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Test every claim of the register against the published numbers.

    Parameters
    ----------
    claims : pandas.DataFrame
        The register (``analysis.source.published.load_claims()``).
    published : pandas.DataFrame
        Published numbers (``analysis.source.published.load_published()``).
    bases : Bases, optional
        Assumed bases (default ``Bases()``: 274 whole sample, 68 per sector).
    level : float
        Confidence level of the Newcombe intervals.
    alpha : float
        Significance level of the verdicts and of ``n_needed``.

    Returns
    -------
    pandas.DataFrame
        One row per claim, columns :data:`AUDIT_COLUMNS` (described in the module
        docstring; ``diff``, ``ci_low``, ``ci_high`` on the 0-1 scale).

    Examples
    --------
    >>> pub = pd.DataFrame({
    ...     "stat_id": ["x-001", "x-002"], "wave": [2025, 2024], "group_id": ["all", "all"],
    ...     "measure": ["level", "level"], "value": [37.0, 50.0], "value_low": [np.nan] * 2,
    ...     "value_high": [np.nan] * 2, "value_text": ["37%", "50%"], "base_n": [pd.NA] * 2,
    ...     "status": ["published"] * 2})
    >>> cl = pd.DataFrame({
    ...     "claim_id": ["c01"], "kind": ["year_on_year"], "topic": ["optimism"],
    ...     "direction": ["decrease"], "stat_id_a": ["x-001"], "stat_id_b": ["x-002"],
    ...     "stat_id_change": [np.nan], "groups": ["all"]})
    >>> audit_claims(cl, pub)[["z", "p_value", "verdict"]].round(4)
            z  p_value          verdict
    0 -3.1026   0.0019  supported at 5%
    """
    if not 0 < level < 1:
        raise ValueError(f"level={level!r} must lie strictly between 0 and 1")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha!r} must lie strictly between 0 and 1")
    bases = bases if bases is not None else Bases()
    bad = sorted(set(claims["direction"]) - set(_SIGN))
    if bad:
        raise DataValidationError(
            f"unknown direction(s) {bad}; valid: {sorted(_SIGN)}",
            file="claims.csv",
            column="direction",
        )
    pub = published.set_index("stat_id", drop=False)
    pub.index.name = None
    rows = []
    for _, claim in claims.sort_values("claim_id", kind="stable").iterrows():
        rec = {k: claim.get(k) for k in REGISTER_COLUMNS}
        rec.update(_audit_one(claim, pub, bases, level, alpha))
        rows.append(rec)
    out = pd.DataFrame(rows).reindex(columns=AUDIT_COLUMNS)
    adj = adjust_pvalues(out["p_value"].astype(float).to_numpy())
    out["p_holm"], out["p_bh"] = adj["p_holm"].to_numpy(), adj["p_bh"].to_numpy()
    for col in ("n_a", "n_b", "x_a", "x_b", "n_needed"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    for col in ("granular_a", "granular_b", "direction_printed"):
        out[col] = pd.array(
            [
                pd.NA if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v
                for v in out[col]
            ],
            dtype="boolean",
        )
    float_cols = ["value_a", "value_b", "value_change", "diff", "ci_low", "ci_high", "level"]
    float_cols += ["z", "p_value", "p_holm", "p_bh", "p_value_low_base", "p_value_high_base"]
    out[float_cols] = out[float_cols].astype(float)
    for col in out.columns.difference(float_cols).difference(["n_a", "n_b", "x_a", "x_b"]):
        if out[col].dtype == object or str(out[col].dtype) in ("str", "string"):
            out[col] = out[col].astype("str")
    log.info("audited %d claims, %d tested", len(out), int(out["p_value"].notna().sum()))
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line ``build``: audit ``claims.csv`` and write ``<out>.csv`` and ``.parquet``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.audit.claims", description="Audit the 2025 report's claims."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write the claims audit table")
    build.add_argument("--raw", type=Path, default=paths.DATA_RAW, help="raw-data folder")
    build.add_argument("--out", type=Path, default=paths.DATA_PROCESSED / "claims_audit")
    build.add_argument("--level", type=float, default=0.95, help="confidence level")
    build.add_argument("--alpha", type=float, default=0.05, help="significance level")
    build.add_argument("--base-all", type=int, default=274, help="whole-sample base per wave")
    build.add_argument("--base-sector", type=int, default=68, help="base per sector per wave")
    args = parser.parse_args(argv)
    try:
        claims = load_claims(raw_dir=args.raw)
        published = load_published(raw_dir=args.raw)
        bases = Bases(all=args.base_all, sector=args.base_sector)
        audit = audit_claims(claims, published, bases, level=args.level, alpha=args.alpha)
    except (DataValidationError, FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    csv_path, parquet_path = write_table(audit, args.out)
    print(f"wrote {csv_path} and {parquet_path} ({len(audit)} claims)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
