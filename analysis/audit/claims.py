"""Audit of the comparative claims of the WIG reports from their printed numbers.

``data/raw/claims.csv`` (the claims register) lists every comparative claim of the 2025
report and every ranking or "most"/"top"/"lead" statement of the 2025 and 2024 reports,
one row per pairwise comparison, with the verbatim quote (``doc_id`` names its document)
and the published rows it rests on (``stat_id_a``, ``stat_id_b``, ``stat_id_change`` in
``published.csv``). A statement that needs several comparisons ("Non-profit leaders remain
the most positive" needs not-for-profit above every other sector) has one row per
comparison sharing a ``statement_id``. Convention: ``diff = estimate_a - estimate_b``, ``a``
the later wave, the group or option said to be higher, ``b`` the earlier wave or the other
group or option; ``increase``/``higher`` claims assert ``diff > 0``.

How each kind is tested (:mod:`analysis.stats.proportions`)
    Every printed percentage becomes a count ``x = round_half_up(v / 100 * n)`` at its
    assumed (nominal) base ``n``; the proportions tested are ``x / n``. Every base is then
    divided by the design effect ``DEFF`` (effective ``n / DEFF``):

    * ``year_on_year`` and ``between_groups`` (independent samples): pooled z test and
      Newcombe hybrid score interval (:func:`~analysis.stats.proportions.compare_independent`);
    * ``between_items`` (two options of one tick-box question, answered by the same
      respondents): McNemar z at every joint answer pattern the two printed margins allow
      (Fréchet bounds), Wald paired interval
      (:func:`~analysis.stats.proportions.compare_paired_margins`);
    * ``group_vs_total`` (a group inside all leaders): the group against the rest, over the
      group's share of the total in the stated range ``Bases.share_range``
      (:func:`~analysis.stats.proportions.group_vs_total_range`).

    Where the dependence is unknown, the verdict is given only where the whole range of
    p-values agrees (``depends_on_overlap`` otherwise).

How values are chosen
    ``level`` and ``fraction`` rows are used as printed. A ``range`` ("12-14%") spans
    several groups and the claim holds for each, so the *least favourable* end is tested. A
    bound ("less than 3 in 10") hides the value, so the *most favourable* value allowed is
    tested: if even that is not significant the claim is not distinguishable from noise; if
    it is, the claim cannot be tested.

Verdicts (:class:`analysis.vocab.Verdict`; words only from :mod:`analysis.text`)
    With ``p_min``/``p_max`` the smallest and largest p-value over the unknown dependence
    (equal for independent samples): ``supported`` when ``p_max < alpha`` and ``diff`` has the
    claimed sign; ``contradicted`` when ``p_max < alpha`` against it (or any significant
    change where "no change" is claimed); ``not_distinguishable`` when ``p_min >= alpha``;
    ``depends_on_overlap`` otherwise; ``direction_only`` when only a change is printed;
    ``untestable`` with a reason code (:class:`analysis.audit.codes.Untestable`).
    A statement's verdict (``statement_verdict``) is that of its weakest comparison, in the
    order contradicted, not distinguishable, untestable, direction only, depends on overlap,
    supported: a "most" statement is supported only when every comparison is (an
    intersection-union test, so no multiplicity adjustment is needed within a statement).

Design effect
    ``DEFF`` (default :data:`DEFAULT_DEFF` = 1.08: the Kish design effect
    ``n sum(w^2) / sum(w)^2`` of the project's own weighting, ``equal_sectors`` in
    ``data/raw/weighting_targets.csv``, raked onto the synthetic 2025 respondents, 1.0801
    rounded to 2 decimals; ``tests/test_claims.py`` recomputes it) scales every assumed base.
    Proportions stay fixed, so each statistic is ``z_1 / sqrt(DEFF)`` and a verdict flips at
    ``flip_deff = DEFF (z / z_c)**2`` (:func:`~analysis.stats.proportions.flip_deff`).

Bases (no base is printed for 2025)
    Whole-sample figures: 274 per wave (the 2024 action plan's sample; the 2025 sample size
    is not published and is assumed equal). Sector figures: 68 per sector, 274 split evenly
    over the four 2025 sectors, used for both waves (2024 had three sector groups: 91 would
    be the even split there; 68 is the conservative choice). The plausible ranges (whole
    sample 150-400, sector 40-137) give ``p_value_low_base``/``p_value_high_base``, and
    the sector range over the whole-sample base the group's share of the total (0.146-0.5).

Output columns: :data:`AUDIT_COLUMNS`, one row per claim in register order
    The comparisons table of :mod:`analysis.vocab` (``COMPARISON_COLUMNS``):

    ================== ===================================================================
    comparison_id      the claim_id
    kind               ComparisonKind of the register row
    item_a, item_b     item ids of the two published rows ("" when a side has no row)
    group_a, group_b   group ids (from the rows, else from the register's ``groups``)
    wave_a, wave_b     waves (Int64; NA when a side has no row)
    estimate_a, _b     proportions tested, ``x / n`` at the nominal base (0-1)
    n_a, n_b           effective bases used (nominal / DEFF; for group_vs_total the group's
                       at the least favourable share)
    base_kind          ``published`` when both bases are printed, else ``assumed``
    deff               design effect applied
    diff               ``estimate_a - estimate_b``
    se                 standard error of ``diff`` under the null, as the statistic uses it
                       (at the least favourable dependence)
    ci_low, ci_high    interval for ``diff`` at ``level`` (union over the dependence range)
    statistic          z (pooled / McNemar / group vs rest) at the least favourable
                       dependence: the one with the largest p-value
    dof                inf (z statistics)
    p_value            two-sided p-value valid whatever the unknown dependence (= p_value_max)
    p_value_min, _max  range of the p-value over the unknown dependence (equal when none)
    level, alpha       confidence level of the interval, significance level of the verdict
    method             how se, interval and p were computed
    verdict            Verdict value
    source             stat_ids of side a, side b and the change, ``;``-separated
    ================== ===================================================================

    and the claim's own columns (:data:`CLAIM_COLUMNS`):

    ================== ===================================================================
    statement_id       the statement this comparison belongs to
    doc_id             document of the quote
    topic, direction   from the register (direction: Direction value)
    compares           ``levels`` or ``changes`` (register)
    groups             group ids of the claim (register)
    stat_id_a, _b,     the published rows compared
    stat_id_change
    value_text_a, _b   the numbers as printed; ``value_text_change`` the printed change
    value_rule_a, _b   ValueRule: exact, least favourable end of a range, most favourable
                       value a bound allows
    base_a, base_b     nominal (assumed or printed) bases before DEFF
    base_source        where the bases come from
    deff_source        where DEFF comes from (words)
    x_a, x_b           counts ``round_half_up(value / 100 * base)``
    p_holm, p_bh       Holm / Benjamini-Hochberg adjusted ``p_value`` over every row with one
    overlap_low, _high range of the unknown: the share choosing both options (between_items,
                       0-1) or the group's share of the total (group_vs_total); NaN otherwise
    overlap_least      the value of the unknown at which ``p_value`` (the largest) occurs
    flip_deff          the DEFF at which the verdict changes: for a verdict holding below it
                       (supported, contradicted, untestable at a bound) the DEFF from which
                       it no longer holds; for not_distinguishable the DEFF below which some
                       p-value would fall under alpha; for depends_on_overlap the DEFF from
                       which it becomes not_distinguishable. NaN when the verdict does not
                       depend on DEFF (untestable, direction only, or a zero difference,
                       significant at no DEFF); never inf for a finite statistic
    flip_deff_low      depends_on_overlap only: the DEFF below which every p-value is under
                       alpha (the verdict becomes supported or contradicted); NaN otherwise
    mdd                minimum detectable difference (0-1, magnitude) in the claimed
                       direction (the smaller of the two for no_change) at the nominal bases
                       and DEFF, at ``mdd_power``, from ``estimate_b``; for between_items at
                       the most discordant joint, for group_vs_total at the smallest share
    mdd_power          power of ``mdd`` (:data:`MDD_POWER`)
    n_needed           smallest nominal base of side a (side b in proportion) at which every
                       p-value is below alpha at this DEFF
    p_value_low_base,  ``p_value`` with every base at the low / high end of its plausible
    p_value_high_base  range (counts re-rounded there), at this DEFF
    granular_a, _b     printed value attainable as k/base at its printed decimals (NA unless
                       a level or range)
    direction_printed  the printed numbers move in the claimed direction (NA with a bound)
    change_check       ChangeCheck of a printed change against the printed levels ("" if none)
    untestable         Untestable code ("" when tested); ``untestable_text`` its words
    notes              Note codes, ``;``-separated; ``detail`` the notes and change check in
                       words
    statement_verdict  the statement's verdict (see above)
    statement_failing  comparison_ids of the statement that are not supported
    ================== ===================================================================

Command line::

    python -m analysis.audit.claims build --out data/processed/claims_audit --level 0.95 \\
        --alpha 0.05 --base-all 274 --base-sector 68 --deff 1.08

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

from analysis import paths, text
from analysis.audit.codes import ChangeCheck, Compares, Note, Untestable, ValueRule
from analysis.errors import DataValidationError
from analysis.io import write_table
from analysis.source.published import load_claims, load_published, printed_decimals
from analysis.stats.proportions import (
    adjust_pvalues,
    check_deff,
    compare_independent,
    compare_paired_margins,
    critical_z,
    feasible_shares,
    flip_deff,
    granularity_consistent,
    group_vs_total_range,
    min_detectable_difference,
    percent_to_count,
)
from analysis.vocab import (
    COMPARISON_COLUMNS,
    GROUP_ALL,
    BaseKind,
    ComparisonKind,
    Direction,
    Verdict,
    canonical_float,
)

__all__ = [
    "AUDIT_COLUMNS",
    "CLAIM_COLUMNS",
    "DEFAULT_DEFF",
    "DEFF_SOURCE",
    "MDD_POWER",
    "STATEMENT_ORDER",
    "SUMMARY_COLUMNS",
    "Bases",
    "audit_claims",
    "main",
    "statement_verdicts",
]

log = logging.getLogger(__name__)

#: Default design effect: Kish deff of ``equal_sectors`` on the synthetic 2025 respondents.
DEFAULT_DEFF = 1.08
#: Where :data:`DEFAULT_DEFF` comes from (stated in the audit table and the registry help).
DEFF_SOURCE = (
    "Kish design effect of the equal_sectors weighting (data/raw/weighting_targets.csv) "
    "on the synthetic 2025 respondents, 1.0801 rounded to 2 decimals"
)
#: Power at which ``mdd`` is computed.
MDD_POWER = 0.8

#: Columns of the claim beyond the comparisons table (documented in the module docstring).
CLAIM_COLUMNS: list[str] = [
    "statement_id",
    "doc_id",
    "topic",
    "direction",
    "compares",
    "groups",
    "stat_id_a",
    "stat_id_b",
    "stat_id_change",
    "value_text_a",
    "value_text_b",
    "value_text_change",
    "value_rule_a",
    "value_rule_b",
    "base_a",
    "base_b",
    "base_source",
    "deff_source",
    "x_a",
    "x_b",
    "p_holm",
    "p_bh",
    "overlap_low",
    "overlap_high",
    "overlap_least",
    "flip_deff",
    "flip_deff_low",
    "mdd",
    "mdd_power",
    "n_needed",
    "p_value_low_base",
    "p_value_high_base",
    "granular_a",
    "granular_b",
    "direction_printed",
    "change_check",
    "untestable",
    "untestable_text",
    "notes",
    "detail",
    "statement_verdict",
    "statement_failing",
]
AUDIT_COLUMNS: list[str] = [*COMPARISON_COLUMNS, *CLAIM_COLUMNS]
#: The columns a reader needs to judge a claim (report tables, notebook summaries).
SUMMARY_COLUMNS: list[str] = [
    "comparison_id",
    "statement_id",
    "topic",
    "direction",
    "estimate_a",
    "estimate_b",
    "n_a",
    "n_b",
    "deff",
    "diff",
    "ci_low",
    "ci_high",
    "p_value_min",
    "p_value_max",
    "p_holm",
    "flip_deff",
    "mdd",
    "verdict",
    "statement_verdict",
]
#: Weakest first: a statement takes the first verdict of this order among its comparisons.
STATEMENT_ORDER: tuple[Verdict, ...] = (
    Verdict.CONTRADICTED,
    Verdict.NOT_DISTINGUISHABLE,
    Verdict.UNTESTABLE,
    Verdict.DIRECTION_ONLY,
    Verdict.DEPENDS_ON_OVERLAP,
    Verdict.SUPPORTED,
)

_EXACT = ("level", "fraction")
_INDEPENDENT = (ComparisonKind.YEAR_ON_YEAR, ComparisonKind.BETWEEN_GROUPS)
_FLOAT_COLUMNS = [
    "estimate_a",
    "estimate_b",
    "n_a",
    "n_b",
    "deff",
    "diff",
    "se",
    "ci_low",
    "ci_high",
    "statistic",
    "dof",
    "p_value",
    "p_value_min",
    "p_value_max",
    "level",
    "alpha",
    "p_holm",
    "p_bh",
    "overlap_low",
    "overlap_high",
    "overlap_least",
    "flip_deff",
    "flip_deff_low",
    "mdd",
    "mdd_power",
    "p_value_low_base",
    "p_value_high_base",
]
_INT_COLUMNS = ["wave_a", "wave_b", "base_a", "base_b", "x_a", "x_b", "n_needed"]
_BOOL_COLUMNS = ["granular_a", "granular_b", "direction_printed"]


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
        Plausible low and high bases for the sensitivity columns; ``sector_range`` over
        ``all`` is also the stated range of a group's share of the total
        (:attr:`share_range`).
    overrides : mapping of str to int
        Base for particular ``stat_id`` values (wins over everything else).

    A base printed in ``published.csv`` (``base_n``) is used before these defaults.

    Examples
    --------
    >>> Bases(sector=91).base_for("private", "r25-084")
    (91, 'assumed: even split, 91 per sector')
    >>> [round(s, 4) for s in Bases().share_range]
    [0.146, 0.5]
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
        if group_id == GROUP_ALL:
            return self.all, f"assumed: whole sample {self.all} per wave"
        return self.sector, f"assumed: even split, {self.sector} per sector"

    def range_for(self, group_id: str) -> tuple[int, int]:
        """Low and high plausible base for a row of ``group_id``."""
        return self.all_range if group_id == GROUP_ALL else self.sector_range

    @property
    def share_range(self) -> tuple[float, float]:
        """Stated range of a group's share of all leaders: the sector range over ``all``.

        Widened to include ``sector / all`` and cut below 1 (the rest cannot be empty).
        """
        low = min(self.sector_range[0], self.sector) / self.all
        high = min(max(self.sector_range[1], self.sector), self.all - 1) / self.all
        if low > high:
            raise ValueError(
                f"Bases.sector={self.sector} is not smaller than Bases.all={self.all}: a group "
                "cannot be compared with a total it is not a part of"
            )
        return low, high


# --------------------------------------------------------------------------- values


def _decimals(value_text) -> int | None:
    if value_text is None or pd.isna(value_text):
        return None
    return printed_decimals(str(value_text))


def _row(published: pd.DataFrame, stat_id, line: int) -> pd.Series | None:
    if stat_id is None or pd.isna(stat_id) or stat_id == "":
        return None
    if stat_id not in published.index:
        raise DataValidationError(
            f"stat_id {stat_id!r} is not in published.csv", file="claims.csv", row=line
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


_RULES = {
    "exact": ValueRule.EXACT,
    "range": ValueRule.RANGE_LEAST_FAVOURABLE,
    "bound": ValueRule.BOUND_MOST_FAVOURABLE,
}


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


def _missing(label: str, row: pd.Series | None, stat_id) -> tuple[Untestable, dict]:
    """Reason code and its fields for a side that gives no testable value."""
    if row is None:
        return Untestable.NO_FIGURE, {"side": label}
    if row["status"] != "published":
        return Untestable.LEVEL_LOST, {"wave": int(row["wave"]), "stat_id": stat_id}
    return Untestable.NOT_A_LEVEL, {
        "side": label,
        "stat_id": stat_id,
        "measure": row["measure"],
        "value_text": row["value_text"],
    }


def _change_check(value_a: float, value_b: float, change: float) -> tuple[ChangeCheck, dict]:
    points = value_a - value_b
    relative = points / value_b * 100 if value_b != 0 else math.nan
    fields = {"change": change, "points": points, "relative": relative}
    if abs(points - change) <= 0.5 + 1e-9:
        return ChangeCheck.MATCHES_POINTS, fields
    if not math.isnan(relative) and abs(relative - change) <= 0.5 + 1e-9:
        return ChangeCheck.MATCHES_RELATIVE, fields
    return ChangeCheck.MATCHES_NEITHER, fields


def _check_kind(kind: ComparisonKind, row_a, row_b, claim_id: str, line: int) -> None:
    """The register's ``kind`` must fit the two published rows it compares."""
    if row_a is None or row_b is None:
        return
    same_item = row_a["item_id"] == row_b["item_id"]
    same_wave = row_a["wave"] == row_b["wave"]
    same_group = row_a["group_id"] == row_b["group_id"]
    problem = None
    if kind == ComparisonKind.YEAR_ON_YEAR and (same_wave or not same_group):
        problem = "two waves of one group"
    elif kind == ComparisonKind.BETWEEN_GROUPS and (
        not same_wave or same_group or GROUP_ALL in (row_a["group_id"], row_b["group_id"])
    ):
        problem = "two different groups (neither 'all') in one wave"
    elif kind == ComparisonKind.BETWEEN_ITEMS and (not same_wave or not same_group or same_item):
        problem = "two items of one group in one wave"
    elif kind == ComparisonKind.GROUP_VS_TOTAL and (
        not same_wave or not same_item or row_b["group_id"] != GROUP_ALL or same_group
    ):
        problem = "one item of a group (side a) and of 'all' (side b) in one wave"
    if problem:
        raise DataValidationError(
            f"{claim_id}: kind {kind.value!r} needs {problem}; {row_a.name} is "
            f"{row_a['item_id']}/{row_a['group_id']}/{row_a['wave']}, {row_b.name} is "
            f"{row_b['item_id']}/{row_b['group_id']}/{row_b['wave']}",
            file="claims.csv",
            row=line,
            column="kind",
        )


