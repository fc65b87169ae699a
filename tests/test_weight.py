"""Tests of analysis.weighting.rake against R `survey` 4.1.1 reference weights.

Fixtures in tests/fixtures/r_survey/ were written by scripts/r_reference.R (R's data(api)):
rake() on apiclus1 (stype + sch.wide) and apistrat (stype + sch.wide + awards), postStratify()
on one and on crossed variables, trimWeights() with strict FALSE and TRUE.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ConvergenceWarning, WeightingError
from analysis.paths import WEIGHTING_TARGETS
from analysis.weighting.rake import (
    kish_design_effect,
    poststratify,
    rake,
    trim_weights,
)
from analysis.weighting.targets import load_targets

FIX = Path(__file__).parent / "fixtures" / "r_survey"
RTOL = 1e-6


@pytest.fixture(scope="module")
def clus1() -> pd.DataFrame:
    return pd.read_csv(FIX / "apiclus1.csv")


@pytest.fixture(scope="module")
def strat() -> pd.DataFrame:
    return pd.read_csv(FIX / "apistrat.csv")


@pytest.fixture(scope="module")
def pop_margins() -> dict[str, pd.Series]:
    m = pd.read_csv(FIX / "population_margins.csv")
    return {v: g.set_index("level")["target"] for v, g in m.groupby("variable", sort=False)}


def test_rake_matches_r_rake_clus1(clus1, pop_margins):
    # R: rake(dclus1, list(~stype, ~sch.wide), ..., control = list(maxit=1000, epsilon=1e-15))
    ref = pd.read_csv(FIX / "weights_clus1.csv")
    res = rake(
        clus1, {k: pop_margins[k] for k in ("stype", "sch.wide")}, weights="pw", kind="total"
    )
    np.testing.assert_allclose(res.weights.to_numpy(), ref["w_rake"], rtol=RTOL)
    np.testing.assert_allclose(res.weights.to_numpy(), ref["w_rake"], rtol=1e-9)
    assert res.diagnostics.converged
    assert res.diagnostics.max_margin_error <= 1e-10
    # Totals, not proportions: weights sum to the population size (6194 schools).
    assert res.weights.sum() == pytest.approx(6194, rel=1e-12)
    w = ref["w_rake"].to_numpy()
    assert res.diagnostics.design_effect == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2)
    assert res.diagnostics.n_eff == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert res.diagnostics.weight_ratio == pytest.approx(w.max() / w.min())


def test_rake_matches_r_rake_strat_three_margins(strat, pop_margins):
    # R: rake(dstrat, list(~stype, ~sch.wide, ~awards), ...) with the tight control.
    ref = pd.read_csv(FIX / "weights_strat.csv")
    res = rake(strat, pop_margins, weights=strat["pw"], kind="total")
    np.testing.assert_allclose(res.weights.to_numpy(), ref["w_rake"], rtol=RTOL)
    assert res.weights.index.equals(strat.index)


def test_rake_proportions_keep_base_total(clus1, pop_margins):
    # Same margins as proportions: identical weights up to the scale (sum of base weights).
    ref = pd.read_csv(FIX / "weights_clus1.csv")
    props = {k: pop_margins[k] / pop_margins[k].sum() for k in ("stype", "sch.wide")}
    res = rake(clus1, props)
    assert res.weights.sum() == pytest.approx(len(clus1))
    np.testing.assert_allclose(
        res.weights.to_numpy(), ref["w_rake"] / ref["w_rake"].sum() * len(clus1), rtol=RTOL
    )


def test_poststratify_matches_r(clus1, pop_margins):
    # R: postStratify(dclus1, ~stype, pop) and postStratify(dclus1, ~stype + sch.wide, table)
    ref = pd.read_csv(FIX / "weights_clus1.csv")
    one = poststratify(clus1, "stype", pop_margins["stype"], weights="pw", kind="total")
    np.testing.assert_allclose(one.weights.to_numpy(), ref["w_post_stype"], rtol=RTOL)
    cross_t = pd.read_csv(FIX / "population_cross.csv")
    cross = poststratify(clus1, ["stype", "sch.wide"], cross_t, weights="pw", kind="total")
    np.testing.assert_allclose(cross.weights.to_numpy(), ref["w_post_cross"], rtol=RTOL)
    # Dict with tuple keys for crossed variables gives the same.
    as_dict = {(r.stype, r["sch.wide"]): r.target for _, r in cross_t.iterrows()}
    cross2 = poststratify(clus1, ["stype", "sch.wide"], as_dict, weights="pw", kind="total")
    np.testing.assert_allclose(cross2.weights.to_numpy(), ref["w_post_cross"], rtol=RTOL)


def test_calibrated_point_estimates_match_r(clus1, strat, pop_margins):
    # R: coef(svymean(~api00, design)) after rake / postStratify.
    ref = pd.read_csv(FIX / "calibrated_means.csv").set_index("design")["estimate"]
    margins = {k: pop_margins[k] for k in ("stype", "sch.wide")}
    w = rake(clus1, margins, weights="pw", kind="total").weights
    assert np.average(clus1["api00"], weights=w) == pytest.approx(ref["clus1_rake"], rel=RTOL)
    w = poststratify(clus1, "stype", pop_margins["stype"], weights="pw", kind="total").weights
    assert np.average(clus1["api00"], weights=w) == pytest.approx(ref["clus1_post_stype"], rel=RTOL)
    w = rake(strat, pop_margins, weights="pw", kind="total").weights
    assert np.average(strat["api00"], weights=w) == pytest.approx(ref["strat_rake"], rel=RTOL)


@pytest.mark.parametrize("strict,col", [(False, "w_trim"), (True, "w_trim_strict")])
def test_trim_weights_matches_r(strat, strict, col):
    # R: trimWeights(svydesign(id=~1, weights=~w_skew, data=apistrat), upper=60, lower=10, strict)
    ref = pd.read_csv(FIX / "weights_strat.csv")
    out = trim_weights(strat["w_skew"], lower=10, upper=60, strict=strict)
    assert isinstance(out, pd.Series)
    np.testing.assert_allclose(out.to_numpy(), ref[col], rtol=RTOL)
    assert out.sum() == pytest.approx(strat["w_skew"].sum())


def test_rake_with_bounds_holds_bounds_and_margins(clus1, pop_margins):
    margins = {k: pop_margins[k] for k in ("stype", "sch.wide")}
    free = rake(clus1, margins, weights="pw", kind="total")
    g_free = free.weights / (clus1["pw"] * 6194 / clus1["pw"].sum())
    assert g_free.max() > 1.9  # the unbounded solution breaks the upper bound (1.98)
    res = rake(clus1, margins, weights="pw", bounds=(0.8, 1.6), kind="total")
    g = res.weights / (clus1["pw"] * 6194 / clus1["pw"].sum())
    assert g.max() <= 1.6 + 1e-12 and g.min() >= 0.8 - 1e-12
    assert res.diagnostics.converged and res.diagnostics.max_margin_error <= 1e-10
    for var, t in margins.items():
        got = res.weights.groupby(clus1[var]).sum()
        np.testing.assert_allclose(got[t.index], t, rtol=1e-9)
    # Same solution as R: calibrate(dclus1, ~stype + sch.wide, calfun = "raking",
    # bounds = c(0.8, 1.6)) (R stops at its own epsilon: agreement ~5e-8).
    ref = pd.read_csv(FIX / "weights_clus1.csv")
    np.testing.assert_allclose(res.weights.to_numpy(), ref["w_rake_bounded"], rtol=RTOL)


def test_rake_nonconvergence_is_an_error_unless_explicitly_accepted(clus1, pop_margins):
    margins = {k: pop_margins[k] for k in ("stype", "sch.wide")}
    # default: refuse, naming the margins that are not met
    with pytest.raises(WeightingError, match=r"did not converge.*margins not met: stype="):
        rake(clus1, margins, bounds=(0.99, 1.01), max_iter=50, kind="total")
    # explicit, non-default option: the weights come back labelled as not converged
    with pytest.warns(ConvergenceWarning, match="accepted: weights miss their targets"):
        res = rake(
            clus1,
            margins,
            bounds=(0.99, 1.01),
            max_iter=50,
            kind="total",
            on_nonconvergence="accept",
        )
    assert not res.diagnostics.converged
    assert res.diagnostics.max_margin_error > 1e-3


def test_contradictory_margins_refused():
    # Crossed cells make the margins contradict each other: every 'a' is 'x' and every 'b'
    # is 'y', so s = (0.5, 0.5) and t = (0.8, 0.2) cannot both hold; R warns and returns.
    df = pd.DataFrame({"s": ["a", "a", "b", "b"], "t": ["x", "x", "y", "y"]})
    margins = {"s": {"a": 0.5, "b": 0.5}, "t": {"x": 0.8, "y": 0.2}}
    with pytest.raises(WeightingError, match="did not converge"):
        rake(df, margins, max_iter=200)


def test_rake_two_margin_hand_example():
    # Closed form: 2x2 table with cells (a=3 public-small, b=1 public-large, c=1 private-small,
    # d=1 private-large) raked to 0.5/0.5 on both margins.  Weights x (pub-small), y (pub-large),
    # u (priv-small), v (priv-large) satisfy 3x + y = 3, x*3 + u = 3, u + v = 3, y + v = 3 with
    # the IPF odds-ratio constraint (3x*v)/(y*u) = 3 (odds ratio of the base table).
    df = pd.DataFrame(
        {"sector": ["public"] * 4 + ["private"] * 2, "size": ["s", "s", "s", "l", "s", "l"]}
    )
    res = rake(df, {"sector": {"public": 0.5, "private": 0.5}, "size": {"s": 0.5, "l": 0.5}})
    w = res.weights.to_numpy()
    x, y, u, v = w[0], w[3], w[4], w[5]
    assert 3 * x + y == pytest.approx(3) and 3 * x + u == pytest.approx(3)
    assert (3 * x * v) / (y * u) == pytest.approx(3.0)
    # Solving gives y = u = 3 - 3x, v = 3x, so x satisfies 9x^2 = 3(3 - 3x)^2 -> x = (3-sqrt3)/2.
    assert x == pytest.approx((3 - np.sqrt(3)) / 2)


@pytest.mark.parametrize(
    "df,margins,kwargs,match",
    [
        (pd.DataFrame({"s": ["a", "b"]}), {"s": {"a": 0.5, "b": 0.3}}, {}, "sum to 1"),
        # 1.10 is a typo, not population totals: refused unless declared kind="total"
        (pd.DataFrame({"s": ["a", "b"]}), {"s": {"a": 0.6, "b": 0.5}}, {}, "sum to 1"),
        (
            pd.DataFrame({"s": ["a", "b"], "t": ["x", "y"]}),
            {"s": {"a": 5, "b": 5}, "t": {"x": 10, "y": 10}},
            {"kind": "total"},
            "one total",
        ),
        (pd.DataFrame({"s": ["a", "a"]}), {"s": {"a": 0.5, "b": 0.5}}, {}, "no respondents"),
        (pd.DataFrame({"s": ["a", "c"]}), {"s": {"a": 1.0}}, {}, "no target"),
        (pd.DataFrame({"s": ["a", None]}), {"s": {"a": 1.0}}, {}, "missing value"),
        (
            pd.DataFrame({"s": ["a", "b"]}),
            {"s": {"a": 0.5, "b": 0.5}},
            {"weights": [1, -1]},
            "negative",
        ),
        (
            pd.DataFrame({"s": ["a", "b"]}),
            {"s": {"a": 0.5, "b": 0.5}},
            {"weights": [1, np.nan]},
            "missing",
        ),
        (pd.DataFrame({"s": ["a", "b"]}), {"s": {"a": 1.0, "b": 0.0}}, {}, "target is 0"),
    ],
)
def test_rake_errors(df, margins, kwargs, match):
    with pytest.raises(WeightingError, match=match):
        rake(df, margins, **kwargs)


def test_argument_errors_name_the_argument():
    df = pd.DataFrame({"s": ["a", "b"]})
    with pytest.raises(ValueError, match="'nope' is not a column"):
        rake(df, {"nope": {"a": 1.0}})
    with pytest.raises(ValueError, match="kind='totals'"):
        rake(df, {"s": {"a": 0.5, "b": 0.5}}, kind="totals")
    with pytest.raises(WeightingError, match="sum to 1"):
        poststratify(df, "s", {"a": 0.6, "b": 0.5})
    with pytest.raises(ValueError, match="on_nonconvergence='x'"):
        rake(df, {"s": {"a": 0.5, "b": 0.5}}, on_nonconvergence="x")
    with pytest.raises(ValueError, match="bounds"):
        rake(df, {"s": {"a": 0.5, "b": 0.5}}, bounds=(2, 3))
    with pytest.raises(WeightingError, match="no target"):
        poststratify(df, "s", {"a": 1.0})
    with pytest.raises(WeightingError, match="no respondents"):
        poststratify(df, "s", {"a": 0.3, "b": 0.3, "c": 0.4})
    with pytest.raises(WeightingError, match="cannot hold"):
        trim_weights([1.0, 1.0], upper=0.5)


def test_rake_leaves_input_untouched_and_kish():
    df = pd.DataFrame({"s": ["a", "a", "b"]}, index=[10, 20, 30])
    before = df.copy()
    res = rake(df, {"s": pd.Series({"a": 0.5, "b": 0.5})})
    pd.testing.assert_frame_equal(df, before)
    assert res.weights.index.tolist() == [10, 20, 30]
    assert res.weights.tolist() == pytest.approx([0.75, 0.75, 1.5])
    # Kish deff of (0.75, 0.75, 1.5): 3 * 3.375 / 9 = 1.125
    assert kish_design_effect(res.weights) == pytest.approx(1.125)
    with pytest.raises(AttributeError):
        res.weights = None  # frozen dataclass


def test_rake_sectors_equal_scheme_end_to_end():
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {"sector": rng.choice(["public", "private", "nfp", "edu"], 400, p=[0.4, 0.3, 0.2, 0.1])}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = rake(df, load_targets(WEIGHTING_TARGETS, "equal_sectors").margins)
    shares = res.weights.groupby(df["sector"]).sum() / res.weights.sum()
    np.testing.assert_allclose(shares.to_numpy(), 0.25, atol=1e-12)


def test_rake_same_weights_for_int_str_and_categorical_codings(clus1, pop_margins):
    # The integer fast path (lookup table) and the hashing path give identical weights.
    margins = {k: pop_margins[k] for k in ("stype", "sch.wide")}
    ref = rake(clus1, margins, weights="pw", kind="total").weights.to_numpy()
    stype_num = {"E": 10, "H": 20, "M": 30}
    as_int = clus1.assign(stype=clus1["stype"].map(stype_num).astype("int64"))
    int_margins = {
        "stype": margins["stype"].rename(index=stype_num),
        "sch.wide": margins["sch.wide"],
    }
    got = rake(as_int, int_margins, weights="pw", kind="total").weights
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    as_cat = clus1.assign(stype=clus1["stype"].astype("category"))
    got = rake(as_cat, margins, weights="pw", kind="total").weights
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    # an integer level without target is caught on the fast path too
    with pytest.raises(WeightingError, match=r"\['40'\] with no target"):
        rake(as_int.assign(stype=as_int["stype"].replace(30, 40)), int_margins, kind="total")


def test_r_default_rake_stops_early_ours_does_not(clus1, pop_margins):
    # R's rake() default control (epsilon = 1 unit of weight, maxit = 10) stops before the
    # margins hold; ours stops on the margins themselves (documented difference).
    ref = pd.read_csv(FIX / "weights_clus1.csv")
    res = rake(
        clus1, {k: pop_margins[k] for k in ("stype", "sch.wide")}, weights="pw", kind="total"
    )
    r_default = ref["w_rake_default"].to_numpy()
    assert np.max(np.abs(r_default / ref["w_rake"] - 1)) > 1e-6
    r_err = abs(r_default[clus1["stype"].to_numpy() == "H"].sum() - 755) / 6194
    assert r_err > 1e-8 > res.diagnostics.max_margin_error
