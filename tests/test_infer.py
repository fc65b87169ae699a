"""Tests of analysis.stats.proportions against published tables, statsmodels and scipy.

References
----------
[N98a] Newcombe RG (1998). Two-sided confidence intervals for the single proportion:
       comparison of seven methods. Stat Med 17:857-872, Table I (methods 3 = Wilson score,
       5 = Clopper-Pearson exact), printed to 4 decimals.
[N98b] Newcombe RG (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. Stat Med 17:873-890, Table II, method 10
       (hybrid score, no continuity correction), printed to 4 decimals.
Printed values are rounded to 4 decimals, so they are compared with tolerance 5e-5.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    power_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)
from statsmodels.stats.proportion import test_proportions_2indep as sm_score_test

from analysis.errors import StatisticalWarning
from analysis.stats import proportions as infer

PRINTED = 5e-5  # half a unit in the 4th decimal

# [N98b] Table II, method 10: (x1, n1, x2, n2) -> (lower, upper) for p1 - p2.
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]

# [N98a] Table I: (x, n) -> Wilson (method 3) and Clopper-Pearson (method 5) limits.
NEWCOMBE_TABLE_I = [
    ((81, 263), (0.2553, 0.3662), (0.2527, 0.3676)),
    ((15, 148), (0.0624, 0.1605), (0.0578, 0.1617)),
    ((0, 20), (0.0000, 0.1611), (0.0000, 0.1684)),
    ((1, 29), (0.0061, 0.1718), (0.0009, 0.1776)),
]


def _compare(*args, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        return infer.compare_proportions(*args, **kwargs)


# ------------------------------------------------------------------ single proportion


@pytest.mark.parametrize(("xn", "wilson", "exact"), NEWCOMBE_TABLE_I)
def test_proportion_ci_matches_newcombe_table_i(xn, wilson, exact):
    x, n = xn
    w = infer.proportion_ci(x, n, "wilson").iloc[0]
    assert (w.ci_low, w.ci_high) == pytest.approx(wilson, abs=PRINTED)
    for alias in ("clopper-pearson", "exact", "beta"):
        cp = infer.proportion_ci(x, n, alias).iloc[0]
        assert (cp.ci_low, cp.ci_high) == pytest.approx(exact, abs=PRINTED)
        assert cp.method == "clopper-pearson"


def test_proportion_ci_vectorised_matches_statsmodels():
    x = np.array([0, 1, 15, 81, 29, 137])
    n = np.array([20, 29, 148, 263, 29, 274])
    for name, sm in (("agresti-coull", "agresti_coull"), ("jeffreys", "jeffreys")):
        got = infer.proportion_ci(x, n, name, level=0.9)
        low, high = proportion_confint(x, n, alpha=0.1, method=sm)
        np.testing.assert_allclose(got["ci_low"], np.clip(low, 0, 1), atol=1e-12)
        np.testing.assert_allclose(got["ci_high"], np.clip(high, 0, 1), atol=1e-12)
        assert list(got["level"]) == [0.9] * len(x)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x": 3, "n": 10, "method": "wald"}, "method='wald'"),
        ({"x": 3, "n": 10.0}, "integer counts"),
        ({"x": 11, "n": 10}, "x=.* must lie in 0..n"),
        ({"x": 3, "n": 10, "level": 95}, "level=95"),
    ],
)
def test_proportion_ci_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        infer.proportion_ci(**kwargs)


# ------------------------------------------------------------------ two proportions


@pytest.mark.parametrize(("counts", "limits"), NEWCOMBE_TABLE_II)
def test_newcombe_interval_matches_table_ii_and_statsmodels(counts, limits):
    row = _compare(*counts).iloc[0]
    assert (row.ci_low, row.ci_high) == pytest.approx(limits, abs=PRINTED)
    sm_low, sm_high = confint_proportions_2indep(*counts, method="newcomb")
    assert (row.ci_low, row.ci_high) == pytest.approx((sm_low, sm_high), abs=1e-10)


def test_compare_grid_matches_statsmodels_and_scipy():
    # Every 2x2 table from a small grid, including 0/10 vs 0/20 and 10/10 vs 0/20.
    cases = [
        (x1, n1, x2, n2)
        for n1, n2 in [(10, 20), (7, 7), (30, 11)]
        for x1, x2 in itertools.product(range(0, n1 + 1, 3 if n1 > 10 else 1), [0, n2 // 2, n2])
    ]
    cases += [(0, 10, 0, 20), (10, 10, 0, 20), (137, 274, 101, 274)]
    x1, n1, x2, n2 = (np.array(c) for c in zip(*cases, strict=True))
    got = _compare(x1, n1, x2, n2)
    for i, (a, b, c, d) in enumerate(cases):
        row = got.iloc[i]
        low, high = confint_proportions_2indep(a, b, c, d, method="newcomb")
        assert (row.ci_low, row.ci_high) == pytest.approx((low, high), abs=1e-10)
        fisher = stats.fisher_exact([[a, b - a], [c, d - c]]).pvalue
        assert row.p_fisher == pytest.approx(fisher, rel=1e-12)
        if 0 < a + c < b + d:
            z, p = proportions_ztest([a, c], [b, d])
            assert (row.z, row.p_value) == pytest.approx((z, p), rel=1e-10)
            # the pooled z is the score test without the N/(N-1) correction
            with np.errstate(divide="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                score = sm_score_test(a, b, c, d, method="score", correction=False)
            assert row.z == pytest.approx(score.statistic, rel=1e-10)
            assert row.note == ""
        else:
            assert math.isnan(row.z) and math.isnan(row.p_value)
            assert row.note.startswith("z undefined")


def test_compare_edge_cases_do_not_crash():
    zero = _compare(0, 10, 0, 20).iloc[0]
    assert math.isnan(zero.z) and "pooled proportion 0" in zero.note
    assert zero.p_fisher == 1.0 and zero["diff"] == 0.0
    full = _compare(10, 10, 0, 20).iloc[0]
    # pooled p = 1/3, se = sqrt(1/3 * 2/3 * (1/10 + 1/20)); z = 1/se (hand computation)
    assert full.z == pytest.approx(1 / math.sqrt(1 / 3 * 2 / 3 * 0.15), rel=1e-12)
    # Fisher: only one table as extreme, P = 1 / C(30, 10)
    assert full.p_fisher == pytest.approx(1 / math.comb(30, 10), rel=1e-9)
    with pytest.warns(StatisticalWarning, match="expected cell count"):
        infer.compare_proportions(0, 10, 0, 20)


def test_private_optimism_drop_at_274_per_wave():
    # 2025 report: private-sector optimism 50% (2024) -> 37% (2025); bases assumed 274 each.
    row = infer.compare_percentages(50, 274, 37, 274, base_source="assumed 274").iloc[0]
    assert (row.x_a, row.x_b) == (137, 101)
    z, p = proportions_ztest([137, 101], [274, 274])
    assert row.z == pytest.approx(z, rel=1e-12)
    assert 3.07 <= row.z <= 3.11 and row.p_value == pytest.approx(0.0019, abs=1e-4)
    assert row.count_rule == "x = round_half_up(pct/100*n)"
    assert row.base_source == "assumed 274"


def test_compare_percentages_rounding_and_validation():
    # 12.5% of 8 = 1 exactly; 62.5% of 8 = 5; 2.5% of 10 = 0.25 -> 0 (hand)
    r = infer.compare_percentages(12.5, 8, 62.5, 8).iloc[0]
    assert (r.x_a, r.x_b) == (1, 5)
    half = infer.compare_percentages(25, 2, 75, 2).iloc[0]  # 0.5 and 1.5
    assert (half.x_a, half.x_b) == (1, 2)
    even = infer.compare_percentages(25, 2, 75, 2, rounding="half_even").iloc[0]
    assert (even.x_a, even.x_b) == (0, 2)
    with pytest.raises(ValueError, match="integer counts"):
        infer.compare_percentages(50, 274.0, 37, 274)
    with pytest.raises(ValueError, match="rounding='up'"):
        infer.compare_percentages(50, 274, 37, 274, rounding="up")
    with pytest.raises(ValueError, match=r"p_a=150"):
        infer.compare_percentages(150, 274, 37, 274)


# ------------------------------------------------------------------ k groups


def test_chi2_independence_matches_scipy_and_z_squared():
    two = infer.chi2_independence([[137, 137], [101, 173]]).iloc[0]
    z, _ = proportions_ztest([137, 101], [274, 274])
    assert two.statistic == pytest.approx(z**2, rel=1e-10)
    assert two.dof == 1 and two.method.endswith("no continuity correction")
    yates = infer.chi2_independence([[137, 137], [101, 173]], correction=True).iloc[0]
    ref = stats.chi2_contingency([[137, 137], [101, 173]])  # scipy default: Yates for 2x2
    assert yates.statistic == pytest.approx(ref.statistic, rel=1e-12)
    table = np.array([[17, 51], [13, 55], [22, 46], [25, 43]])
    four = infer.chi2_independence(table, correction=True).iloc[0]
    ref = stats.chi2_contingency(table, correction=False)
    assert (four.statistic, four.p_value, four.dof) == pytest.approx(
        (ref.statistic, ref.pvalue, 3), rel=1e-12
    )
    assert four.method == "Pearson chi-square, no continuity correction"
    assert four.cramers_v == pytest.approx(math.sqrt(ref.statistic / table.sum()), rel=1e-12)
    with pytest.warns(StatisticalWarning, match="expected count"):
        infer.chi2_independence([[1, 9], [3, 7]])


def test_adjust_pvalues_hand_computed():
    # Holm (1979): sorted 0.005, 0.01, 0.03, 0.04 -> 4*.005, 3*.01, 2*.03, max(1*.04, .06)
    # BH (1995): 4/1*.005, 4/2*.01, 4/3*.03, 4/4*.04, then cumulative minimum from the top.
    # Same numbers as R: p.adjust(c(.01, .04, .03, .005), "holm") / "BH".
    got = infer.adjust_pvalues([0.01, 0.04, 0.03, 0.005, np.nan])
    np.testing.assert_allclose(got["p_holm"][:4], [0.03, 0.06, 0.06, 0.02], atol=1e-12)
    np.testing.assert_allclose(got["p_bh"][:4], [0.02, 0.04, 0.04, 0.02], atol=1e-12)
    assert got.iloc[4].isna()[["p_holm", "p_bh"]].all()
    with pytest.raises(ValueError, match="nonsense"):
        infer.adjust_pvalues([0.1, 0.2], methods="nonsense")


def test_pairwise_proportions_matches_statsmodels():
    x, n = [30, 20, 10, 25], [50, 50, 50, 60]
    got = infer.pairwise_proportions(x, n, list("abcd"), method=("holm", "fdr_bh"))
    assert list(zip(got.group_a, got.group_b, strict=True)) == list(
        itertools.combinations("abcd", 2)
    )
    raw = [
        proportions_ztest([x[i], x[j]], [n[i], n[j]])[1]
        for i, j in itertools.combinations(range(4), 2)
    ]
    np.testing.assert_allclose(got["p_value"], raw, rtol=1e-10)
    np.testing.assert_allclose(got["p_holm"], multipletests(raw, method="holm")[1], rtol=1e-12)
    np.testing.assert_allclose(got["p_bh"], multipletests(raw, method="fdr_bh")[1], rtol=1e-12)


# ------------------------------------------------------------------ power and bases


def test_power_two_proportions_against_fleiss_formula():
    p1, p2, n = 0.50, 0.37, 274
    got = infer.power_two_proportions(p1, p2, n).set_index("method")["power"]
    # Normal-approximation power of the pooled z test (Fleiss, Levin & Paik 2003, eq. 4.14):
    pbar, zc = (p1 + p2) / 2, stats.norm.isf(0.025)
    s0, s1 = math.sqrt(2 * pbar * (1 - pbar) / n), math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n)
    ref = stats.norm.cdf((abs(p1 - p2) - zc * s0) / s1) + stats.norm.cdf(
        (-abs(p1 - p2) - zc * s0) / s1
    )
    assert got["pooled_z_normal"] == pytest.approx(ref, rel=1e-10)
    # Cohen's h: h = 2 asin(sqrt p1) - 2 asin(sqrt p2), power = Phi(h sqrt(n/2) - z) + ...
    h = 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))
    ref_h = stats.norm.cdf(h * math.sqrt(n / 2) - zc) + stats.norm.cdf(-h * math.sqrt(n / 2) - zc)
    assert got["cohen_h_normal"] == pytest.approx(ref_h, rel=1e-10)
    with pytest.raises(ValueError, match="proportions: 50% -> 0.5"):
        infer.power_two_proportions(50, 37, 274)


def test_min_n_significant_private_optimism():
    got = infer.min_n_significant(0.50, 0.37).iloc[0]
    assert (got.n_first, got.n_stable) == (101, 111)
    assert got.n_approx == pytest.approx(111.73, abs=0.01)

    # Independent check with statsmodels on the rebuilt counts round_half_up(p * n).
    def p_at(n: int) -> float:
        return proportions_ztest([math.floor(0.5 * n + 0.5), math.floor(0.37 * n + 0.5)], [n, n])[1]

    assert p_at(100) > 0.05 and p_at(101) < 0.05 and p_at(102) > 0.05  # not monotone
    assert p_at(110) > 0.05
    assert all(p_at(n) < 0.05 for n in range(111, 400))
    assert got.n_flips == sum(p_at(n) >= 0.05 for n in range(101, 111))
    never = infer.min_n_significant(0.5, 0.5, n_max=50).iloc[0]
    assert pd.isna(never.n_first) and pd.isna(never.n_stable)


def test_base_sensitivity_equal_and_grid():
    eq = infer.base_sensitivity(50, 37, [100, 111, 274])
    ref = infer.compare_percentages(50, np.array([100, 111, 274]), 37, np.array([100, 111, 274]))
    np.testing.assert_allclose(eq["z"], ref["z"], rtol=1e-12)
    np.testing.assert_allclose(eq["ci_low"], ref["ci_low"], rtol=1e-12)
    grid = infer.base_sensitivity(64, 50, range(50, 70), range(20, 40, 5))
    assert len(grid) == 20 * 4 and set(grid.columns) >= {"n_a", "n_b", "diff", "z", "p_value"}
    row = grid[(grid.n_a == 68) & (grid.n_b == 35)].iloc[0]
    z, _ = proportions_ztest([round(0.64 * 68), round(0.50 * 35 + 1e-9)], [68, 35])
    assert row.z == pytest.approx(z, rel=1e-12)


# ------------------------------------------------------------------ granularity


@pytest.mark.parametrize(
    ("percent", "decimals", "n", "consistent", "k"),
    [
        # hand-checked: 206/274 = 75.18%, 207/274 = 75.55% -> 75.3 impossible at 274
        (75.3, 1, 274, False, None),
        (75.3, 1, 275, True, 207),  # 207/275 = 75.27% -> 75.3
        # 160/274 = 58.39%, 161/274 = 58.76% -> 58.6 impossible at 274
        (58.6, 1, 274, False, None),
        (58.6, 1, 273, True, 160),  # 160/273 = 58.61% -> 58.6
        # 25/274 = 9.12%, 26/274 = 9.49% -> 9.4 impossible at 274
        (9.4, 1, 274, False, None),
        (9.4, 1, 276, True, 26),  # 26/276 = 9.42% -> 9.4
        (37, 0, 274, True, (101, 102)),  # 101/274 = 36.86%, 102/274 = 37.23% -> 37
        (13, 0, 8, True, 1),  # 1/8 = 12.5% exactly: a tie counts under either convention
        (12, 0, 8, True, 1),
        (20, 0, 8, False, None),  # 1/8 = 12.5, 2/8 = 25
    ],
)
def test_granularity(percent, decimals, n, consistent, k):
    assert infer.granularity_consistent(percent, decimals, n) is consistent
    row = infer.granularity_bases(percent, decimals, [n]).iloc[0]
    if k is None:
        assert pd.isna(row.k_low)
    else:
        k_low, k_high = k if isinstance(k, tuple) else (k, k)
        assert (row.k_low, row.k_high) == (k_low, k_high)


def test_granularity_brute_force_and_validation():
    # Brute force over k with exact rationals: |100k/n - v| <= half a unit of the last decimal.
    from fractions import Fraction

    for percent, decimals in [(75.3, 1), (9.4, 1), (29, 0), (12, 0)]:
        v, half = Fraction(str(percent)), Fraction(1, 2 * 10**decimals)
        got = infer.granularity_bases(percent, decimals, range(1, 400)).set_index("n")
        for n in range(1, 400):
            ks = [k for k in range(n + 1) if abs(Fraction(100 * k, n) - v) <= half]
            assert got.loc[n, "consistent"] == bool(ks)
    # every integer percentage is attainable once n >= 100 (steps of 100/n <= 1 point)
    assert infer.granularity_bases(37, 0, range(100, 300))["consistent"].all()
    with pytest.raises(ValueError, match="more than decimals=0"):
        infer.granularity_consistent(9.4, 0, 274)


# ------------------------------------------------------------------ composition


def test_composition_bounds_two_sectors_known_answer():
    # overall 50 (49.5-50.5), a=40 (39.5-40.5), b=60 (59.5-60.5), w_b = 1 - w_a:
    # 59.5 - 20 w_a <= 50.5 -> w_a >= 0.45 ; 60.5 - 20 w_a >= 49.5 -> w_a <= 0.55.
    got = infer.composition_bounds(50, {"a": 40, "b": 60}, n_total=100).set_index("sector")
    assert got.loc["a", ["share_min", "share_max"]].tolist() == pytest.approx([0.45, 0.55])
    assert got.loc["b", ["n_min", "n_max"]].tolist() == [45, 55]


def test_composition_bounds_three_sectors_and_infeasible():
    # overall 20, a=10, b=30, c=20. c alone reproduces 20 so c in [0, 1]; a mixed with b:
    # 10.5 w_a + 30.5 (1 - w_a) >= 19.5 -> w_a <= 0.55 (mixing with c only allows 0.1).
    got = infer.composition_bounds(20, {"a": 10, "b": 30, "c": 20}).set_index("sector")
    assert got["share_min"].tolist() == pytest.approx([0, 0, 0], abs=1e-9)
    assert got["share_max"].tolist() == pytest.approx([0.55, 0.55, 1.0], abs=1e-9)
    # one decimal: a=10.0 in [9.95, 10.05], b=30.0; overall 20.0 in [19.95, 20.05]
    one = infer.composition_bounds(20.0, {"a": 10.0, "b": 30.0}, 1, 1).set_index("sector")
    # 30.05 - 20 w_a >= 19.95 -> w_a <= 10.1/20 ; 29.95 - 20 w_a <= 20.05 -> w_a >= 9.9/20
    assert one.loc["a", "share_max"] == pytest.approx(0.505, abs=1e-9)
    assert one.loc["a", "share_min"] == pytest.approx(0.495, abs=1e-9)
    with pytest.raises(ValueError, match="cannot be reproduced"):
        infer.composition_bounds(50, {"a": 10, "b": 20})


# ------------------------------------------------------------------ design effect


def test_critical_z_and_flip_deff_round_trip():
    for alpha in (0.1, 0.05, 0.01):
        assert infer.critical_z(alpha) == pytest.approx(stats.norm.ppf(1 - alpha / 2), rel=1e-12)
    # communication 7% -> 12% at 274 per wave: 19 and 33 respondents (round half up)
    z1, _ = proportions_ztest([33, 19], [274, 274])  # statsmodels, a = 2025, b = 2024
    flip = infer.flip_deff(z1, 1.0, 0.05)
    assert flip == pytest.approx(1.0841, abs=5e-5)  # issue 11: "flips at a design effect of 1.084"
    # at the flip point the statsmodels p-value on the effective counts is exactly alpha
    _, p_at = proportions_ztest([33 / flip, 19 / flip], [274 / flip, 274 / flip])
    assert p_at == pytest.approx(0.05, rel=1e-9)
    # computed at another DEFF, the flip point is the same
    z_108 = infer.compare_independent(33, 274, 19, 274, deff=1.08).z.iloc[0]
    assert infer.flip_deff(z_108, 1.08, 0.05) == pytest.approx(flip, rel=1e-12)
    assert np.isnan(infer.flip_deff(0.0)) and np.isnan(infer.flip_deff(np.nan))
    np.testing.assert_allclose(infer.flip_deff([2.0, -2.0], 1.5, 0.1), 1.5 * (2 / 1.6448536) ** 2)
    for bad in (0, -1, float("inf"), float("nan"), "1.08", True):
        with pytest.raises(ValueError, match="deff="):
            infer.check_deff(bad)


@pytest.mark.parametrize("deff", [1.0, 1.08, 1.5, 0.8])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_compare_independent_matches_statsmodels_on_effective_counts(deff, level):
    cases = [(33, 274, 19, 274), (101, 274, 137, 274), (25, 68, 34, 68), (11, 68, 3, 90)]
    x1, n1, x2, n2 = (np.array(c) for c in zip(*cases, strict=True))
    got = infer.compare_independent(x1, n1, x2, n2, deff=deff, level=level)
    for row, (a, b, c, d) in zip(got.itertuples(), cases, strict=True):
        e = (a / deff, b / deff, c / deff, d / deff)
        z, p = proportions_ztest([e[0], e[2]], [e[1], e[3]])  # statsmodels on n/deff
        assert (row.z, row.p_value) == pytest.approx((z, p), rel=1e-10)
        low, high = confint_proportions_2indep(*e, method="newcomb", alpha=1 - level)
        assert (row.ci_low, row.ci_high) == pytest.approx((low, high), abs=1e-10)
        assert row.n_eff_a == pytest.approx(b / deff) and row.estimate_a == a / b
    if deff == 1.0:
        ref = _compare(x1, n1, x2, n2, level=level)
        np.testing.assert_allclose(got["z"], ref["z"], rtol=1e-12)
        np.testing.assert_allclose(got["ci_low"], ref["ci_low"], rtol=1e-12)


# ------------------------------------------------------------------ paired (same respondents)

# Known joints (n11, n10, n01, n00): both options, only a, only b, neither.
JOINTS = [(112, 55, 50, 57), (162, 5, 0, 107), (55, 112, 107, 0), (30, 12, 3, 55), (9, 1, 1, 9)]


@pytest.mark.parametrize("deff", [1.0, 1.08, 1.5])
def test_paired_test_matches_mcnemar_and_multinomial_variance(deff):
    got = infer.paired_test(*(np.array(c) for c in zip(*JOINTS, strict=True)), deff=deff)
    for row, (a, b, c, d) in zip(got.itertuples(), JOINTS, strict=True):
        table = np.array([[a, b], [c, d]], dtype=float) / deff
        ref = mcnemar(table, exact=False, correction=False)  # statsmodels, at n/deff
        assert row.z**2 == pytest.approx(ref.statistic, rel=1e-10)
        assert row.p_value == pytest.approx(ref.pvalue, rel=1e-10)
        assert np.sign(row.z) == np.sign(b - c)
        # paired variance: the multinomial variance of mean(A - B) over n respondents
        # (numpy on the respondent-level 0/1 data the joint describes), scaled by deff
        n = a + b + c + d
        resp_a = np.repeat([1, 1, 0, 0], [a, b, c, d])
        resp_b = np.repeat([1, 0, 1, 0], [a, b, c, d])
        var = np.var(resp_a - resp_b) / n * deff
        assert row.se_wald == pytest.approx(math.sqrt(var), rel=1e-10)
        assert row.diff == pytest.approx(resp_a.mean() - resp_b.mean(), abs=1e-15)
    no_discordance = infer.paired_test(10, 0, 0, 10).iloc[0]
    assert no_discordance.z == 0 and no_discordance.p_value == 1
    with pytest.raises(ValueError, match="must be >= 0"):
        infer.paired_test(1, -1, 0, 0)


def test_paired_margins_fréchet_range_61_vs_59():
    # 2025 enablers: strong leadership 61%, trust 59% of the same 274 leaders:
    # 167 and 162 respondents; n11 from 167 + 162 - 274 = 55 to min(167, 162) = 162.
    grid = infer.paired_joints(167, 162, 274)
    assert (grid.n11.min(), grid.n11.max(), len(grid)) == (55, 162, 108)
    assert (grid.n11 + grid.n10 == 167).all() and (grid.n11 + grid.n01 == 162).all()
    assert grid.p_value.is_monotonic_decreasing  # p falls as the overlap n11 grows
    summary = infer.compare_paired_margins(167, 162, 274).iloc[0]
    most = mcnemar([[162, 5], [0, 107]], exact=False, correction=False).pvalue  # largest n11
    least = mcnemar([[55, 112], [107, 0]], exact=False, correction=False).pvalue  # smallest n11
    assert summary.p_value_min == pytest.approx(most, rel=1e-10)  # 0.0253
    assert summary.p_value_max == pytest.approx(least, rel=1e-10)  # 0.7355
    assert (round(summary.p_value_min, 4), round(summary.p_value_max, 4)) == (0.0253, 0.7355)
    assert summary.p_value == summary.p_value_max and summary.n11_least == 55
    # Issue 11 says "p anywhere from 0.71 to 0.018": that is the Wald paired variance on the
    # unrounded 0.61 and 0.59 (a 2.0-point difference; the counts give 5/274 = 1.8 points),
    # checked here by hand: psi = discordant share at each Fréchet end.
    n, pa, pb = 274, 0.61, 0.59
    wald = [
        2 * stats.norm.sf((pa - pb) / math.sqrt((psi - (pa - pb) ** 2) / n))
        for psi in (pa + pb - 2 * pb, pa + pb - 2 * (pa + pb - 1))
    ]
    assert wald == pytest.approx([0.0180, 0.7112], abs=5e-5)
    # the interval is the union over joints: at least the widest joint's Wald interval
    widest = infer.paired_test(55, 112, 107, 0).iloc[0]
    assert summary.ci_low <= widest.ci_low and summary.ci_high >= widest.ci_high


def test_paired_margins_deff_scales_the_whole_range():
    base = infer.compare_paired_margins(195, 167, 274).iloc[0]  # 71% vs 61%
    scaled = infer.compare_paired_margins(195, 167, 274, deff=1.5).iloc[0]
    assert scaled.z == pytest.approx(base.z / math.sqrt(1.5), rel=1e-12)
    assert scaled.z_max == pytest.approx(base.z_max / math.sqrt(1.5), rel=1e-12)
    ref = mcnemar(np.array([[88, 107], [79, 0]]) / 1.5, exact=False, correction=False)
    assert scaled.p_value_max == pytest.approx(ref.pvalue, rel=1e-10)


# ------------------------------------------------------------------ group vs total


@pytest.mark.parametrize("deff", [1.0, 1.08, 1.5])
def test_group_vs_total_equals_group_vs_rest(deff):
    cases = [(44, 68, 150, 274), (25, 68, 140, 274), (3, 40, 30, 274), (90, 137, 150, 274)]
    got = infer.group_vs_total_test(*(np.array(c) for c in zip(*cases, strict=True)), deff=deff)
    for row, (xg, ng, xt, nt) in zip(got.itertuples(), cases, strict=True):
        xr, nr = xt - xg, nt - ng
        # the same respondents as two disjoint groups: statsmodels on group vs rest
        z, p = proportions_ztest([xg / deff, xr / deff], [ng / deff, nr / deff])
        assert (row.z, row.p_value) == pytest.approx((z, p), rel=1e-10)
        s = ng / nt
        assert row.diff == pytest.approx(xg / ng - xt / nt, abs=1e-15)
        assert row.diff == pytest.approx((1 - s) * (xg / ng - xr / nr), abs=1e-15)
        low, high = confint_proportions_2indep(
            xg / deff, ng / deff, xr / deff, nr / deff, method="newcomb"
        )
        assert (row.ci_low, row.ci_high) == pytest.approx(((1 - s) * low, (1 - s) * high))
        # se of p_g - p_t under the null: (1 - s) times the pooled se of group - rest
        pooled = xt / nt
        se = (1 - s) * math.sqrt(pooled * (1 - pooled) * (1 / ng + 1 / nr) * deff)
        assert row.se == pytest.approx(se, rel=1e-12)
    with pytest.raises(ValueError, match="rest of the total"):
        infer.group_vs_total_test(60, 68, 50, 274)  # 60 of the group but 50 in the total
    with pytest.raises(ValueError, match="smaller than n_t"):
        infer.group_vs_total_test(10, 274, 20, 274)


def test_group_vs_total_range_ends_and_feasibility():
    r = infer.group_vs_total_range(0.64, 0.50, 274, (0.15, 0.5)).iloc[0]
    # the statistic grows with the share: the least favourable share is the smallest
    for share, p in ((0.15, r.p_value_max), (0.5, r.p_value_min)):
        ng = share * 274
        xr, nr = 0.5 * 274 - 0.64 * ng, 274 - ng
        assert p == pytest.approx(proportions_ztest([0.64 * ng, xr], [ng, nr])[1], rel=1e-10)
    assert (r.share_least, r.share_most) == (0.15, 0.5)
    grid = infer.group_vs_total_range(0.64, 0.50, 274, (0.15, 0.15)).iloc[0]
    assert grid.p_value == pytest.approx(r.p_value_max, rel=1e-12)
    # 64% in a group of 80% of the total cannot average to 40% overall: cut to s <= 0.625
    assert infer.feasible_shares(0.64, 0.40) == (0.0, 0.625)
    cut = infer.group_vs_total_range(0.64, 0.40, 274, (0.2, 0.8)).iloc[0]
    assert cut.share_high == pytest.approx(0.625)
    with pytest.raises(ValueError, match="no share"):
        infer.group_vs_total_range(0.64, 0.40, 274, (0.7, 0.8))
    with pytest.raises(ValueError, match="share_range"):
        infer.group_vs_total_range(0.64, 0.40, 274, (0.0, 0.5))


# ------------------------------------------------------------------ minimum detectable difference


@pytest.mark.parametrize("deff", [1.0, 1.08, 1.5])
def test_mdd_independent_has_the_target_power_in_statsmodels(deff):
    got = infer.min_detectable_difference(0.30, [68, 274], n_b=[100, 200], deff=deff)
    assert len(got) == 4 and set(got.direction) == {"increase", "decrease"}
    for row in got.itertuples():
        # statsmodels power_proportions_2indep(diff, prop2, nobs1, ratio=nobs2/nobs1)
        pw = power_proportions_2indep(
            row.p_alt - 0.30, 0.30, row.n_eff, ratio=row.n_b_eff / row.n_eff, alpha=0.05
        ).power
        assert pw == pytest.approx(0.8, abs=1e-8)
        assert row.mdd == pytest.approx(abs(row.p_alt - 0.30), abs=1e-15)
    # a larger design effect needs a larger difference; more respondents a smaller one
    small = infer.min_detectable_difference(0.3, 274, deff=1.0, direction="increase").mdd[0]
    large = infer.min_detectable_difference(0.3, 274, deff=1.5, direction="increase").mdd[0]
    assert large > small
    # at power 0.5 the MDD is (nearly) the critical difference: z_c times the null se
    half = infer.min_detectable_difference(0.5, 274, power=0.5, direction="increase").iloc[0]
    assert half.mdd == pytest.approx(1.959964 * math.sqrt(0.5 * 0.5 * 2 / 274), rel=0.02)


def test_mdd_paired_matches_simulation_and_connor_formula():
    got = infer.min_detectable_difference(0.59, 274, design="paired", direction="increase")
    row = got.iloc[0]
    pa, pb = row.p_alt, 0.59
    p11 = max(0.0, pa + pb - 1)  # least favourable joint: the most discordant
    psi = pa + pb - 2 * p11
    d = pa - pb
    # Connor (1987): n = (z_a sqrt(psi) + z_b sqrt(psi - d^2))^2 / d^2 at power 0.8
    n_connor = (1.959964 * math.sqrt(psi) + 0.841621 * math.sqrt(psi - d * d)) ** 2 / d**2
    assert n_connor == pytest.approx(274, rel=1e-3)
    # Monte Carlo (seeded, numpy): McNemar z without correction on multinomial draws
    rng = np.random.default_rng(20250101)
    draws = rng.multinomial(274, [p11, pa - p11, pb - p11, 1 - pa - pb + p11], size=100_000)
    b, c = draws[:, 1], draws[:, 2]
    z = (b - c) / np.sqrt(b + c)
    assert np.mean(np.abs(z) > 1.959964) == pytest.approx(0.8, abs=0.01)


def test_mdd_group_vs_total_is_group_vs_rest_power():
    s = 0.25
    got = infer.min_detectable_difference(
        0.5, 274, design="group_vs_total", share=s, deff=1.08, direction="both"
    )
    for row in got.itertuples():
        ng, nr = s * 274 / 1.08, (1 - s) * 274 / 1.08
        p_rest = (0.5 - s * row.p_alt) / (1 - s)
        # statsmodels: group vs rest, whose pooled proportion under the null is the total
        pw = power_proportions_2indep(row.p_alt - p_rest, p_rest, ng, ratio=nr / ng).power
        assert pw == pytest.approx(0.8, abs=1e-6)
    with pytest.raises(ValueError, match="share"):
        infer.min_detectable_difference(0.5, 274, design="group_vs_total")
    with pytest.raises(ValueError, match="design="):
        infer.min_detectable_difference(0.5, 274, design="clustered")
    unreachable = infer.min_detectable_difference(0.5, 4, direction="increase")
    assert unreachable.mdd.isna().all()


def test_holm_equals_statsmodels_on_random_families(monkeypatch):
    import gc

    from statsmodels.stats.multitest import multipletests

    from analysis.stats.proportions import holm

    monkeypatch.setattr(gc, "collect", lambda *a: 0)  # statsmodels' holm collects each call

    rng = np.random.default_rng(1979)
    for m in (1, 2, 3, 7, 40):
        for _ in range(50):
            p = rng.uniform(0, 1, m) ** rng.uniform(0.2, 5)
            p[rng.integers(0, m)] = p[0]  # ties
            # statsmodels multipletests(p, method="holm")[1]
            np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1], rtol=1e-12)