# --------------------------------------------------------------------------- tests


def _test_at(
    kind: ComparisonKind,
    pct_a: float,
    pct_b: float,
    n_a: int,
    n_b: int,
    *,
    deff: float,
    level: float,
    share_range: tuple[float, float],
) -> dict:
    """The comparison of two printed percentages at nominal bases ``n_a, n_b`` and ``deff``."""
    x_a, x_b = percent_to_count(pct_a, n_a), percent_to_count(pct_b, n_b)
    nan = math.nan
    if kind in _INDEPENDENT:
        r = compare_independent(x_a, n_a, x_b, n_b, deff=deff, level=level).iloc[0]
        return {
            "x_a": x_a,
            "x_b": x_b,
            "estimate_a": r.estimate_a,
            "estimate_b": r.estimate_b,
            "n_a": r.n_eff_a,
            "n_b": r.n_eff_b,
            "diff": r["diff"],
            "se": r.se,
            "ci_low": r.ci_low,
            "ci_high": r.ci_high,
            "statistic": r.z,
            "z_most": r.z,
            "p_value": r.p_value,
            "p_value_min": r.p_value,
            "p_value_max": r.p_value,
            "method": r.method,
            "overlap_low": nan,
            "overlap_high": nan,
            "overlap_least": nan,
        }
    if kind == ComparisonKind.BETWEEN_ITEMS:
        if n_a != n_b:
            raise ValueError(f"two options of one question need one base, got {n_a} and {n_b}")
        r = compare_paired_margins(x_a, x_b, n_a, deff=deff, level=level).iloc[0]
        return {
            "x_a": x_a,
            "x_b": x_b,
            "estimate_a": r.estimate_a,
            "estimate_b": r.estimate_b,
            "n_a": r.n_eff,
            "n_b": r.n_eff,
            "diff": r["diff"],
            "se": r.se,
            "ci_low": r.ci_low,
            "ci_high": r.ci_high,
            "statistic": r.z,
            "z_most": r.z_max,
            "p_value": r.p_value,
            "p_value_min": r.p_value_min,
            "p_value_max": r.p_value_max,
            "method": r.method,
            "overlap_low": r.n11_low / n_a,
            "overlap_high": r.n11_high / n_a,
            "overlap_least": r.n11_least / n_a,
        }
    r = group_vs_total_range(x_a / n_a, x_b / n_b, n_b, share_range, deff=deff, level=level).iloc[0]
    return {
        "x_a": x_a,
        "x_b": x_b,
        "estimate_a": x_a / n_a,
        "estimate_b": x_b / n_b,
        "n_a": r.share_least * n_b / deff,
        "n_b": n_b / deff,
        "diff": r["diff"],
        "se": r.se,
        "ci_low": r.ci_low,
        "ci_high": r.ci_high,
        "statistic": r.z,
        "z_most": r.z_max,
        "p_value": r.p_value,
        "p_value_min": r.p_value_min,
        "p_value_max": r.p_value_max,
        "method": r.method,
        "overlap_low": r.share_low,
        "overlap_high": r.share_high,
        "overlap_least": r.share_least,
    }


