"""Tests of analysis.stats.design against R `survey` 4.1.1 (fixtures from scripts/r_reference.R).

Designs (R's data(api)):
  strat    svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)
  strat_wr same without fpc
  clus1    svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=apiclus1)
  clus1_wr same without fpc
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis.errors import DataValidationError, LowBaseWarning
from analysis.stats.design import (
    SurveyDesign,
    svy_chisq,
    svy_ciprop,
    svy_diff_prop,
    svy_mean,
    svy_prop,
)

FIX = Path(__file__).parent / "fixtures" / "r_survey"
RTOL = 1e-6
NO_FLAGS = {"low_base_n": 0, "suppress_n": 0}


def _data(name: str) -> pd.DataFrame:
    return pd.read_csv(FIX / name)


STRAT = _data("apistrat.csv")
CLUS1 = _data("apiclus1.csv")


def make_design(name: str) -> SurveyDesign:
    if name.startswith("strat"):
        return SurveyDesign(
            STRAT, weights="pw", strata="stype", fpc=None if name.endswith("_wr") else "fpc"
        )
    return SurveyDesign(
        CLUS1, weights="pw", ids="dnum", fpc=None if name.endswith("_wr") else "fpc"
    )


DESIGNS = ["strat", "strat_wr", "clus1", "clus1_wr"]


def _rows(file: str, **where) -> pd.DataFrame:
    ref = _data(file)
    for k, v in where.items():
        ref = ref[ref[k] == v]
    return ref


@pytest.mark.parametrize("design", DESIGNS)
def test_svymean_matches_r(design):
    d = make_design(design)
    ref = _rows("svymean.csv", design=design)
    for _, r in ref[ref["category"].isna()].iterrows():
        out = svy_mean(d, r["variable"], **NO_FLAGS)
        assert out["estimate"].iloc[0] == pytest.approx(r["estimate"], rel=RTOL)
        assert out["se"].iloc[0] == pytest.approx(r["se"], rel=RTOL)
        assert out["dof"].iloc[0] == r["degf"]
    for var, grp in ref[ref["category"].notna()].groupby("variable"):
        out = svy_prop(d, var, **NO_FLAGS).set_index("category")
        np.testing.assert_allclose(out.loc[grp["category"], "estimate"], grp["estimate"], rtol=RTOL)
        np.testing.assert_allclose(out.loc[grp["category"], "se"], grp["se"], rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("design", DESIGNS)
def test_svyby_domains_match_r(design):
    d = make_design(design)
    ref = _rows("svyby.csv", design=design)
    for var, grp in ref.groupby("variable"):
        out = svy_mean(d, var, by="stype", **NO_FLAGS).set_index("stype")
        np.testing.assert_allclose(out.loc[grp["group"], "estimate"], grp["estimate"], rtol=RTOL)
        np.testing.assert_allclose(out.loc[grp["group"], "se"], grp["se"], rtol=RTOL)
        # subset() gives the same as by= (domain keeps the full design)
        for g in grp["group"]:
            sub = svy_mean(
                d.subset((STRAT if design.startswith("strat") else CLUS1)["stype"] == g),
                var,
                **NO_FLAGS,
            )
            assert sub["se"].iloc[0] == pytest.approx(out.loc[g, "se"], rel=1e-12)


@pytest.mark.parametrize("design", DESIGNS)
def test_domain_difference_matches_r_svycontrast(design):
    d = make_design(design)
    for _, r in _rows("domain_diff.csv", design=design).iterrows():
        out = svy_diff_prop(d, "awards_yes", "stype", r["group1"], r["group2"], **NO_FLAGS)
        assert out["diff"].iloc[0] == pytest.approx(r["diff"], rel=RTOL, abs=1e-12)
        assert out["se"].iloc[0] == pytest.approx(r["se"], rel=RTOL)


@pytest.mark.parametrize("design", DESIGNS)
def test_svyciprop_matches_r(design):
    d = make_design(design)
    data = STRAT if design.startswith("strat") else CLUS1
    ref = _rows("svyciprop.csv", design=design)
    assert len(ref) == 37
    for _, r in ref.iterrows():
        if r["estimate"] < 1e-9:
            continue  # p = 0: R's logit is a non-converged glm, beta NA (see next test)
        dd = d if r["domain"] == "all" else d.subset((data["stype"] == r["domain"]).to_numpy())
        method = "logit" if r["method"] == "default" else r["method"]
        out = svy_ciprop(dd, r["variable"], method, level=r["level"], **NO_FLAGS).iloc[0]
        assert out["dof"] == r["degf"], (r["domain"], r["variable"])
        assert out["n"] == r["n"]
        assert out["estimate"] == pytest.approx(r["estimate"], rel=RTOL)
        assert out["ci_low"] == pytest.approx(r["ci_low"], rel=RTOL), dict(r)
        assert out["ci_high"] == pytest.approx(r["ci_high"], rel=RTOL), dict(r)


def test_svyciprop_zero_proportion():
    # clus1, H schools: no school over 800 -> p = 0 (R: beta NA, logit ~1e-11 garbage).
    d = make_design("clus1")
    dd = d.subset((CLUS1["stype"] == "H").to_numpy())
    beta = svy_ciprop(dd, "hi800", "beta", **NO_FLAGS).iloc[0]
    # Clopper-Pearson upper limit for 0 successes out of n_e: 1 - 0.025 ** (1 / n_e), with
    # n_e = 14 (domain n) times Korn-Graubard's (qt(.025, 13) / qt(.025, degf = 7))^2.
    n_e = 14 * (stats.t.ppf(0.025, 13) / stats.t.ppf(0.025, 7)) ** 2
    assert (beta["ci_low"], beta["ci_high"]) == pytest.approx((0.0, 1 - 0.025 ** (1 / n_e)))
    logit = svy_ciprop(dd, "hi800", "logit", **NO_FLAGS).iloc[0]
    assert logit["estimate"] == 0 and np.isnan(logit["ci_low"]) and np.isnan(logit["ci_high"])


def test_svyciprop_default_is_logit_and_wilson_matches_statsmodels():
    d = make_design("strat")
    assert svy_ciprop(d, "hi800", **NO_FLAGS)["method"].iloc[0].startswith("svyciprop logit")
    # Wilson on n_eff with df=inf equals statsmodels' Wilson on (p * n_eff, n_eff).
    out = svy_ciprop(d, "hi800", "wilson", df=np.inf, **NO_FLAGS).iloc[0]
    lo, hi = proportion_confint(
        out["estimate"] * out["n_eff"], out["n_eff"], alpha=0.05, method="wilson"
    )
    assert (out["ci_low"], out["ci_high"]) == pytest.approx((lo, hi), rel=1e-9)
    # value= form equals the 0/1 column.
    a = svy_ciprop(d, "awards", "beta", value="Yes", **NO_FLAGS)
    b = svy_ciprop(d, "awards_yes", "beta", **NO_FLAGS)
    np.testing.assert_allclose(
        a[["estimate", "ci_low", "ci_high"]], b[["estimate", "ci_low", "ci_high"]]
    )


@pytest.mark.parametrize("design", DESIGNS)
def test_svychisq_matches_r(design):
    d = make_design(design)
    for _, r in _rows("svychisq.csv", design=design).iterrows():
        out = svy_chisq(d, r["row"], r["col"], r["statistic_type"], **NO_FLAGS).iloc[0]
        assert out["p_value"] == pytest.approx(r["p_value"], rel=RTOL)
        assert out["dof"] == pytest.approx(r["ndf"], rel=RTOL)
        if r["statistic_type"] == "F":
            assert out["statistic"] == pytest.approx(r["statistic"], rel=RTOL)
            assert out["ddf"] == pytest.approx(r["ddf"], rel=RTOL)
        else:
            # R prints Pearson's X2 as the statistic; the p-value uses X2 / mean(eigenvalues).
            assert out["pearson_x2"] == pytest.approx(r["statistic"], rel=RTOL)


@pytest.mark.parametrize("policy", ["remove", "certainty", "adjust", "average"])
def test_lonely_psu_policies_match_r(policy):
    keep = _data("lonely_psu_snum.csv")["snum"]
    data = STRAT[STRAT["snum"].isin(keep)].reset_index(drop=True)
    ref = _rows("lonely_psu.csv", policy=policy).iloc[0]
    d = SurveyDesign(data, weights="pw", strata="stype", lonely_psu=policy)
    out = svy_mean(d, "api00", **NO_FLAGS).iloc[0]
    assert out["estimate"] == pytest.approx(ref["estimate"], rel=RTOL)
    assert out["se"] == pytest.approx(ref["se"], rel=RTOL)


def test_lonely_psu_fail_and_validation_errors():
    keep = _data("lonely_psu_snum.csv")["snum"]
    data = STRAT[STRAT["snum"].isin(keep)]
    with pytest.raises(DataValidationError, match="only one PSU"):
        SurveyDesign(data, weights="pw", strata="stype")
    with pytest.raises(ValueError, match="lonely_psu='nope'"):
        SurveyDesign(data, weights="pw", strata="stype", lonely_psu="nope")
    with pytest.raises(ValueError, match="weights='wt' is not a column"):
        SurveyDesign(STRAT, weights="wt")
    bad = STRAT.assign(pw=STRAT["pw"].where(STRAT.index != 3, -1.0))
    with pytest.raises(DataValidationError, match="finite and > 0"):
        SurveyDesign(bad, weights="pw")
    with pytest.raises(DataValidationError, match="constant within a stratum"):
        SurveyDesign(STRAT.assign(fpc=np.arange(len(STRAT)) + 500.0), strata="stype", fpc="fpc")
    with pytest.raises(ValueError, match="method='probit'"):
        svy_ciprop(make_design("strat"), "hi800", "probit")
    with pytest.raises(ValueError, match="must be 0/1"):
        svy_ciprop(make_design("strat"), "api00")
    d = make_design("strat")
    with pytest.raises(AttributeError):
        d.weights = "x"  # frozen


def test_low_base_flags_and_suppression():
    d = make_design("clus1")  # H schools: 14, M: 25, E: 144
    with pytest.warns(LowBaseWarning, match="fewer than 30"):
        out = svy_mean(d, "api00", by="stype").set_index("stype")
    assert out.loc["E", ["low_base", "suppressed"]].tolist() == [False, False]
    assert out.loc["M", ["low_base", "suppressed"]].tolist() == [True, False]
    assert out.loc["H", ["low_base", "suppressed"]].tolist() == [True, False]
    with pytest.warns(LowBaseWarning):
        sup = svy_prop(d, "awards", by="stype", suppress_n=15).set_index("stype")
    assert sup.loc["H", "suppressed"].all() and sup.loc["H", "estimate"].isna().all()
    assert sup.loc["H", "n"].tolist() == [14, 14]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        full = svy_mean(d, "api00")
    assert not full["low_base"].iloc[0]


def test_missing_values_are_a_domain():
    # y missing for some rows == the domain of non-missing rows (R na.rm=TRUE).
    data = STRAT.assign(y=STRAT["api00"].where(STRAT.index % 7 != 0))
    d = SurveyDesign(data, weights="pw", strata="stype", fpc="fpc")
    a = svy_mean(d, "y", **NO_FLAGS)
    b = svy_mean(d.subset(data["y"].notna()), "api00", **NO_FLAGS)
    np.testing.assert_allclose(a[["estimate", "se"]], b[["estimate", "se"]], rtol=1e-12)
    assert a["n"].iloc[0] == data["y"].notna().sum()


# ----------------------------------------------------------------------------- calibration
POP = pd.read_csv(FIX / "population_margins.csv")
POP_MARGINS = {v: g.set_index("level")["target"] for v, g in POP.groupby("variable", sort=False)}
POP_CROSS = pd.read_csv(FIX / "population_cross.csv")


def make_calibrated(name: str) -> SurveyDesign:
    """The calibrated designs of scripts/r_reference.R (population totals of apipop)."""
    clus1 = SurveyDesign(CLUS1, weights="pw", ids="dnum", fpc="fpc")
    if name == "clus1_rake":  # rake(dclus1, list(~stype, ~sch.wide), ..., control = tight)
        margins = {k: POP_MARGINS[k] for k in ("stype", "sch.wide")}
        return clus1.rake(margins, kind="total")
    if name == "clus1_post_stype":  # postStratify(dclus1, ~stype, pop_stype)
        return clus1.poststratify("stype", POP_MARGINS["stype"], kind="total")
    if name == "clus1_post_cross":  # postStratify(dclus1, ~stype + sch.wide, pop_cross)
        return clus1.poststratify(["stype", "sch.wide"], POP_CROSS, kind="total")
    # rake(dstrat, list(~stype, ~sch.wide, ~awards), ..., control = tight)
    strat = SurveyDesign(STRAT, weights="pw", strata="stype", fpc="fpc")
    return strat.rake(POP_MARGINS, kind="total")


CALIBRATED = ["clus1_rake", "clus1_post_stype", "clus1_post_cross", "strat_rake"]


@pytest.mark.parametrize("design", CALIBRATED)
def test_calibrated_designs_match_r(design):
    from analysis.stats.design import design_effect, domain_mean

    d = make_calibrated(design)
    assert d.is_calibrated and d.weighting.converged
    data = STRAT if design.startswith("strat") else CLUS1
    ref = _rows("api_calibrated.csv", design=design)
    assert len(ref) == 12
    for _, r in ref.iterrows():
        dd = d if r["domain"] == "all" else d.subset((data["stype"] == r["domain"]).to_numpy())
        assert dd.nrow == r["nrow"] and dd.degf == r["degf"]  # R: nrow(dd), degf(dd)
        y = data[r["variable"]].to_numpy(dtype=float)
        m = domain_mean(dd, y, np.ones(len(data), dtype=bool))
        # R: svymean(~v, dd, deff = "replace") and svymean(~v, dd, deff = TRUE)
        assert m.estimate == pytest.approx(r["estimate"], rel=RTOL)
        assert np.sqrt(m.variance) == pytest.approx(r["se"], rel=RTOL)
        assert design_effect(m, m.variance) == pytest.approx(
            r["deff_replace"], rel=RTOL, nan_ok=True
        )
        assert design_effect(m, m.variance, "population") == pytest.approx(
            r["deff_true"], rel=RTOL, nan_ok=True
        )
        if np.isfinite(r["beta_low"]):
            for method in ("beta", "logit"):
                # R: attr(svyciprop(~I(v == 1), dd, method = method), "ci")
                out = svy_ciprop(dd, r["variable"], method, **NO_FLAGS).iloc[0]
                assert out["ci_low"] == pytest.approx(r[f"{method}_low"], rel=RTOL)
                assert out["ci_high"] == pytest.approx(r[f"{method}_high"], rel=RTOL)


def test_calibrated_domain_estimates_match_svyby_cells_and_fixed_weights_differ():
    d = make_calibrated("clus1_post_stype")
    # post-stratified on stype: a stype domain's mean has no sampling variance left from the
    # stype totals, and the design must not be re-calibrated on a domain
    with pytest.raises(ValueError, match="calibrate the whole design"):
        d.subset((CLUS1["stype"] == "E").to_numpy()).rake(
            {"stype": POP_MARGINS["stype"]}, kind="total"
        )
    fixed = SurveyDesign(CLUS1.assign(w=d.weight_values), weights="w", ids="dnum", fpc="fpc")
    cal = svy_mean(d, "api00", **NO_FLAGS)["se"].iloc[0]
    fix = svy_mean(fixed, "api00", **NO_FLAGS)["se"].iloc[0]
    ref = _rows("api_calibrated.csv", design="clus1_post_stype", domain="all", variable="api00")
    assert cal == pytest.approx(ref["se"].iloc[0], rel=RTOL) and fix > cal * 1.001
    with pytest.raises(ValueError, match="set by SurveyDesign.rake"):
        SurveyDesign(CLUS1, calibration=d.calibration)


# ----------------------------------------------------------------------------- exact extremes
#: Weights whose BLAS dot product with ones is not their sum (1 + 1 ulp: the old residue).
AWKWARD = np.random.default_rng(0).uniform(0.2, 3, 60)


def test_all_positive_under_weights_is_exactly_one_with_the_methods_bounds():
    from analysis.stats.design import design_effect, domain_mean, t_test

    n = AWKWARD.size
    df = pd.DataFrame({"y": 1.0, "w": AWKWARD})
    assert np.dot(AWKWARD, np.ones(n)) / AWKWARD.sum() != 1.0  # the ulp the old code kept
    d = SurveyDesign(df, weights="w")
    m = domain_mean(d, df["y"].to_numpy(), np.ones(n, bool))
    assert m.estimate == 1.0 and m.variance == 0.0
    assert np.isnan(design_effect(m, m.variance))  # 0/0: undefined, not negative
    for level in (0.9, 0.95, 0.99):
        beta = svy_ciprop(d, "y", "beta", level=level, **NO_FLAGS).iloc[0]
        assert beta["estimate"] == 1.0 and beta["ci_high"] == 1.0 and beta["n_eff"] == n
        # Clopper-Pearson at x = n: lower = (alpha/2)^(1/n_e); Korn-Graubard's n_e is n here
        # (nrow - 1 = degf, so its df factor is 1)
        alpha = 1 - level
        assert beta["ci_low"] == pytest.approx((alpha / 2) ** (1 / n), rel=1e-12)
        lo, hi = proportion_confint(n, n, alpha=alpha, method="beta")
        assert (beta["ci_low"], beta["ci_high"]) == pytest.approx((lo, hi), rel=1e-12)
    zero = svy_ciprop(SurveyDesign(df.assign(y=0.0), weights="w"), "y", "beta", **NO_FLAGS)
    assert zero["estimate"].iloc[0] == 0.0 and zero["ci_low"].iloc[0] == 0.0
    # Wilson on the unweighted n at the bound: not zero-width, as statsmodels' Wilson
    wil = svy_ciprop(d, "y", "wilson", df=np.inf, **NO_FLAGS).iloc[0]
    lo, hi = proportion_confint(n, n, alpha=0.05, method="wilson")
    assert (wil["ci_low"], wil["ci_high"]) == pytest.approx((lo, hi), rel=1e-12)
    assert wil["ci_low"] < 1.0
    logit = svy_ciprop(d, "y", "logit", **NO_FLAGS).iloc[0]
    assert np.isnan(logit["ci_low"]) and np.isnan(logit["ci_high"])  # undefined at the bound
    assert t_test(0.0, 0.0, 11, 0.95)["p_value"] == 1.0


def test_two_cells_at_100_percent_get_no_letter_and_no_negative_n_eff():
    from analysis.stats.banner import banner

    rng = np.random.default_rng(7)
    n = AWKWARD.size
    df = pd.DataFrame(
        {
            "g": np.repeat(["a", "b", "c"], n),
            "y": np.r_[np.ones(n), np.ones(n), rng.integers(0, 2, n)].astype(float),
            "w": np.r_[AWKWARD, AWKWARD[::-1] * 1.3, np.ones(n)],
        }
    )
    out = banner(SurveyDesign(df, weights="w"), ["y"], "g", total=False).set_index("column")
    assert out.loc["a", "estimate"] == 1.0 and out.loc["b", "estimate"] == 1.0
    pairs = out.attrs["pairs"].set_index(["group_a", "group_b"])
    assert pairs.loc[("a", "b"), "p_value"] == 1.0 and pairs.loc[("a", "b"), "diff"] == 0.0
    assert "B" not in out.loc["a", "sig"] and "A" not in out.loc["b", "sig"]
    assert (out["n_eff"] > 0).all()
