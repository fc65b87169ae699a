"""Inference from printed numbers: tests, intervals, design effects, dependent comparisons, MDD.

Independent samples: :func:`compare_proportions` / :func:`compare_percentages` (pooled z,
Newcombe interval, Fisher) and :func:`compare_independent` (the same at effective bases
``n / deff``). Dependent comparisons where only the margins are printed:
:func:`paired_test` (two options answered by the same respondents, known joint: McNemar z),
:func:`paired_joints` and :func:`compare_paired_margins` (every joint within the Fréchet
bounds of the two margins), :func:`group_vs_total_test` (a group inside the total, known
share) and :func:`group_vs_total_range` (share over a stated range). Design effect:
:func:`check_deff`, :func:`flip_deff` (the DEFF at which a test crosses alpha). Sample size:
:func:`min_detectable_difference` (MDD by base, design and DEFF), :func:`min_n_significant`,
:func:`power_two_proportions`.

Every public function returns a tidy :class:`pandas.DataFrame`, one row per
result. Columns use the project's fixed names wherever they apply:

``x``, ``n`` (and ``x_a, n_a, x_b, n_b``)
    Counts and bases (integers). ``estimate_a, estimate_b`` are the proportions ``x/n``.
``estimate``
    Point estimate (a proportion on the 0-1 scale).
``diff``
    ``estimate_a - estimate_b`` (or ``p_g - p_t``) on the 0-1 scale.
``se``
    Standard error: for a single proportion the Wald ``sqrt(p(1-p)/n)``; for
    a difference the pooled standard error used by the z test.
``ci_low, ci_high, level``
    Confidence interval and its level (0.95 = 95%). Differences use the
    Newcombe (1998) hybrid score interval (his method 10).
``z, p_value``
    Pooled two-proportion z statistic and its two-sided p-value. ``NaN`` when
    undefined (pooled proportion 0 or 1); ``note`` then says why.
``p_fisher``
    Two-sided Fisher exact p-value (scipy).
``p_holm, p_bh``
    Holm (1979) and Benjamini-Hochberg (1995) adjusted p-values (statsmodels
    ``multipletests``) over the family passed in.
``statistic, dof``
    Test statistic and degrees of freedom (chi-square tests).
``deff, n_eff`` (``n_eff_a``, ``n_eff_b``)
    Design effect applied and the effective bases ``n / deff``.
``p_value_min, p_value_max``
    Range of the p-value over an unknown dependence (joint answers of two options, or a
    group's share of the total); ``p_value``, ``z``, ``se`` there are those of the least
    favourable case (the largest p), ``ci_low``/``ci_high`` the union of the intervals.
``mdd``
    Minimum detectable difference (0-1, magnitude) at a target power.
``power``
    Power (0-1) of the two-sided test at ``alpha``.
``method``
    The method(s) behind the row, in words.

Scales: functions whose inputs are *published percentages* (``compare_percentages``,
``base_sensitivity``, ``granularity_*``, ``composition_bounds``) take 0-100; the power
functions take proportions on the 0-1 scale. Outputs are always on the 0-1 scale
except granularity and composition inputs echoed back.

>>> compare_proportions(137, 274, 101, 274)[["diff", "z", "p_value"]].round(4)
     diff       z  p_value
0  0.1314  3.1026   0.0019
"""

from __future__ import annotations

import itertools
import logging
import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.stats.contingency import association
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower, normal_power_het
from statsmodels.stats.proportion import (
    power_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
)

from analysis.errors import StatisticalWarning

__all__ = [
    "adjust_pvalues",
    "base_sensitivity",
    "check_deff",
    "chi2_independence",
    "compare_independent",
    "compare_paired_margins",
    "compare_percentages",
    "compare_proportions",
    "composition_bounds",
    "critical_z",
    "feasible_shares",
    "flip_deff",
    "granularity_bases",
    "granularity_consistent",
    "group_vs_total_range",
    "group_vs_total_test",
    "min_detectable_difference",
    "min_n_significant",
    "paired_joints",
    "percent_to_count",
    "paired_test",
    "pairwise_proportions",
    "power_two_proportions",
    "proportion_ci",
]

log = logging.getLogger(__name__)

#: Single-proportion interval methods: public name -> statsmodels ``proportion_confint`` name.
CI_METHODS: dict[str, str] = {
    "wilson": "wilson",
    "clopper-pearson": "beta",
    "exact": "beta",
    "beta": "beta",
    "agresti-coull": "agresti_coull",
    "jeffreys": "jeffreys",
}
_CI_CANONICAL = {"beta": "clopper-pearson", "agresti_coull": "agresti-coull"}

#: Rules for turning a published percentage into a count.
ROUNDING_RULES: dict[str, str] = {
    "nearest": "x = round_half_up(pct/100*n)",
    "half_even": "x = round_half_even(pct/100*n)",
}

#: p-value adjustment methods (statsmodels ``multipletests`` names) -> output column.
ADJUST_COLUMNS: dict[str, str] = {"holm": "p_holm", "fdr_bh": "p_bh", "bonferroni": "p_bonferroni"}

_COMPARE_METHOD = "pooled z; Newcombe hybrid score CI; Fisher exact"


# --------------------------------------------------------------------------- validation


def _check_level(level: float, name: str = "level") -> float:
    if not isinstance(level, int | float) or not 0 < float(level) < 1:
        raise ValueError(f"{name}={level!r} is invalid; use a number strictly between 0 and 1")
    return float(level)


def _as_int_array(name: str, value) -> np.ndarray:
    """Return ``value`` as an int64 array; floats (even 274.0) and bools are rejected."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu":
        raise ValueError(
            f"{name}={value!r} must be integer counts (got dtype {arr.dtype}); "
            f"pass Python or numpy ints, e.g. {name}=274"
        )
    return arr.astype(np.int64)


def _check_counts(x: np.ndarray, n: np.ndarray, xname: str, nname: str) -> None:
    if np.any(n <= 0):
        raise ValueError(f"{nname}={n.tolist()!r} must be positive bases (>= 1)")
    if np.any((x < 0) | (x > n)):
        raise ValueError(f"{xname}={x.tolist()!r} must lie in 0..{nname} ({n.tolist()!r})")


def _as_float_array(name: str, value, low: float, high: float) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(arr)) or np.any((arr < low) | (arr > high)):
        hint = " (power functions take proportions: 50% -> 0.5)" if high == 1 else ""
        raise ValueError(f"{name}={value!r} must lie in [{low:g}, {high:g}]{hint}")
    return arr


def _round_counts(pct: np.ndarray, n: np.ndarray, rounding: str) -> np.ndarray:
    """Counts implied by percentages at bases ``n`` (tolerant to binary float error)."""
    raw = pct / 100.0 * n
    if rounding == "nearest":
        return np.floor(raw + 0.5 + 1e-9).astype(np.int64)
    if rounding == "half_even":
        return np.round(np.round(raw, 9)).astype(np.int64)
    raise ValueError(f"rounding={rounding!r} is invalid; use one of {sorted(ROUNDING_RULES)}")


# --------------------------------------------------------------------------- counts


def percent_to_count(pct, n, rounding: str = "nearest"):
    """Respondents implied by a printed percentage at base ``n`` (see :data:`ROUNDING_RULES`).

    Examples
    --------
    >>> percent_to_count(37, 274), percent_to_count(12.5, 8)
    (101, 1)
    """
    n_arr = _as_int_array("n", n)
    if np.any(n_arr <= 0):
        raise ValueError(f"n={n!r} must be positive bases")
    out = _round_counts(_as_float_array("pct", pct, 0, 100), n_arr, rounding)
    return int(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- core arrays


def _pooled_z(x_a, n_a, x_b, n_b) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pooled two-proportion z (same as statsmodels ``proportions_ztest``), vectorised."""
    p_a, p_b = x_a / n_a, x_b / n_b
    pooled = (x_a + x_b) / (n_a + n_b)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (p_a - p_b) / np.where(se > 0, se, 1.0), np.nan)
    p_value = np.where(np.isnan(z), np.nan, 2 * stats.norm.sf(np.abs(z)))
    return p_a - p_b, se, z, p_value