def _mdd(kind, p_base, n_a, n_b, sign, *, deff, alpha, power, share) -> float:
    direction = {1: "increase", -1: "decrease", 0: "both"}[sign]
    if kind in _INDEPENDENT:
        kw = {"n_b": n_b, "design": "independent"}
        n = n_a
    elif kind == ComparisonKind.BETWEEN_ITEMS:
        kw, n = {"design": "paired"}, n_a
    else:
        kw, n = {"design": "group_vs_total", "share": share}, n_b
    res = min_detectable_difference(
        p_base, n, deff=deff, alpha=alpha, power=power, direction=direction, **kw
    )
    values = res["mdd"].dropna()
    return float(values.min()) if len(values) else math.nan


def _decide(
    sign: int, diff: float, p_min: float, p_max: float, alpha: float, bound: bool
) -> tuple[Verdict, Untestable | None, list[Note]]:
    notes: list[Note] = []
    sig_all = p_max < alpha
    sig_any = p_min < alpha
    if bound:
        if sig_any:
            return Verdict.UNTESTABLE, Untestable.BOUND_SIGNIFICANT, notes
        return Verdict.NOT_DISTINGUISHABLE, None, [Note.BOUND_MOST_FAVOURABLE]
    if sign == 0:
        if sig_all:
            return Verdict.CONTRADICTED, None, notes
        if sig_any:
            return Verdict.DEPENDS_ON_OVERLAP, None, notes
        return Verdict.NOT_DISTINGUISHABLE, None, [Note.EQUIVALENCE_NOT_SHOWN]
    if sig_all:
        verdict = Verdict.SUPPORTED if np.sign(diff) == sign else Verdict.CONTRADICTED
        return verdict, None, notes
    if sig_any:
        return Verdict.DEPENDS_ON_OVERLAP, None, notes
    return Verdict.NOT_DISTINGUISHABLE, None, notes


def _flips(z_least: float, z_most: float, deff: float, alpha: float, bound: bool):
    """``(flip_deff, flip_deff_low)`` for a tested row (see the module docstring)."""
    f_least = flip_deff(z_least, deff, alpha)
    f_most = flip_deff(z_most, deff, alpha)
    if bound or math.isnan(f_most):
        return f_most, math.nan
    if deff < f_least:
        return f_least, math.nan
    if deff < f_most:
        return f_most, f_least
    return f_most, math.nan


# --------------------------------------------------------------------------- one claim


def _side_fields(row, claim_groups: list[str], side: str) -> dict:
    index = 0 if side == "a" or len(claim_groups) == 1 else 1
    if row is None:
        group = claim_groups[index] if claim_groups else ""
        return {f"item_{side}": "", f"group_{side}": group, f"wave_{side}": pd.NA}
    return {
        f"item_{side}": row["item_id"],
        f"group_{side}": row["group_id"],
        f"wave_{side}": int(row["wave"]),
    }


def _audit_one(
    claim: pd.Series,
    line: int,
    pub: pd.DataFrame,
    bases: Bases,
    *,
    level: float,
    alpha: float,
    deff: float,
    power: float,
) -> dict:
    claim_id = str(claim["claim_id"])
    kind = ComparisonKind(claim["kind"])
    direction = Direction(claim["direction"])
    sign = direction.sign
    compares = Compares(claim.get("compares") or Compares.LEVELS)
    row_a = _row(pub, claim.get("stat_id_a"), line)
    row_b = _row(pub, claim.get("stat_id_b"), line)
    row_c = _row(pub, claim.get("stat_id_change"), line)
    if compares == Compares.LEVELS:
        _check_kind(kind, row_a, row_b, claim_id, line)
    groups = [g for g in str(claim.get("groups") or "").split(";") if g]
    stat_ids = [claim.get(k) for k in ("stat_id_a", "stat_id_b", "stat_id_change")]
    out: dict[str, object] = {
        "comparison_id": claim_id,
        "kind": kind.value,
        **_side_fields(row_a, groups, "a"),
        **_side_fields(row_b, groups, "b"),
        "deff": deff,
        "dof": math.inf,
        "level": level,
        "alpha": alpha,
        "source": ";".join(str(s) for s in stat_ids if isinstance(s, str) and s),
        "statement_id": claim["statement_id"],
        "doc_id": claim["doc_id"],
        "topic": claim["topic"],
        "direction": direction.value,
        "compares": compares.value,
        "groups": claim.get("groups"),
        "stat_id_a": claim.get("stat_id_a"),
        "stat_id_b": claim.get("stat_id_b"),
        "stat_id_change": claim.get("stat_id_change"),
        "value_text_a": "" if row_a is None else row_a["value_text"],
        "value_text_b": "" if row_b is None else row_b["value_text"],
        "value_text_change": "" if row_c is None else row_c["value_text"],
        "mdd_power": power,
        "deff_source": text.deff_source_words(
            deff, default=DEFAULT_DEFF, default_source=DEFF_SOURCE
        ),
        "change_check": "",
        "untestable": "",
        "notes": [],
        "base_kind": "",
    }

    def untestable(code: Untestable, fields: dict, verdict=Verdict.UNTESTABLE) -> dict:
        out["verdict"] = verdict.value
        out["untestable"] = code.value
        out["untestable_text"] = text.untestable_words(code.value, **fields)
        return out

    if compares == Compares.CHANGES:
        return untestable(Untestable.DIFFERENCE_OF_CHANGES, {})
    change = (
        float(row_c["value"])
        if row_c is not None and row_c["status"] == "published" and pd.notna(row_c["value"])
        else math.nan
    )
    int_a = _interval(row_a) if row_a is not None else None
    int_b = _interval(row_b) if row_b is not None else None
    if int_a is None or int_b is None:
        if not math.isnan(change):
            out["direction_printed"] = bool(np.sign(change) == sign)
            return untestable(
                Untestable.CHANGE_ONLY,
                {"value_text": row_c["value_text"]},
                verdict=Verdict.DIRECTION_ONLY,
            )
        if row_c is not None and row_c["status"] != "published":
            out["notes"].append(Note.CHANGE_LOST)
        if int_a is None:
            code, fields = _missing("first", row_a, claim.get("stat_id_a"))
        else:
            code, fields = _missing("comparison", row_b, claim.get("stat_id_b"))
        return untestable(code, fields)

    value_a, value_b = _pick(int_a, sign, "a"), _pick(int_b, sign, "b")
    out["value_rule_a"], out["value_rule_b"] = _RULES[int_a[2]].value, _RULES[int_b[2]].value
    if sign == 0 and (int_a[2] != "exact" or int_b[2] != "exact"):
        return untestable(Untestable.NO_CHANGE_NEEDS_LEVELS, {})
    n_a, src_a = bases.base_for(row_a["group_id"], row_a.name, row_a.get("base_n"))
    n_b, src_b = bases.base_for(row_b["group_id"], row_b.name, row_b.get("base_n"))
    published = src_a == src_b == "published base"
    out["base_kind"] = (BaseKind.PUBLISHED if published else BaseKind.ASSUMED).value
    out["base_source"] = src_a if src_a == src_b else f"a: {src_a}; b: {src_b}"
    out["base_a"], out["base_b"] = n_a, n_b
    test_kw = {"deff": deff, "level": level}
    if kind == ComparisonKind.GROUP_VS_TOTAL:
        test_kw["share_range"] = bases.share_range
    else:
        test_kw["share_range"] = (math.nan, math.nan)
    if kind == ComparisonKind.GROUP_VS_TOTAL:
        p_g = percent_to_count(value_a, n_a) / n_a
        p_t = percent_to_count(value_b, n_b) / n_b
        if feasible_shares(p_g, p_t)[1] < bases.share_range[0]:
            return untestable(Untestable.SHARES_INFEASIBLE, {})
    try:
        res = _test_at(kind, value_a, value_b, n_a, n_b, **test_kw)
    except ValueError as err:
        raise DataValidationError(f"{claim_id}: {err}", file="claims.csv", row=line) from err
    z_least, z_most = res.pop("statistic"), res.pop("z_most")
    out.update(res)
    out["statistic"] = z_least
    uses = {int_a[2], int_b[2]}
    bound = "bound" in uses
    p_min, p_max = out["p_value_min"], out["p_value_max"]
    verdict, code, notes = _decide(sign, out["diff"], p_min, p_max, alpha, bound)
    if verdict is Verdict.SUPPORTED and out["ci_low"] <= 0 <= out["ci_high"]:
        notes.append(Note.INTERVAL_INCLUDES_ZERO)
    out["verdict"] = verdict.value
    if code is not None:
        out["untestable"] = code.value
        out["untestable_text"] = text.untestable_words(code.value)
    out["flip_deff"], out["flip_deff_low"] = _flips(z_least, z_most, deff, alpha, bound)
    zc = critical_z(alpha)
    if np.isfinite(z_least) and z_least != 0:
        out["n_needed"] = int(math.floor(n_a * (zc / abs(z_least)) ** 2)) + 1
    share = out["overlap_least"] if kind == ComparisonKind.GROUP_VS_TOTAL else None
    out["mdd"] = _mdd(
        kind, out["estimate_b"], n_a, n_b, sign, deff=deff, alpha=alpha, power=power, share=share
    )
    for end, idx in (("low", 0), ("high", 1)):
        end_a = bases.range_for(row_a["group_id"])[idx]
        end_b = (
            end_a
            if kind == ComparisonKind.BETWEEN_ITEMS
            else bases.range_for(row_b["group_id"])[idx]
        )
        try:
            at_end = _test_at(kind, value_a, value_b, end_a, end_b, **test_kw)["p_value"]
        except ValueError:  # e.g. no feasible share once the counts are re-rounded there
            at_end = math.nan
        out[f"p_value_{end}_base"] = at_end
    out["granular_a"] = _granular(row_a, value_a, n_a)
    out["granular_b"] = _granular(row_b, value_b, n_b)
    printed = value_a - value_b
    out["direction_printed"] = pd.NA if bound else bool(np.sign(round(printed, 9)) == sign)
    if "range" in uses:
        notes.insert(0, Note.RANGE_LEAST_FAVOURABLE)
    if printed == 0:
        notes.append(Note.PRINTED_EQUAL)
    elif sign != 0 and np.sign(printed) != sign:
        notes.append(Note.PRINTED_AGAINST)
    if kind == ComparisonKind.BETWEEN_ITEMS:
        notes.append(Note.OVERLAP_JOINT)
    elif kind == ComparisonKind.GROUP_VS_TOTAL:
        notes.append(Note.OVERLAP_SHARE)
    out["notes"] += notes
    if not math.isnan(change) and int_a[2] == int_b[2] == "exact":
        check, fields = _change_check(value_a, value_b, change)
        out["change_check"] = check.value
        out["_change_fields"] = fields
    return out