def _newcombe(x_a, n_a, x_b, n_b, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe (1998) hybrid score interval (method 10) from two Wilson intervals.

    Equal to statsmodels ``confint_proportions_2indep(method="newcomb")`` (tested),
    but vectorised.
    """
    alpha = 1 - level
    l1, u1 = proportion_confint(x_a, n_a, alpha=alpha, method="wilson")
    l2, u2 = proportion_confint(x_b, n_b, alpha=alpha, method="wilson")
    p_a, p_b = x_a / n_a, x_b / n_b
    d = p_a - p_b
    low = d - np.sqrt((p_a - l1) ** 2 + (u2 - p_b) ** 2)
    high = d + np.sqrt((u1 - p_a) ** 2 + (p_b - l2) ** 2)
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


def _z_note(x_a, n_a, x_b, n_b) -> np.ndarray:
    pooled = (x_a + x_b) / (n_a + n_b)
    return np.where(
        pooled == 0,
        "z undefined: no successes in either group (pooled proportion 0)",
        np.where(
            pooled == 1, "z undefined: all successes in both groups (pooled proportion 1)", ""
        ),
    )


# --------------------------------------------------------------------------- intervals


def proportion_ci(x, n, method: str = "wilson", level: float = 0.95) -> pd.DataFrame:
    """Confidence interval for one proportion (or an array of them).

    Parameters
    ----------
    x, n : int or array of int
        Counts and bases (broadcast together).
    method : {"wilson", "clopper-pearson", "exact", "beta", "agresti-coull", "jeffreys"}
        Interval method (statsmodels ``proportion_confint``); "exact" and "beta" are
        aliases of Clopper-Pearson.
    level : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Columns ``x, n, estimate, se, ci_low, ci_high, level, method`` (see module docstring).

    Examples
    --------
    >>> proportion_ci(81, 263)[["estimate", "ci_low", "ci_high"]].round(4)
       estimate  ci_low  ci_high
    0     0.308  0.2553   0.3662
    """
    if method not in CI_METHODS:
        raise ValueError(f"method={method!r} is invalid; use one of {sorted(CI_METHODS)}")
    level = _check_level(level)
    x_arr, n_arr = np.broadcast_arrays(_as_int_array("x", x), _as_int_array("n", n))
    x_arr, n_arr = np.atleast_1d(x_arr), np.atleast_1d(n_arr)
    _check_counts(x_arr, n_arr, "x", "n")
    sm_method = CI_METHODS[method]
    low, high = proportion_confint(x_arr, n_arr, alpha=1 - level, method=sm_method)
    est = x_arr / n_arr
    return pd.DataFrame(
        {
            "x": x_arr,
            "n": n_arr,
            "estimate": est,
            "se": np.sqrt(est * (1 - est) / n_arr),
            "ci_low": np.clip(np.asarray(low, dtype=float), 0, 1),
            "ci_high": np.clip(np.asarray(high, dtype=float), 0, 1),
            "level": level,
            "method": _CI_CANONICAL.get(sm_method, sm_method),
        }
    )


# --------------------------------------------------------------------------- two groups


def _compare_frame(x_a, n_a, x_b, n_b, level: float, fisher: bool = True) -> pd.DataFrame:
    x_a, n_a, x_b, n_b = (np.atleast_1d(a) for a in np.broadcast_arrays(x_a, n_a, x_b, n_b))
    diff, se, z, p_value = _pooled_z(x_a, n_a, x_b, n_b)
    low, high = _newcombe(x_a, n_a, x_b, n_b, level)
    out = pd.DataFrame(
        {
            "x_a": x_a,
            "n_a": n_a,
            "x_b": x_b,
            "n_b": n_b,
            "estimate_a": x_a / n_a,
            "estimate_b": x_b / n_b,
            "diff": diff,
            "se": se,
            "ci_low": low,
            "ci_high": high,
            "level": level,
            "z": z,
            "p_value": p_value,
        }
    )
    if fisher:
        out["p_fisher"] = [
            stats.fisher_exact([[a, b - a], [c, d - c]]).pvalue
            for a, b, c, d in zip(x_a, n_a, x_b, n_b, strict=True)
        ]
    out["method"] = _COMPARE_METHOD if fisher else "pooled z; Newcombe hybrid score CI"
    out["note"] = _z_note(x_a, n_a, x_b, n_b)
    return out


def compare_proportions(x_a, n_a, x_b, n_b, level: float = 0.95) -> pd.DataFrame:
    """Compare two independent proportions ``x_a/n_a`` and ``x_b/n_b``.

    Pooled two-proportion z test (the classical one; equals statsmodels
    ``proportions_ztest`` and ``test_proportions_2indep(method="score",
    correction=False)``), the Newcombe (1998) hybrid score interval for
    ``p_a - p_b`` and the two-sided Fisher exact test.

    Parameters
    ----------
    x_a, n_a, x_b, n_b : int or array of int
        Counts and bases of the two groups (broadcast together).
    level : float
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``x_a, n_a, x_b, n_b, estimate_a, estimate_b, diff, se, ci_low, ci_high, level, z,
        p_value, p_fisher, method, note`` (see module docstring). ``z`` and
        ``p_value`` are NaN when the pooled proportion is 0 or 1; ``note`` says so.

    Warns
    -----
    StatisticalWarning
        When an expected cell count is below 5 (rely on ``p_fisher`` there).

    Examples
    --------
    >>> compare_proportions(56, 70, 48, 80)[["diff", "ci_low", "ci_high"]].round(4)
       diff  ci_low  ci_high
    0   0.2  0.0524   0.3339
    """
    level = _check_level(level)
    x_a, n_a = _as_int_array("x_a", x_a), _as_int_array("n_a", n_a)
    x_b, n_b = _as_int_array("x_b", x_b), _as_int_array("n_b", n_b)
    _check_counts(x_a, n_a, "x_a", "n_a")
    _check_counts(x_b, n_b, "x_b", "n_b")
    out = _compare_frame(x_a, n_a, x_b, n_b, level)
    pooled = (out["x_a"] + out["x_b"]) / (out["n_a"] + out["n_b"])
    min_expected = np.minimum(pooled, 1 - pooled) * np.minimum(out["n_a"], out["n_b"])
    if (min_expected < 5).any():
        warnings.warn(
            "an expected cell count is below 5: the z test is unreliable there; use p_fisher",
            StatisticalWarning,
            stacklevel=2,
        )
    return out


def compare_percentages(
    p_a,
    n_a,
    p_b,
    n_b,
    level: float = 0.95,
    rounding: str = "nearest",
    base_source: str = "assumed",
) -> pd.DataFrame:
    """Compare two *published percentages* at assumed bases.

    The percentages are turned into counts ``x = round(p/100*n)`` (the rule is
    reported in ``count_rule``), then :func:`compare_proportions` is applied.

    Parameters
    ----------
    p_a, p_b : float or array
        Published percentages, 0-100.
    n_a, n_b : int or array of int
        Bases (integers; floats such as ``274.0`` are rejected).
    level : float
        Confidence level.
    rounding : {"nearest", "half_even"}
        How to round ``p/100*n`` to a count ("nearest" rounds halves up).
    base_source : str
        Where the bases come from (passed through, e.g. "assumed: 274 per wave").

    Returns
    -------
    pandas.DataFrame
        Columns ``pct_a, pct_b`` (inputs), ``count_rule, base_source`` and all columns
        of :func:`compare_proportions` (``estimate_a, estimate_b`` there are ``x/n`` on the
        0-1 scale).

    Examples
    --------
    >>> r = compare_percentages(50, 274, 37, 274)
    >>> r[["x_a", "x_b", "z", "p_value"]].round(4)
        x_a   x_b       z  p_value
    0  137  101  3.1026   0.0019
    """
    if rounding not in ROUNDING_RULES:
        raise ValueError(f"rounding={rounding!r} is invalid; use one of {sorted(ROUNDING_RULES)}")
    n_a_arr, n_b_arr = _as_int_array("n_a", n_a), _as_int_array("n_b", n_b)
    pct_a = _as_float_array("p_a", p_a, 0, 100)
    pct_b = _as_float_array("p_b", p_b, 0, 100)
    if np.any(n_a_arr <= 0) or np.any(n_b_arr <= 0):
        raise ValueError(f"n_a={n_a!r}, n_b={n_b!r} must be positive bases")
    x_a = _round_counts(pct_a, n_a_arr, rounding)
    x_b = _round_counts(pct_b, n_b_arr, rounding)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        res = compare_proportions(x_a, n_a_arr, x_b, n_b_arr, level=level)
    res.insert(0, "pct_a", np.broadcast_to(pct_a, len(res)).astype(float))
    res.insert(1, "pct_b", np.broadcast_to(pct_b, len(res)).astype(float))
    res["count_rule"] = ROUNDING_RULES[rounding]
    res["base_source"] = base_source
    return res


# --------------------------------------------------------------------------- k groups


def chi2_independence(table, correction: bool = False) -> pd.DataFrame:
    """Pearson chi-square test of independence for an r x c table of counts.

    scipy ``chi2_contingency`` underneath. By default **no** Yates continuity
    correction is applied, whatever the table size (so a 2x2 statistic equals the
    square of the pooled z). ``correction=True`` applies Yates, which scipy only
    ever does for 2x2 tables (dof 1); it never corrects larger tables.

    Parameters
    ----------
    table : array-like or DataFrame of int
        Counts, e.g. groups in rows and ``[yes, no]`` in columns.
    correction : bool
        Apply the Yates correction (2x2 only).

    Returns
    -------
    pandas.DataFrame
        One row: ``statistic, dof, p_value, n, min_expected, cramers_v, method``.

    Warns
    -----
    StatisticalWarning
        When an expected count is below 5.

    Examples
    --------
    >>> chi2_independence([[137, 137], [101, 173]])[["statistic", "dof"]].round(3)
       statistic  dof
    0      9.626    1
    """
    arr = np.asarray(table)
    if arr.ndim != 2 or min(arr.shape) < 2:
        raise ValueError(f"table must be 2-D with at least 2 rows and 2 columns, got {arr.shape}")
    if arr.dtype.kind not in "iu" or np.any(arr < 0):
        raise ValueError(f"table must hold non-negative integer counts, got {arr.tolist()!r}")
    res = stats.chi2_contingency(arr, correction=correction)
    min_expected = float(np.min(res.expected_freq))
    if min_expected < 5:
        warnings.warn(
            f"smallest expected count is {min_expected:.2f} (< 5): chi-square approximation poor",
            StatisticalWarning,
            stacklevel=2,
        )
    yates = correction and res.dof == 1
    return pd.DataFrame(
        {
            "statistic": [float(res.statistic)],
            "dof": [int(res.dof)],
            "p_value": [float(res.pvalue)],
            "n": [int(arr.sum())],
            "min_expected": [min_expected],
            "cramers_v": [float(association(arr, method="cramer"))],
            "method": [
                "Pearson chi-square, "
                + ("Yates-corrected" if yates else "no continuity correction")
            ],
        }
    )


def adjust_pvalues(p, methods: Sequence[str] | str = ("holm", "fdr_bh")) -> pd.DataFrame:
    """Adjust a family of p-values for multiplicity (statsmodels ``multipletests``).

    NaN p-values (untestable rows) are kept as NaN and left out of the family.

    Parameters
    ----------
    p : array-like of float
        Raw p-values.
    methods : str or sequence of str
        ``multipletests`` method names; "holm" -> ``p_holm``, "fdr_bh" -> ``p_bh``,
        others -> ``p_<method>``.

    Returns
    -------
    pandas.DataFrame
        Columns ``p_value`` and one adjusted column per method.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005]).round(3)
       p_value  p_holm  p_bh
    0    0.010    0.03  0.02
    1    0.040    0.06  0.04
    2    0.030    0.06  0.04
    3    0.005    0.02  0.02
    """
    if isinstance(methods, str):
        methods = (methods,)
    arr = np.atleast_1d(np.asarray(p, dtype=float))
    ok = ~np.isnan(arr)
    if np.any((arr[ok] < 0) | (arr[ok] > 1)):
        raise ValueError(f"p={arr.tolist()!r} must lie in [0, 1] (NaN allowed)")
    out = pd.DataFrame({"p_value": arr})
    for method in methods:
        col = ADJUST_COLUMNS.get(method, f"p_{method}")
        adj = np.full(arr.shape, np.nan)
        if ok.any():
            if method == "holm":
                adj[ok] = holm(arr[ok])
                out[col] = adj
                continue
            try:
                adj[ok] = multipletests(arr[ok], method=method)[1]
            except ValueError as exc:
                raise ValueError(f"methods contains {method!r}, unknown to multipletests") from exc
        out[col] = adj
    return out


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's (1979) step-down adjusted p-values: ``max_{j<=i} min(1, (m - j + 1) p_(j))``.

    The same numbers as statsmodels ``multipletests(p, method="holm")[1]`` (tested on random
    families), without the ``gc.collect()`` that call makes each time (0.1 s apiece in a
    process holding a survey design: a banner of 33 rows spent 3.5 s in it).

    >>> holm(np.array([0.01, 0.04, 0.03, 0.005])).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    p = np.asarray(p, dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def pairwise_proportions(
    x,
    n,
    labels: Sequence[str] | None = None,
    method: Sequence[str] | str = "holm",
    level: float = 0.95,
) -> pd.DataFrame:
    """All pairwise comparisons of k proportions, multiplicity-adjusted.

    Parameters
    ----------
    x, n : array of int
        Counts and bases of the k groups.
    labels : sequence of str, optional
        Group names (default ``g1..gk``).
    method : str or sequence of str
        Adjustment method(s) passed to :func:`adjust_pvalues`.
    level : float
        Confidence level of the Newcombe intervals.

    Returns
    -------
    pandas.DataFrame
        One row per pair ``(group_a, group_b)`` with the columns of
        :func:`compare_proportions` (``diff = p_a - p_b``) plus ``p_holm`` etc.

    Examples
    --------
    >>> r = pairwise_proportions([30, 20, 10], [50, 50, 50], ["a", "b", "c"])
    >>> r[["group_a", "group_b", "p_holm"]].round(4)
      group_a group_b  p_holm
    0       a       b  0.0582
    1       a       c  0.0001
    2       b       c  0.0582
    """
    level = _check_level(level)
    x_arr, n_arr = _as_int_array("x", x), _as_int_array("n", n)
    if x_arr.ndim != 1 or x_arr.shape != n_arr.shape or len(x_arr) < 2:
        raise ValueError(f"x={x!r} and n={n!r} must be 1-D of the same length >= 2")
    _check_counts(x_arr, n_arr, "x", "n")
    labels = list(labels) if labels is not None else [f"g{i + 1}" for i in range(len(x_arr))]
    if len(labels) != len(x_arr) or len(set(labels)) != len(labels):
        raise ValueError(f"labels={labels!r} must be {len(x_arr)} distinct names")
    pairs = list(itertools.combinations(range(len(x_arr)), 2))
    i, j = (np.array(t) for t in zip(*pairs, strict=True))
    out = _compare_frame(x_arr[i], n_arr[i], x_arr[j], n_arr[j], level)
    out.insert(0, "group_a", [labels[k] for k in i])
    out.insert(1, "group_b", [labels[k] for k in j])
    adj = adjust_pvalues(out["p_value"].to_numpy(), methods=method)
    for col in adj.columns.drop("p_value"):
        out[col] = adj[col].to_numpy()
    return out[[c for c in out.columns if c not in ("method", "note")] + ["method", "note"]]


# --------------------------------------------------------------------------- design effect


def critical_z(alpha: float) -> float:
    """Two-sided critical value ``z_c`` of the standard normal at significance ``alpha``.

    Examples
    --------
    >>> round(critical_z(0.05), 4), round(critical_z(0.01), 4)
    (1.96, 2.5758)
    """
    return float(stats.norm.isf(_check_level(alpha, "alpha") / 2))


def check_deff(deff: float) -> float:
    """``deff`` as a float, or ``ValueError`` unless it is a finite number > 0.

    A design effect is the ratio of an estimate's variance under the design to its variance
    under simple random sampling with the same base; effective bases are ``n / deff``.
    Values below 1 are allowed (stratification can beat simple random sampling).

    Examples
    --------
    >>> check_deff(1.08)
    1.08
    """
    if isinstance(deff, bool) or not isinstance(deff, int | float | np.integer | np.floating):
        raise ValueError(f"deff={deff!r} must be a number > 0 (1 = simple random sampling)")
    value = float(deff)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"deff={deff!r} must be a finite number > 0 (1 = simple random sampling)")
    return value


def flip_deff(z, deff: float = 1.0, alpha: float = 0.05):
    """Design effect at which a z statistic crosses the two-sided critical value.

    Effective bases are ``n / DEFF`` on every side, so the statistic at design effect
    ``D`` is ``z_1 / sqrt(D)``, ``z_1 = z * sqrt(deff)`` being the statistic at ``DEFF = 1``
    (true of the pooled z, the McNemar z and the group-vs-total z: all proportions stay
    fixed and every variance scales with ``1 / n``). The test is significant
    (``p < alpha``) exactly when ``D < deff * (z / z_c)**2``: that value is returned.

    Parameters
    ----------
    z : float or array
        Statistic computed at design effect ``deff``.
    deff : float
        Design effect at which ``z`` was computed.
    alpha : float
        Two-sided significance level.

    Returns
    -------
    float or numpy.ndarray
        The flip point (``inf`` for an infinite ``z``); NaN where ``z`` is 0 or NaN, since
        such a statistic is significant at no design effect.

    Examples
    --------
    >>> round(flip_deff(2.040684, 1.0, 0.05), 4)  # communication 7% -> 12% at n = 274
    1.084
    """
    deff = check_deff(deff)
    zc = critical_z(alpha)
    arr = np.abs(np.asarray(z, dtype=float))
    with np.errstate(invalid="ignore"):
        out = np.where((arr > 0) & ~np.isnan(arr), deff * (arr / zc) ** 2, np.nan)
    return float(out) if out.ndim == 0 else out


def _two_sided_p(z: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(z), np.nan, 2 * stats.norm.sf(np.abs(z)))


# --------------------------------------------------------------------------- dependent tests


def compare_independent(
    x_a, n_a, x_b, n_b, *, deff: float = 1.0, level: float = 0.95
) -> pd.DataFrame:
    """Two independent proportions ``x/n`` compared at effective bases ``n / deff``.

    The proportions ``x/n`` are kept and every base is divided by ``deff``: pooled
    two-proportion z test (the score test; statsmodels ``proportions_ztest`` on the
    effective counts ``x/deff`` of ``n/deff``) and the Newcombe (1998) hybrid score interval
    from Wilson intervals at the effective bases. At ``deff = 1`` this is
    :func:`compare_proportions` without the Fisher test.

    Parameters
    ----------
    x_a, n_a, x_b, n_b : int or array of int
        Counts and (nominal) bases, broadcast together.
    deff : float
        Design effect applied to both bases.
    level : float
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``x_a, n_a, x_b, n_b, deff, n_eff_a, n_eff_b, estimate_a, estimate_b, diff, se,
        ci_low, ci_high, level, z, p_value, method``; ``se`` is the pooled standard error of
        ``diff`` under the null, ``z``/``p_value`` NaN when the pooled proportion is 0 or 1.

    Examples
    --------
    >>> r = compare_independent(33, 274, 19, 274, deff=1.08)
    >>> r[["n_eff_a", "z", "p_value"]].round(4)
       n_eff_a       z  p_value
    0  253.7037  1.9636   0.0496
    """
    level = _check_level(level)
    deff = check_deff(deff)
    x_a, n_a = _as_int_array("x_a", x_a), _as_int_array("n_a", n_a)
    x_b, n_b = _as_int_array("x_b", x_b), _as_int_array("n_b", n_b)
    _check_counts(x_a, n_a, "x_a", "n_a")
    _check_counts(x_b, n_b, "x_b", "n_b")
    x_a, n_a, x_b, n_b = (np.atleast_1d(a) for a in np.broadcast_arrays(x_a, n_a, x_b, n_b))
    e1, e2 = n_a / deff, n_b / deff
    diff, se, z, p_value = _pooled_z(x_a / deff, e1, x_b / deff, e2)
    low, high = _newcombe(x_a / deff, e1, x_b / deff, e2, level)
    return pd.DataFrame(
        {
            "x_a": x_a,
            "n_a": n_a,
            "x_b": x_b,
            "n_b": n_b,
            "deff": deff,
            "n_eff_a": e1,
            "n_eff_b": e2,
            "estimate_a": x_a / n_a,
            "estimate_b": x_b / n_b,
            "diff": diff,
            "se": se,
            "ci_low": low,
            "ci_high": high,
            "level": level,
            "z": z,
            "p_value": p_value,
            "method": "pooled z at n/deff; Newcombe hybrid score CI",
        }
    )


def paired_test(n11, n10, n01, n00, *, deff: float = 1.0, level: float = 0.95) -> pd.DataFrame:
    """Two proportions of the same respondents (e.g. two options of one tick-box question).

    ``n11`` chose both, ``n10`` only ``a``, ``n01`` only ``b``, ``n00`` neither;
    ``p_a = (n11 + n10) / n``, ``p_b = (n11 + n01) / n``, ``diff = p_a - p_b =
    (n10 - n01) / n``. The statistic is McNemar's, as a signed z without continuity
    correction, ``z = (n10 - n01) / sqrt((n10 + n01) * deff)`` (its square is statsmodels
    ``mcnemar(table, exact=False, correction=False).statistic`` at ``deff = 1``); ``se`` is
    its null standard error ``sqrt(n10 + n01) / n * sqrt(deff)``. The interval is Wald with
    the paired variance ``[(n10 + n01) - (n10 - n01)**2 / n] / n**2 * deff`` (the
    multinomial variance of ``p_a - p_b``), clipped to [-1, 1]. With no discordant pair
    there is no evidence of a difference: ``z = 0``, ``p = 1``.

    Parameters
    ----------
    n11, n10, n01, n00 : int or array of int
        The joint counts (broadcast together).
    deff : float
        Design effect: every count is divided by it.
    level : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Columns ``n11, n10, n01, n00, n, deff, n_eff, estimate_a, estimate_b, diff, se, se_wald,
        ci_low, ci_high, level, z, p_value, method``.

    Examples
    --------
    >>> paired_test(112, 55, 50, 57)[["diff", "z", "p_value"]].round(4)
         diff      z  p_value
    0  0.0182  0.488   0.6256
    """
    level = _check_level(level)
    deff = check_deff(deff)
    cells = [
        _as_int_array(name, v)
        for name, v in zip(("n11", "n10", "n01", "n00"), (n11, n10, n01, n00), strict=True)
    ]
    if any(np.any(c < 0) for c in cells):
        raise ValueError(f"joint counts {[c.tolist() for c in cells]!r} must be >= 0")
    a11, a10, a01, a00 = (np.atleast_1d(c) for c in np.broadcast_arrays(*cells))
    n = a11 + a10 + a01 + a00
    if np.any(n <= 0):
        raise ValueError("each joint table needs at least one respondent")
    disc, net = (a10 + a01).astype(float), (a10 - a01).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(disc > 0, net / np.sqrt(disc * deff), 0.0)
    var_wald = np.maximum(disc - net**2 / n, 0.0) / n**2 * deff
    zq = stats.norm.isf((1 - level) / 2)
    diff = net / n
    se_wald = np.sqrt(var_wald)
    return pd.DataFrame(
        {
            "n11": a11,
            "n10": a10,
            "n01": a01,
            "n00": a00,
            "n": n,
            "deff": deff,
            "n_eff": n / deff,
            "estimate_a": (a11 + a10) / n,
            "estimate_b": (a11 + a01) / n,
            "diff": diff,
            "se": np.sqrt(disc * deff) / n,
            "se_wald": se_wald,
            "ci_low": np.clip(diff - zq * se_wald, -1, 1),
            "ci_high": np.clip(diff + zq * se_wald, -1, 1),
            "level": level,
            "z": z,
            "p_value": _two_sided_p(z),
            "method": "McNemar z (no continuity correction) at n/deff; Wald paired CI",
        }
    )


def paired_joints(x_a: int, x_b: int, n: int, *, deff: float = 1.0, level: float = 0.95):
    """:func:`paired_test` at every joint table consistent with the margins ``x_a, x_b`` of ``n``.

    When only the two margins are printed (``x_a`` of ``n`` chose ``a``, ``x_b`` chose
    ``b``), the number choosing both can be any integer in the Fréchet bounds
    ``max(0, x_a + x_b - n) <= n11 <= min(x_a, x_b)``; one row per such ``n11``.

    Examples
    --------
    >>> g = paired_joints(167, 162, 274)
    >>> g[["n11", "p_value"]].agg(["min", "max"]).round(4)
         n11  p_value
    min   55   0.0253
    max  162   0.7355
    """
    x_a_i, x_b_i, n_i = (
        int(_as_int_array(k, v)) for k, v in (("x_a", x_a), ("x_b", x_b), ("n", n))
    )
    _check_counts(np.array([x_a_i, x_b_i]), np.array([n_i, n_i]), "x_a, x_b", "n")
    n11 = np.arange(max(0, x_a_i + x_b_i - n_i), min(x_a_i, x_b_i) + 1, dtype=np.int64)
    return paired_test(
        n11, x_a_i - n11, x_b_i - n11, n_i - x_a_i - x_b_i + n11, deff=deff, level=level
    )


def _range_summary(grid: pd.DataFrame, joint: str) -> dict[str, object]:
    """Least and most favourable rows of a grid over an unknown dependence (by |z|)."""
    absz = grid["z"].abs().to_numpy()
    least, most = int(np.nanargmin(absz)), int(np.nanargmax(absz))
    lo, hi = grid.iloc[least], grid.iloc[most]
    return {
        "z": float(lo["z"]),
        "z_max": float(hi["z"]),
        "p_value": float(lo["p_value"]),
        "p_value_min": float(hi["p_value"]),
        "p_value_max": float(lo["p_value"]),
        "se": float(lo["se"]),
        "ci_low": float(grid["ci_low"].min()),
        "ci_high": float(grid["ci_high"].max()),
        f"{joint}_least": lo[joint],
        f"{joint}_most": hi[joint],
        f"{joint}_low": grid[joint].min(),
        f"{joint}_high": grid[joint].max(),
    }


def compare_paired_margins(
    x_a: int, x_b: int, n: int, *, deff: float = 1.0, level: float = 0.95
) -> pd.DataFrame:
    """Paired comparison from the two margins only: the range over every consistent joint.

    The McNemar statistic has a fixed numerator ``x_a - x_b`` and grows as the number of
    discordant respondents ``x_a + x_b - 2 n11`` shrinks, so the smallest p-value is at the
    largest ``n11`` (most overlap) and the largest at the smallest. ``p_value``, ``z``,
    ``se`` are those of the least favourable joint (largest p: the p-value valid whatever the
    overlap); ``ci_low``/``ci_high`` the union of the intervals over every joint.

    Parameters
    ----------
    x_a, x_b : int
        Respondents choosing option ``a`` and option ``b``.
    n : int
        Respondents answering (the same for both options).
    deff, level : float
        Design effect applied to ``n`` and every count; confidence level.

    Returns
    -------
    pandas.DataFrame
        One row: ``x_a, x_b, n, deff, n_eff, estimate_a, estimate_b, diff, se, ci_low, ci_high,
        level, z, z_max, p_value, p_value_min, p_value_max, n11_low, n11_high`` (Fréchet bounds),
        ``n11_least, n11_most`` (joints of ``p_value_max`` and ``p_value_min``), ``method``.

    Examples
    --------
    >>> r = compare_paired_margins(167, 162, 274)  # 61% and 59% of 274
    >>> r[["diff", "p_value_min", "p_value_max"]].round(4)
         diff  p_value_min  p_value_max
    0  0.0182       0.0253       0.7355
    """
    grid = paired_joints(x_a, x_b, n, deff=deff, level=level)
    first = grid.iloc[0]
    out = {
        "x_a": int(x_a),
        "x_b": int(x_b),
        "n": int(n),
        "deff": first["deff"],
        "n_eff": first["n_eff"],
        "estimate_a": first["estimate_a"],
        "estimate_b": first["estimate_b"],
        "diff": first["diff"],
        "level": first["level"],
    }
    out.update(_range_summary(grid, "n11"))
    out["method"] = "McNemar z over the Fréchet bounds of the joint, at n/deff; Wald paired CI"
    return pd.DataFrame([out])


def _group_vs_total(p_g, p_t, n_t, share, level: float) -> dict[str, np.ndarray]:
    """Core of the group-vs-total test on proportions and (effective) total base."""
    p_g, p_t, n_t, s = (
        np.asarray(v, dtype=float) for v in np.broadcast_arrays(p_g, p_t, n_t, share)
    )
    n_g, n_r = s * n_t, (1 - s) * n_t
    p_r = (p_t - s * p_g) / (1 - s)
    diff_rest, se_rest, z, p_value = _pooled_z(p_g * n_g, n_g, p_r * n_r, n_r)
    low, high = _newcombe(p_g * n_g, n_g, p_r * n_r, n_r, level)
    return {
        "share": s,
        "n_g": n_g,
        "p_g": p_g,
        "p_t": p_t,
        "p_rest": p_r,
        "diff": p_g - p_t,
        "se": (1 - s) * se_rest,
        "ci_low": (1 - s) * low,
        "ci_high": (1 - s) * high,
        "z": z,
        "p_value": p_value,
    }


def group_vs_total_test(x_g, n_g, x_t, n_t, *, deff: float = 1.0, level: float = 0.95):
    """A group against the total it belongs to (overlapping samples), overlap known.

    The group's ``n_g`` respondents are among the total's ``n_t``; the rest are
    ``n_t - n_g`` with ``x_t - x_g`` positive answers. ``p_g - p_t = (1 - s)(p_g - p_rest)``
    with ``s = n_g / n_t``, so ``p_g = p_t`` exactly when ``p_g = p_rest``: the statistic
    is the pooled z of group against rest (statsmodels ``proportions_ztest([x_g, x_t -
    x_g], [n_g, n_t - n_g])``), its pooled proportion being ``p_t``; ``se`` and the interval
    (Newcombe for group minus rest) are scaled by ``1 - s`` to the scale of ``p_g - p_t``.
    Bases are divided by ``deff``.

    Returns
    -------
    pandas.DataFrame
        Columns ``x_g, n_g, x_t, n_t, deff, share, p_g, p_t, p_rest, diff, se, ci_low,
        ci_high, level, z, p_value, method``.

    Examples
    --------
    >>> group_vs_total_test(44, 68, 150, 274)[["share", "diff", "z", "p_value"]].round(4)
        share    diff       z  p_value
    0  0.2482  0.0996  1.9033    0.057
    """
    level = _check_level(level)
    deff = check_deff(deff)
    arrs = [
        _as_int_array(k, v) for k, v in (("x_g", x_g), ("n_g", n_g), ("x_t", x_t), ("n_t", n_t))
    ]
    xg, ng, xt, nt = (np.atleast_1d(a) for a in np.broadcast_arrays(*arrs))
    _check_counts(xg, ng, "x_g", "n_g")
    _check_counts(xt, nt, "x_t", "n_t")
    if np.any(ng >= nt):
        raise ValueError(f"n_g={ng.tolist()!r} must be smaller than n_t={nt.tolist()!r}")
    if np.any((xt - xg < 0) | (xt - xg > nt - ng)):
        raise ValueError(
            f"x_t - x_g must lie in 0..n_t - n_g (the rest of the total); got x_g={xg.tolist()}, "
            f"x_t={xt.tolist()}"
        )
    core = _group_vs_total(xg / ng, xt / nt, nt / deff, ng / nt, level)
    out = pd.DataFrame({"x_g": xg, "n_g": ng, "x_t": xt, "n_t": nt, "deff": deff})
    for key in ("share", "p_g", "p_t", "p_rest", "diff", "se", "ci_low", "ci_high"):
        out[key] = core[key]
    out["level"] = level
    out["z"], out["p_value"] = core["z"], core["p_value"]
    out["method"] = "pooled z of group vs rest at n/deff; Newcombe CI scaled by (1 - share)"
    return out


def feasible_shares(p_g: float, p_t: float) -> tuple[float, float]:
    """Shares ``s`` of the total that a group with proportion ``p_g`` can have.

    The rest's proportion ``(p_t - s p_g) / (1 - s)`` must lie in [0, 1]:
    ``s <= p_t / p_g`` and ``s <= (1 - p_t) / (1 - p_g)``.

    Examples
    --------
    >>> feasible_shares(0.64, 0.40)
    (0.0, 0.625)
    """
    p_g = float(_as_float_array("p_g", p_g, 0, 1))
    p_t = float(_as_float_array("p_t", p_t, 0, 1))
    high = 1.0
    if p_g > 0:
        high = min(high, p_t / p_g)
    if p_g < 1:
        high = min(high, (1 - p_t) / (1 - p_g))
    return 0.0, high


def group_vs_total_range(
    p_g: float,
    p_t: float,
    n_t: float,
    share_range: tuple[float, float],
    *,
    deff: float = 1.0,
    level: float = 0.95,
    grid_size: int = 201,
) -> pd.DataFrame:
    """Group against total when the group's share of the total is only known to lie in a range.

    For each share ``s`` (a grid over ``share_range`` intersected with
    :func:`feasible_shares`, both ends included) the group has ``s * n_t`` respondents and the
    test is :func:`group_vs_total_test` on the proportions ``p_g``, ``p_t``. The statistic
    ``(p_g - p_t) sqrt(n_t s / ((1 - s) p_t (1 - p_t)))`` grows with ``s``, so the least
    favourable share is the smallest.

    Parameters
    ----------
    p_g, p_t : float
        Proportions (0-1) of the group and of the total.
    n_t : float
        Base of the total (nominal; divided by ``deff``).
    share_range : (float, float)
        Stated range of the group's share of the total, ``0 < low <= high < 1``.
    deff, level : float
        Design effect and confidence level.
    grid_size : int
        Shares evaluated (the ends are always included).

    Returns
    -------
    pandas.DataFrame
        One row: ``p_g, p_t, n_t, deff, diff, se, ci_low, ci_high, level, z, z_max, p_value,
        p_value_min, p_value_max, share_low, share_high`` (the feasible range used),
        ``share_least, share_most``, ``method``; ``ValueError`` when no share in the range
        is consistent with the two proportions.

    Examples
    --------
    >>> r = group_vs_total_range(0.64, 0.50, 274, (0.15, 0.5))
    >>> r[["share_low", "share_high", "p_value_min", "p_value_max"]].round(4)
       share_low  share_high  p_value_min  p_value_max
    0       0.15         0.5          0.0       0.0515
    """
    level = _check_level(level)
    deff = check_deff(deff)
    low, high = (float(v) for v in share_range)
    if not 0 < low <= high < 1:
        raise ValueError(f"share_range={share_range!r} must satisfy 0 < low <= high < 1")
    n_t = float(n_t)
    if not math.isfinite(n_t) or n_t <= 0:
        raise ValueError(f"n_t={n_t!r} must be a positive base")
    _, feasible_high = feasible_shares(p_g, p_t)
    high = min(high, feasible_high)
    if high < low:
        raise ValueError(
            f"no share in {share_range!r} is consistent with p_g={p_g!r} inside p_t={p_t!r} "
            f"(largest feasible share {feasible_high:.4g})"
        )
    shares = np.unique(np.concatenate([np.linspace(low, high, grid_size), [low, high]]))
    core = _group_vs_total(p_g, p_t, n_t / deff, shares, level)
    grid = pd.DataFrame(
        {k: core[k] for k in ("share", "diff", "se", "ci_low", "ci_high", "z", "p_value")}
    )
    out: dict[str, object] = {
        "p_g": float(p_g),
        "p_t": float(p_t),
        "n_t": n_t,
        "deff": deff,
        "diff": float(p_g) - float(p_t),
        "level": level,
    }
    if grid["z"].isna().all():
        out.update(z=math.nan, z_max=math.nan, p_value=math.nan, p_value_min=math.nan)
        out.update(p_value_max=math.nan, se=0.0, ci_low=math.nan, ci_high=math.nan)
        out.update(share_least=low, share_most=high, share_low=low, share_high=high)
    else:
        out.update(_range_summary(grid, "share"))
    out["method"] = "pooled z of group vs rest over the share range, at n/deff; scaled Newcombe CI"
    return pd.DataFrame([out])


# --------------------------------------------------------------------------- power


def power_two_proportions(
    p_a: float, p_b: float, n_a: int, n_b: int | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """Power of the two-sided two-proportion test at true proportions ``p_a, p_b``.

    Two methods, one row each: the pooled z test exactly as tested here
    (statsmodels ``power_proportions_2indep``: pooled variance under the null,
    unpooled under the alternative) and Cohen's h with ``NormalIndPower``.

    Parameters
    ----------
    p_a, p_b : float
        True proportions, 0-1 scale.
    n_a : int
        Base of group 1.
    n_b : int, optional
        Base of group 2 (default ``n_a``).
    alpha : float
        Two-sided significance level.

    Returns
    -------
    pandas.DataFrame
        Columns ``p_a, p_b, diff, n_a, n_b, alpha, effect_size, power, method``;
        ``effect_size`` is Cohen's h (both rows).

    Examples
    --------
    >>> power_two_proportions(0.50, 0.37, 274)[["method", "power"]].round(3)
                method  power
    0  pooled_z_normal  0.868
    1   cohen_h_normal  0.868
    """
    p_a_f = float(_as_float_array("p_a", p_a, 0, 1))
    p_b_f = float(_as_float_array("p_b", p_b, 0, 1))
    alpha = _check_level(alpha, "alpha")
    n_a_i = int(_as_int_array("n_a", n_a))
    n_b_i = n_a_i if n_b is None else int(_as_int_array("n_b", n_b))
    if n_a_i <= 0 or n_b_i <= 0:
        raise ValueError(f"n_a={n_a!r}, n_b={n_b!r} must be positive")
    h = float(proportion_effectsize(p_a_f, p_b_f))
    pw_z = power_proportions_2indep(
        p_a_f - p_b_f, p_b_f, n_a_i, ratio=n_b_i / n_a_i, alpha=alpha, return_results=False
    )
    pw_h = NormalIndPower().power(h, nobs1=n_a_i, alpha=alpha, ratio=n_b_i / n_a_i)
    return pd.DataFrame(
        {
            "p_a": p_a_f,
            "p_b": p_b_f,
            "diff": p_a_f - p_b_f,
            "n_a": n_a_i,
            "n_b": n_b_i,
            "alpha": alpha,
            "effect_size": h,
            "power": [float(pw_z), float(pw_h)],
            "method": ["pooled_z_normal", "cohen_h_normal"],
        }
    )


def min_n_significant(
    p_a: float, p_b: float, alpha: float = 0.05, n_max: int | None = None
) -> pd.DataFrame:
    """Smallest equal per-group base at which an observed pair is significant.

    For every integer ``n`` from 2 to ``n_max`` the counts are rebuilt as in
    :func:`compare_percentages` (``x = round_half_up(p*n)``) and the pooled z test
    is run. Because of that rounding, significance is not monotone in ``n``: the
    result gives both the first ``n`` at which the pair is significant
    (``n_first``) and the ``n`` from which it stays significant up to ``n_max``
    (``n_stable``); ``n_flips`` counts the non-significant bases in between.
    ``n_approx`` is the continuous normal-approximation answer.

    Parameters
    ----------
    p_a, p_b : float
        Observed proportions, 0-1 scale (50% -> 0.5).
    alpha : float
        Two-sided significance level (significant means ``p_value < alpha``).
    n_max : int, optional
        Search limit (default ``max(1000, 4 * n_approx)``).

    Returns
    -------
    pandas.DataFrame
        One row: ``p_a, p_b, diff, alpha, n_first, n_stable, n_flips, n_approx,
        n_max, method``; ``n_first``/``n_stable`` are ``<NA>`` if never reached.

    Examples
    --------
    >>> min_n_significant(0.50, 0.37)[["n_first", "n_stable"]]
       n_first  n_stable
    0      101       111
    """
    p_a_f = float(_as_float_array("p_a", p_a, 0, 1))
    p_b_f = float(_as_float_array("p_b", p_b, 0, 1))
    alpha = _check_level(alpha, "alpha")
    diff = p_a_f - p_b_f
    pbar = (p_a_f + p_b_f) / 2
    zc = stats.norm.isf(alpha / 2)
    n_approx = zc**2 * 2 * pbar * (1 - pbar) / diff**2 if diff != 0 and 0 < pbar < 1 else math.inf
    if n_max is None:
        n_max = int(max(1000, 4 * n_approx)) if math.isfinite(n_approx) else 1000
    n_max = int(_as_int_array("n_max", n_max))
    if n_max < 2:
        raise ValueError(f"n_max={n_max} must be >= 2")
    n = np.arange(2, n_max + 1, dtype=np.int64)
    x_a = _round_counts(np.full(n.shape, p_a_f * 100), n, "nearest")
    x_b = _round_counts(np.full(n.shape, p_b_f * 100), n, "nearest")
    _, _, _, pv = _pooled_z(x_a, n, x_b, n)
    sig = np.nan_to_num(pv, nan=1.0) < alpha
    n_first = n_stable = pd.NA
    n_flips = 0
    if sig.any():
        n_first = int(n[np.argmax(sig)])
        if sig[-1]:
            not_sig = np.flatnonzero(~sig)
            n_stable = int(n[not_sig[-1] + 1]) if len(not_sig) else int(n[0])
            n_flips = int(np.sum(~sig[(n >= n_first) & (n < n_stable)]))
    if n_stable is pd.NA:
        log.info("p_a=%s p_b=%s never stably significant up to n=%d", p_a_f, p_b_f, n_max)
    return pd.DataFrame(
        {
            "p_a": [p_a_f],
            "p_b": [p_b_f],
            "diff": [diff],
            "alpha": [alpha],
            "n_first": pd.array([n_first], dtype="Int64"),
            "n_stable": pd.array([n_stable], dtype="Int64"),
            "n_flips": [n_flips],
            "n_approx": [n_approx],
            "n_max": [n_max],
            "method": ["pooled z, equal bases, counts round_half_up(p*n)"],
        }
    )


#: Designs :func:`min_detectable_difference` knows (what the two proportions are).
MDD_DESIGNS = ("independent", "paired", "group_vs_total")


def _mdd_ses(design: str, p_b: float, d: float, n_a: float, n_b: float, share: float | None):
    """Numerator, null and alternative standard errors of the statistic at ``p_a = p_b + d``."""
    p_a = p_b + d
    if design == "independent":
        pooled = (p_a * n_a + p_b * n_b) / (n_a + n_b)
        se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
        se1 = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
        return d, se0, se1
    if design == "paired":  # least favourable joint: the most discordant one
        psi = p_a + p_b - 2 * max(0.0, p_a + p_b - 1)
        return d, math.sqrt(psi / n_a), math.sqrt(max(psi - d * d, 0.0) / n_a)
    # group vs total: p_b is the total, n_a the total's base, the group a share of it
    s = float(share)
    n_g, n_r = s * n_a, (1 - s) * n_a
    p_r = (p_b - s * p_a) / (1 - s)
    se0 = math.sqrt(p_b * (1 - p_b) * (1 / n_g + 1 / n_r))
    se1 = math.sqrt(p_a * (1 - p_a) / n_g + p_r * (1 - p_r) / n_r)
    return d / (1 - s), se0, se1


def _mdd_limit(design: str, p_b: float, sign: int, share: float | None) -> float:
    limit = (1 - p_b) if sign > 0 else p_b
    if design == "group_vs_total":
        s = float(share)
        rest = p_b * (1 - s) / s if sign > 0 else (1 - p_b) * (1 - s) / s
        limit = min(limit, rest)
    return limit


def min_detectable_difference(
    p_base: float,
    n,
    *,
    n_b=None,
    deff: float = 1.0,
    alpha: float = 0.05,
    power: float = 0.8,
    direction: str = "both",
    design: str = "independent",
    share: float | None = None,
) -> pd.DataFrame:
    """Minimum detectable difference (MDD) by base: the smallest true difference a test finds.

    The MDD is the smallest ``|p_a - p_base|`` that the two-sided test at ``alpha`` detects
    with probability ``power`` (normal approximation, statsmodels ``normal_power_het``: the
    statistic's standard error under the null and under the alternative), at effective
    bases ``n / deff``. It depends on the bases and the design, not on an observed result,
    so it says what a survey of that size could have shown (unlike power at the observed
    effect, which is a function of the p-value).

    ``design``:

    * ``"independent"``: ``p_a`` on base ``n``, ``p_base`` on ``n_b`` (default ``n``),
      pooled z (equals statsmodels ``power_proportions_2indep``);
    * ``"paired"``: two options answered by the same ``n`` respondents, McNemar z at the least
      favourable joint (the most discordant one the margins allow), so the MDD holds
      whatever the overlap (Connor 1987 variances);
    * ``"group_vs_total"``: ``p_base`` is the total on base ``n``, ``p_a`` a group forming
      ``share`` of it; the MDD is of ``p_a - p_base``.

    Parameters
    ----------
    p_base : float
        Proportion of the comparison side (0-1).
    n : int, float or array
        Nominal base(s) of side ``a`` (the total for ``group_vs_total``); one row per base.
    n_b : int, float or array, optional
        Nominal base of the comparison side (independent design only; default ``n``).
    deff : float
        Design effect: effective bases are ``n / deff``.
    alpha, power : float
        Two-sided significance level and target power.
    direction : {"both", "increase", "decrease"}
        Direction(s) of the alternative.
    design : {"independent", "paired", "group_vs_total"}
        See above.
    share : float, optional
        The group's share of the total (``group_vs_total`` only), ``0 < share < 1``.

    Returns
    -------
    pandas.DataFrame
        One row per base and direction: ``n, n_b, deff, n_eff, n_b_eff, p_base, direction,
        p_alt, mdd`` (``|p_alt - p_base|``, NaN when even the largest possible difference
        is detected with less than ``power``), ``alpha, power, design, share, method``.

    Examples
    --------
    >>> r = min_detectable_difference(0.5, [68, 274], direction="decrease", deff=1.08)
    >>> r[["n", "n_eff", "mdd"]].round(4)
         n     n_eff     mdd
    0   68   62.9630  0.2401
    1  274  253.7037  0.1231
    """
    if design not in MDD_DESIGNS:
        raise ValueError(f"design={design!r} is invalid; use one of {list(MDD_DESIGNS)}")
    directions = {"both": (1, -1), "increase": (1,), "decrease": (-1,)}
    if direction not in directions:
        raise ValueError(f"direction={direction!r} is invalid; use one of {sorted(directions)}")
    p_b = float(_as_float_array("p_base", p_base, 0, 1))
    deff = check_deff(deff)
    alpha = _check_level(alpha, "alpha")
    power = _check_level(power, "power")
    n_arr = np.atleast_1d(np.asarray(n, dtype=float))
    nb_arr = n_arr if n_b is None else np.broadcast_to(np.asarray(n_b, dtype=float), n_arr.shape)
    if np.any(~np.isfinite(n_arr)) or np.any(n_arr <= 1) or np.any(nb_arr <= 1):
        raise ValueError(f"n={n!r} and n_b={n_b!r} must be bases > 1")
    if design != "independent" and n_b is not None:
        raise ValueError(f"n_b is only used by the independent design, not {design!r}")
    if design == "group_vs_total":
        if share is None or not 0 < float(share) < 1:
            raise ValueError(
                f"share={share!r} must lie strictly between 0 and 1 for group_vs_total"
            )
    elif share is not None:
        raise ValueError(f"share is only used by design='group_vs_total', not {design!r}")
    rows = []
    for n_i, nb_i in zip(n_arr, nb_arr, strict=True):
        e_a, e_b = n_i / deff, nb_i / deff
        for sign in directions[direction]:

            def gap(d: float, sign: int = sign, e_a: float = e_a, e_b: float = e_b) -> float:
                num, se0, se1 = _mdd_ses(design, p_b, sign * d, e_a, e_b, share)
                if se1 == 0:
                    return (1.0 if abs(num) > critical_z(alpha) * se0 else 0.0) - power
                pw = normal_power_het(abs(num), 1, alpha, std_null=se0, std_alternative=se1)
                return float(pw) - power

            limit = _mdd_limit(design, p_b, sign, share)
            eps = 1e-9
            mdd = math.nan
            if limit > 2 * eps and gap(limit - eps) > 0:
                mdd = float(optimize.brentq(gap, eps, limit - eps, xtol=1e-12))
            rows.append(
                {
                    "n": n_i,
                    "n_b": nb_i,
                    "deff": deff,
                    "n_eff": e_a,
                    "n_b_eff": e_b,
                    "p_base": p_b,
                    "direction": "increase" if sign > 0 else "decrease",
                    "p_alt": p_b + sign * mdd,
                    "mdd": mdd,
                    "alpha": alpha,
                    "power": power,
                    "design": design,
                    "share": math.nan if share is None else float(share),
                    "method": f"normal approximation ({design}), effective bases n/deff",
                }
            )
    out = pd.DataFrame(rows)
    if np.all(n_arr == np.round(n_arr)):
        out["n"] = out["n"].astype(np.int64)
    if np.all(nb_arr == np.round(nb_arr)):
        out["n_b"] = out["n_b"].astype(np.int64)
    return out


def base_sensitivity(
    p_a,
    p_b,
    n_a_range: Sequence[int],
    n_b_range: Sequence[int] | None = None,
    level: float = 0.95,
    rounding: str = "nearest",
) -> pd.DataFrame:
    """How a comparison of two published percentages depends on the assumed bases.

    Parameters
    ----------
    p_a, p_b : float
        Published percentages (0-100).
    n_a_range : sequence of int
        Bases to try for group 1.
    n_b_range : sequence of int, optional
        Bases for group 2; if omitted, ``n_b = n_a`` (equal bases, one row per value),
        otherwise the full grid.
    level : float
        Confidence level.
    rounding : {"nearest", "half_even"}
        Count rule as in :func:`compare_percentages`.

    Returns
    -------
    pandas.DataFrame
        Columns ``n_a, n_b, x_a, x_b, diff, ci_low, ci_high, z, p_value, level``.

    Examples
    --------
    >>> base_sensitivity(50, 37, [100, 274])[["n_a", "z", "p_value"]].round(3)
        n_a      z  p_value
    0  100  1.854    0.064
    1  274  3.103    0.002
    """
    level = _check_level(level)
    pct_a = float(_as_float_array("p_a", p_a, 0, 100))
    pct_b = float(_as_float_array("p_b", p_b, 0, 100))
    n_a_arr = np.atleast_1d(_as_int_array("n_a_range", n_a_range))
    if n_b_range is None:
        n_a_g, n_b_g = n_a_arr, n_a_arr
    else:
        n_b_arr = np.atleast_1d(_as_int_array("n_b_range", n_b_range))
        n_a_g, n_b_g = (a.ravel() for a in np.meshgrid(n_a_arr, n_b_arr, indexing="ij"))
    if np.any(n_a_g <= 0) or np.any(n_b_g <= 0):
        raise ValueError("n_a_range and n_b_range must hold positive bases")
    x_a = _round_counts(np.full(n_a_g.shape, pct_a), n_a_g, rounding)
    x_b = _round_counts(np.full(n_b_g.shape, pct_b), n_b_g, rounding)
    res = _compare_frame(x_a, n_a_g, x_b, n_b_g, level, fisher=False)
    cols = ["n_a", "n_b", "x_a", "x_b", "diff", "ci_low", "ci_high", "z", "p_value", "level"]
    return res[cols]


# --------------------------------------------------------------------------- granularity


def _scaled_percent(percent: float, decimals: int) -> int:
    if not isinstance(decimals, int | np.integer) or decimals < 0:
        raise ValueError(f"decimals={decimals!r} must be a non-negative integer")
    p = float(percent)
    if not 0 <= p <= 100:
        raise ValueError(f"percent={percent!r} must lie in [0, 100]")
    scaled = p * 10**decimals
    if abs(scaled - round(scaled)) > 1e-6:
        raise ValueError(f"percent={percent!r} has more than decimals={decimals} decimal places")
    return round(scaled)


def _k_range(scaled: int, decimals: int, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer k with |100 k / n - scaled / 10**d| <= 0.5 / 10**d (exact integer arithmetic).

    Both ends are inclusive, so a value exactly halfway counts under either
    rounding convention (the lenient reading).
    """
    den = 200 * 10**decimals
    k_lo = -((-(2 * scaled * n - n)) // den)  # ceil
    k_hi = (2 * scaled * n + n) // den
    return np.maximum(k_lo, 0), np.minimum(k_hi, n)


def granularity_bases(percent: float, decimals: int, n_range: Sequence[int]) -> pd.DataFrame:
    """GRIM-style check: which bases ``n`` can produce the printed percentage.

    A base ``n`` is consistent when some integer ``k`` in ``0..n`` has ``100 k / n``
    rounding to the printed value at ``decimals`` places (halves count either way).

    Parameters
    ----------
    percent : float
        Printed percentage, e.g. 75.3.
    decimals : int
        Decimals printed (75.3 -> 1, 12 -> 0).
    n_range : sequence of int
        Bases to check.

    Returns
    -------
    pandas.DataFrame
        Columns ``n, consistent, k_low, k_high`` (``k_*`` are ``<NA>`` when no k fits).

    Examples
    --------
    >>> granularity_bases(75.3, 1, [273, 274, 275])
         n  consistent  k_low  k_high
    0  273       False   <NA>    <NA>
    1  274       False   <NA>    <NA>
    2  275        True    207     207
    """
    scaled = _scaled_percent(percent, decimals)
    n = np.atleast_1d(_as_int_array("n_range", n_range))
    if np.any(n <= 0):
        raise ValueError(f"n_range={n_range!r} must hold positive bases")
    k_lo, k_hi = _k_range(scaled, int(decimals), n)
    ok = k_lo <= k_hi
    return pd.DataFrame(
        {
            "n": n,
            "consistent": ok,
            "k_low": pd.Series(k_lo, dtype="Int64").where(ok, pd.NA).array,
            "k_high": pd.Series(k_hi, dtype="Int64").where(ok, pd.NA).array,
        }
    )


def granularity_consistent(percent: float, decimals: int, n: int) -> bool:
    """Whether a printed percentage is attainable as ``k/n`` (see :func:`granularity_bases`).

    Examples
    --------
    >>> granularity_consistent(75.3, 1, 274), granularity_consistent(50, 0, 274)
    (False, True)
    """
    return bool(granularity_bases(percent, decimals, [n])["consistent"].iloc[0])


# --------------------------------------------------------------------------- composition


def composition_bounds(
    overall: float,
    sector_values: Mapping[str, float],
    decimals: int = 0,
    overall_decimals: int = 0,
    n_total: int | None = None,
) -> pd.DataFrame:
    """Feasible sample shares of each sector given rounded sector and overall percentages.

    Each printed value ``v`` is only known to lie in ``[v - h, v + h]`` with
    ``h = 0.5 / 10**decimals`` (clipped to 0-100). Shares ``w_s >= 0``, ``sum w = 1``
    are feasible when some sector values in their intervals average (weighted by
    ``w``) to a value in the overall interval ``[L, U]``. For fixed ``w`` the attainable
    overall values form ``[sum w l, sum w u]``, so feasibility is exactly the linear
    pair ``sum w l <= U`` and ``sum w u >= L``; each share is then minimised and
    maximised with scipy ``linprog``. Assumes the overall figure is the
    respondent-weighted average of the sector figures (same question, same base).

    Parameters
    ----------
    overall : float
        Printed overall percentage.
    sector_values : mapping of str to float
        Printed percentage per sector.
    decimals, overall_decimals : int
        Decimals printed for the sector values and the overall value.
    n_total : int, optional
        Total base; adds ``n_min = ceil(share_min * n_total)`` and
        ``n_max = floor(share_max * n_total)`` (bounds of the LP relaxation).

    Returns
    -------
    pandas.DataFrame
        Columns ``sector, value, share_min, share_max`` and, with ``n_total``,
        ``n_min, n_max``.

    Raises
    ------
    ValueError
        When no shares reproduce the overall value (the figures are inconsistent).

    Examples
    --------
    >>> composition_bounds(50, {"a": 40, "b": 60})[["sector", "share_min", "share_max"]]
      sector  share_min  share_max
    0      a       0.45       0.55
    1      b       0.45       0.55
    """
    if len(sector_values) < 2:
        raise ValueError(f"sector_values={sector_values!r} needs at least two sectors")
    names = list(sector_values)
    vals = np.array([float(sector_values[s]) for s in names])
    for s, v in zip(names, vals, strict=True):
        _scaled_percent(v, decimals)
        log.debug("sector %s value %s", s, v)
    _scaled_percent(overall, overall_decimals)
    h, h_all = 0.5 / 10**decimals, 0.5 / 10**overall_decimals
    low, high = np.clip(vals - h, 0, 100), np.clip(vals + h, 0, 100)
    big_l, big_u = max(float(overall) - h_all, 0.0), min(float(overall) + h_all, 100.0)
    k = len(names)
    a_ub = np.vstack([low, -high])
    b_ub = np.array([big_u, -big_l])
    a_eq, b_eq = np.ones((1, k)), np.array([1.0])
    rows = []
    for i, name in enumerate(names):
        bounds = []
        for sign in (1, -1):
            c = np.zeros(k)
            c[i] = sign
            res = optimize.linprog(
                c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs"
            )
            if res.status != 0:
                raise ValueError(
                    f"overall={overall!r} cannot be reproduced from sector_values="
                    f"{dict(sector_values)!r} at decimals={decimals}: {res.message}"
                )
            bounds.append(sign * res.fun)
        rows.append((name, vals[i], float(bounds[0]), float(bounds[1])))
    out = pd.DataFrame(rows, columns=["sector", "value", "share_min", "share_max"])
    out[["share_min", "share_max"]] = out[["share_min", "share_max"]].clip(0, 1).round(12)
    if n_total is not None:
        n_t = int(_as_int_array("n_total", n_total))
        out["n_min"] = np.ceil(out["share_min"] * n_t - 1e-9).astype(int)
        out["n_max"] = np.floor(out["share_max"] * n_t + 1e-9).astype(int)
    return out