def _detail(rec: Mapping) -> str:
    """The notes and the change check of one audit row, in words."""
    parts = []
    for code in rec["notes"]:
        fields: dict[str, object] = {"stat_id_change": rec.get("stat_id_change")}
        if code in (Note.OVERLAP_JOINT, Note.OVERLAP_SHARE):
            fields["p_range"] = text.p_range_words(rec["p_value_min"], rec["p_value_max"])
            fields["low"] = text.format_pct(rec["overlap_low"])
            fields["high"] = text.format_pct(rec["overlap_high"])
        parts.append(text.note_words(code.value, **fields))
    if rec.get("change_check"):
        parts.append(text.change_check_words(rec["change_check"], **rec["_change_fields"]))
    return "; ".join(parts)


def statement_verdicts(audit: pd.DataFrame) -> pd.DataFrame:
    """Verdict of each statement: its weakest comparison (:data:`STATEMENT_ORDER`).

    Parameters
    ----------
    audit : pandas.DataFrame
        Rows with ``statement_id``, ``comparison_id`` and ``verdict``.

    Returns
    -------
    pandas.DataFrame
        One row per statement (first-appearance order): ``statement_id, statement_verdict,
        statement_failing`` (comparison_ids not supported, ``;``-separated), ``n_claims``.

    Examples
    --------
    >>> a = pd.DataFrame({"statement_id": ["s1", "s1", "s2"],
    ...                   "comparison_id": ["c1", "c2", "c3"],
    ...                   "verdict": ["supported", "not_distinguishable", "supported"]})
    >>> statement_verdicts(a)
      statement_id    statement_verdict statement_failing  n_claims
    0           s1  not_distinguishable                c2         2
    1           s2            supported                           1
    """
    rows = []
    for sid, grp in audit.groupby("statement_id", sort=False):
        present = {Verdict(v) for v in grp["verdict"]}
        worst = next(v for v in STATEMENT_ORDER if v in present)
        failing = grp.loc[grp["verdict"] != Verdict.SUPPORTED.value, "comparison_id"]
        rows.append((sid, worst.value, ";".join(failing), len(grp)))
    return pd.DataFrame(
        rows, columns=["statement_id", "statement_verdict", "statement_failing", "n_claims"]
    )


def audit_claims(
    claims: pd.DataFrame,
    published: pd.DataFrame,
    bases: Bases | None = None,
    level: float = 0.95,
    alpha: float = 0.05,
    deff: float = DEFAULT_DEFF,
    power: float = MDD_POWER,
) -> pd.DataFrame:
    """Test every claim of the register against the published numbers.

    Parameters
    ----------
    claims : pandas.DataFrame
        The register (``analysis.source.published.load_claims()``), in file order.
    published : pandas.DataFrame
        Published numbers (``analysis.source.published.load_published()``).
    bases : Bases, optional
        Assumed bases (default ``Bases()``: 274 whole sample, 68 per sector).
    level : float
        Confidence level of the intervals.
    alpha : float
        Significance level of the verdicts, ``flip_deff``, ``mdd`` and ``n_needed``.
    deff : float
        Design effect applied to every base (default :data:`DEFAULT_DEFF`).
    power : float
        Power of ``mdd``.

    Returns
    -------
    pandas.DataFrame
        One row per claim, columns :data:`AUDIT_COLUMNS` (described in the module docstring;
        proportions and differences on the 0-1 scale).

    Examples
    --------
    >>> pub = pd.DataFrame({
    ...     "stat_id": ["x-001", "x-002"], "wave": [2025, 2024], "group_id": ["all", "all"],
    ...     "item_id": ["optimism", "optimism"],
    ...     "measure": ["level", "level"], "value": [37.0, 50.0], "value_low": [np.nan] * 2,
    ...     "value_high": [np.nan] * 2, "value_text": ["37%", "50%"], "base_n": [pd.NA] * 2,
    ...     "status": ["published"] * 2})
    >>> cl = pd.DataFrame({
    ...     "claim_id": ["c01"], "statement_id": ["s01"], "doc_id": ["d"],
    ...     "kind": ["year_on_year"], "topic": ["optimism"], "compares": ["levels"],
    ...     "direction": ["decrease"], "stat_id_a": ["x-001"], "stat_id_b": ["x-002"],
    ...     "stat_id_change": [np.nan], "groups": ["all"]})
    >>> r = audit_claims(cl, pub, deff=1.0)
    >>> r[["statistic", "p_value", "flip_deff", "verdict"]].round(4)
       statistic  p_value  flip_deff    verdict
    0    -3.1026   0.0019     2.5058  supported
    """
    if not 0 < level < 1:
        raise ValueError(f"level={level!r} must lie strictly between 0 and 1")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha!r} must lie strictly between 0 and 1")
    deff = check_deff(deff)
    bases = bases if bases is not None else Bases()
    for column, valid in (("direction", Direction), ("kind", ComparisonKind)):
        bad = sorted(set(claims[column]) - {v.value for v in valid})
        if bad:
            raise DataValidationError(
                f"unknown {column}(s) {bad}; valid: {sorted(v.value for v in valid)}",
                file="claims.csv",
                column=column,
            )
    pub = published.set_index("stat_id", drop=False)
    pub.index.name = None
    records = []
    for pos, (_, claim) in enumerate(claims.iterrows()):
        rec = _audit_one(
            claim, pos + 2, pub, bases, level=level, alpha=alpha, deff=deff, power=power
        )
        rec["detail"] = _detail(rec)
        rec["notes"] = ";".join(n.value for n in rec["notes"])
        rec.pop("_change_fields", None)
        records.append(rec)
    out = pd.DataFrame(records).reindex(columns=AUDIT_COLUMNS)
    adj = adjust_pvalues(out["p_value"].astype(float).to_numpy())
    out["p_holm"], out["p_bh"] = adj["p_holm"].to_numpy(), adj["p_bh"].to_numpy()
    verdicts = statement_verdicts(out).set_index("statement_id")
    out["statement_verdict"] = out["statement_id"].map(verdicts["statement_verdict"])
    out["statement_failing"] = out["statement_id"].map(verdicts["statement_failing"])
    out[_FLOAT_COLUMNS] = out[_FLOAT_COLUMNS].astype(float)
    for col in _INT_COLUMNS:
        out[col] = pd.array(
            [pd.NA if v is None or pd.isna(v) else int(v) for v in out[col]], dtype="Int64"
        )
    for col in _BOOL_COLUMNS:
        out[col] = pd.array(
            [pd.NA if v is None or v is pd.NA or pd.isna(v) else bool(v) for v in out[col]],
            dtype="boolean",
        )
    for col in out.columns.difference(_FLOAT_COLUMNS + _INT_COLUMNS + _BOOL_COLUMNS):
        out[col] = out[col].map(lambda v: "" if v is None or pd.isna(v) else str(v)).astype(str)
    log.info("audited %d claims, %d tested", len(out), int(out["p_value"].notna().sum()))
    return out


def canonical(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit with every float through :func:`analysis.vocab.canonical_float` (to write)."""
    out = audit.copy()
    for col in _FLOAT_COLUMNS:
        out[col] = out[col].map(canonical_float).astype(float)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line ``build``: audit ``claims.csv`` and write ``<out>.csv`` and ``.parquet``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.audit.claims",
        description="Audit the WIG reports' comparative claims from their printed numbers.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write the claims audit table")
    build.add_argument("--raw", type=Path, default=paths.DATA_RAW, help="raw-data folder")
    build.add_argument("--out", type=Path, default=paths.DATA_PROCESSED / "claims_audit")
    build.add_argument("--level", type=float, default=0.95, help="confidence level")
    build.add_argument("--alpha", type=float, default=0.05, help="significance level")
    build.add_argument("--base-all", type=int, default=274, help="whole-sample base per wave")
    build.add_argument("--base-sector", type=int, default=68, help="base per sector per wave")
    build.add_argument(
        "--deff",
        type=float,
        default=DEFAULT_DEFF,
        help=f"design effect applied to every assumed base (default {DEFAULT_DEFF}: {DEFF_SOURCE})",
    )
    args = parser.parse_args(argv)
    try:
        claims = load_claims(raw_dir=args.raw)
        published = load_published(raw_dir=args.raw)
        bases = Bases(all=args.base_all, sector=args.base_sector)
        audit = audit_claims(
            claims, published, bases, level=args.level, alpha=args.alpha, deff=args.deff
        )
    except (DataValidationError, FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    csv_path, parquet_path = write_table(canonical(audit), args.out)
    print(f"wrote {csv_path} and {parquet_path} ({len(audit)} claims, DEFF {args.deff:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
