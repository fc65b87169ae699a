"""Tests of analysis.stats.banner.

References: R survey 4.1.1 svyby/svycontrast fixtures (tests/fixtures/r_survey, written by
scripts/r_reference.R) for the design-based cells and pair SEs; statsmodels
proportions_ztest and multipletests for the published-percentage letters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from analysis.errors import DataValidationError, LowBaseWarning
from analysis.stats.banner import banner, banner_from_published, format_banner
from analysis.stats.design import SurveyDesign

FIX = Path(__file__).parent / "fixtures" / "r_survey"
STRAT = pd.read_csv(FIX / "apistrat.csv")


def test_design_banner_matches_r_domains_and_contrasts():
    d = SurveyDesign(STRAT, weights="pw", strata="stype", fpc="fpc")
    out = banner(d, ["awards_yes"], "stype", low_base_n=0, suppress_n=0)
    cells = out.set_index("column")
    # R: svyby(~awards_yes, ~stype, dstrat, svymean)
    ref = pd.read_csv(FIX / "svyby.csv")
    ref = ref[(ref.design == "strat") & (ref.variable == "awards_yes")].set_index("group")
    np.testing.assert_allclose(cells.loc[["E", "H", "M"], "estimate"], ref["estimate"], rtol=1e-6)
    np.testing.assert_allclose(cells.loc[["E", "H", "M"], "se"], ref["se"], rtol=1e-6)
    assert cells.loc[["E", "H", "M"], "n"].tolist() == [100, 50, 50]
    assert cells.loc["Total", "n"] == 200
    # R: svycontrast(svyby(..., covmat=TRUE), E - H etc.)
    dd = pd.read_csv(FIX / "domain_diff.csv")
    dd = dd[dd.design == "strat"].set_index(["group1", "group2"])
    pairs = out.attrs["pairs"].set_index(["group_a", "group_b"])
    np.testing.assert_allclose(pairs.loc[dd.index, "se"], dd["se"], rtol=1e-6)
    np.testing.assert_allclose(pairs.loc[dd.index, "diff"], dd["diff"], rtol=1e-6, atol=1e-12)
    # p-values: t on degf (197) from R's contrast; Holm within the row.
    p_ref = 2 * stats.t.sf(np.abs(dd["diff"] / dd["se"]), 197)
    np.testing.assert_allclose(pairs.loc[dd.index, "p_value"], p_ref, rtol=1e-6)
    holm = multipletests(p_ref, method="holm")[1]
    np.testing.assert_allclose(pairs.loc[dd.index, "p_adj"], holm, rtol=1e-6)
    # E (0.73) above H (0.32) and M (0.48): E-H p ~ 1e-7, E-M p ~ 0.003; H-M p ~ 0.09.
    assert cells.loc["E", "sig"] == "BC"
    assert cells.loc["H", "sig"] == "" and cells.loc["M", "sig"] == ""
    assert cells.loc[["E", "H", "M"], "letter"].tolist() == ["A", "B", "C"]


def test_design_banner_categorical_items_and_low_base():
    d = SurveyDesign(STRAT, weights="pw", strata="stype", fpc="fpc")
    small = d.subset(STRAT["snum"] % 4 == 0)  # about 12 schools per type
    with pytest.warns(LowBaseWarning):
        out = banner(small, {"awards: yes": ("awards", "Yes")}, "stype", suppress_n=13)
    assert out["low_base"].iloc[:3].all()
    sup = out[out["suppressed"]]
    assert sup["estimate"].isna().all() and (sup["sig"] == "").all()
    # suppressed columns are not tested
    tested = set(out.attrs["pairs"][["group_a", "group_b"]].to_numpy().ravel())
    assert tested.isdisjoint(set(sup["column"]))


def test_published_banner_letters_match_statsmodels():
    pub = pd.DataFrame(
        {
            "item": ["optimism"] * 4 + ["dialogue"] * 4,
            "group": ["public", "private", "nfp", "edu"] * 2,
            "value": [40.0, 62.0, 55.0, 50.0, 12.0, 14.0, 30.0, np.nan],
        }
    )
    bases = {"public": 120, "private": 100, "nfp": 80, "edu": 30}
    out = banner_from_published(pub, bases).set_index(["item", "column"])
    pairs = banner_from_published(pub, bases).attrs["pairs"]
    row = pairs[pairs["item"] == "optimism"]
    # statsmodels pooled z test on the implied counts (round half up)
    x = {"public": 48, "private": 62, "nfp": 44, "edu": 15}
    p_ref = [
        proportions_ztest([x[a], x[b]], [bases[a], bases[b]])[1]
        for a, b in zip(row["group_a"], row["group_b"], strict=True)
    ]
    np.testing.assert_allclose(row["p_value"], p_ref, rtol=1e-9)
    np.testing.assert_allclose(row["p_adj"], multipletests(p_ref, method="holm")[1], rtol=1e-9)
    # only public-private survives Holm (raw 0.0012 -> 0.0069)
    assert out.loc[("optimism", "private"), "sig"] == "A"
    assert (out.xs("optimism", level="item")["sig"] != "").sum() == 1
    # missing edu value: blank cell, not tested; nfp 30% (24/80) above public 12% (14/120)
    assert np.isnan(out.loc[("dialogue", "edu"), "estimate"])
    assert "edu" not in set(
        pairs[pairs["item"] == "dialogue"][["group_a", "group_b"]].values.ravel()
    )
    assert out.loc[("dialogue", "nfp"), "sig"] == "AB"
    # adjust="none" gives more letters
    raw = banner_from_published(pub, bases, adjust="none").set_index(["item", "column"])
    assert raw.loc[("optimism", "nfp"), "sig"] == "A"
    wide = format_banner(banner_from_published(pub, bases))
    assert wide.loc["optimism", "B: private"] == "62% A"
    assert wide.loc["dialogue", "D: edu"] == "-"
    assert wide.loc["dialogue: base (unweighted)", "D: edu"] == "30"
    assert wide.loc["optimism: base (unweighted)", "A: public"] == "120"


def test_banner_argument_errors():
    pub = pd.DataFrame({"item": ["q"], "group": ["a"], "value": [10.0]})
    with pytest.raises(ValueError, match="adjust='sidak'"):
        banner_from_published(pub, {"a": 10}, adjust="sidak")
    with pytest.raises(ValueError, match="alpha"):
        banner_from_published(pub, {"a": 10}, alpha=1.5)
    with pytest.raises(ValueError, match="positive integer"):
        banner_from_published(pub, {"a": 10.5})
    with pytest.raises(ValueError, match="lacks column"):
        banner_from_published(pub.drop(columns="value"), {"a": 10})
    d = SurveyDesign(STRAT, weights="pw", strata="stype", fpc="fpc")
    with pytest.raises(ValueError, match="no respondents"):
        banner(d, ["awards_yes"], "stype", columns=["E", "X"])


# ----------------------------------------------------------------------------- respondent data
SYN = pd.read_csv(FIX / "synthetic_respondents_2025.csv")
SECTORS = ["public", "private", "nfp", "edu"]


def _raked() -> SurveyDesign:
    return SurveyDesign(SYN).rake({"sector": dict.fromkeys(SECTORS, 0.25)})


def test_raked_banner_cells_and_bases_equal_r():
    # R: dd <- rake(s, list(~sector), ...)[!is.na(y) & sector == g, ];
    #    coef/SE(svymean(~y0, dd)); n = sum(weights(dd) != 0); sum(weights(dd))
    items = ["optimism__top", "enabler_trust__top", "comm_sufficient__top"]
    out = banner(_raked(), items, "sector", columns=SECTORS).set_index(["item", "column"])
    ref = pd.read_csv(FIX / "synthetic_estimates.csv")
    ref = ref[ref["design"] == "rake_equal_2025"].copy()
    ref["column"] = ref["group"].replace({"all": "Total"})
    ref["item"] = ref["item"] + "__top"
    ref = ref.set_index(["item", "column"]).loc[out.index]
    np.testing.assert_allclose(out["estimate"], ref["estimate"], rtol=1e-6)
    np.testing.assert_allclose(out["se"], ref["se"], rtol=1e-6)
    np.testing.assert_array_equal(out["n"], ref["n"])
    np.testing.assert_allclose(out["n_weighted"], ref["n_weighted"], rtol=1e-6)
    # effective base p(1-p)/se^2 (R svyciprop's n.eff before the df factor)
    p = ref["estimate"]
    np.testing.assert_allclose(out["n_eff"], p * (1 - p) / ref["se"] ** 2, rtol=1e-6)
    # every item shows its own bases, not the largest one
    wide = format_banner(out.reset_index())
    assert wide.loc["comm_sufficient__top: base (unweighted)", "D: edu"] == str(
        int(out.loc[("comm_sufficient__top", "edu"), "n"])
    )
    assert wide.loc["optimism__top: base (weighted)", "Total"] == (
        f"{out.loc[('optimism__top', 'Total'), 'n_weighted']:.1f}"
    )
    assert "optimism__top: base (effective)" in wide.index
    # pair tests match R's contrasts: svycontrast(svymean(~ya + ia + yb + ib, dd), ...)
    bg = pd.read_csv(FIX / "synthetic_between_groups.csv")
    bg = bg[(bg["design"] == "rake_equal_2025") & (bg["item"] == "optimism")]
    pairs = out.attrs["pairs"]
    pairs = pairs[pairs["item"] == "optimism__top"].set_index(["group_a", "group_b"])
    got = pairs.loc[list(zip(bg["group_a"], bg["group_b"], strict=True))]
    np.testing.assert_allclose(got["se"], bg["se"], rtol=1e-6)
    np.testing.assert_allclose(got["p_value"], bg["p_value"], rtol=1e-6)


def test_banner_dont_know_option():
    data = SYN.copy()
    missing = data["optimism__top"].isna()
    data["optimism__dk"] = missing.astype(float)  # every blank taken as "Don't know"
    d = SurveyDesign(data).rake({"sector": dict.fromkeys(SECTORS, 0.25)})
    dropped = banner(d, ["optimism__top"], "sector").set_index("column")
    kept = banner(d, ["optimism__top"], "sector", dont_know="include").set_index("column")
    assert kept.loc["Total", "n"] == dropped.loc["Total", "n"] + missing.sum() == len(data)
    assert kept.loc["Total", "estimate"] < dropped.loc["Total", "estimate"]
    with pytest.raises(DataValidationError, match="comm_sufficient__dk"):
        banner(d, ["comm_sufficient__top"], "sector", dont_know="include")
    with pytest.raises(ValueError, match="dont_know='maybe'"):
        banner(d, ["optimism__top"], "sector", dont_know="maybe")


def test_suppressed_cells_read_suppressed_not_unpublished():
    data = SYN.copy()
    edu = data.index[data["sector"] == "edu"]
    data.loc[edu[7:], "optimism__top"] = np.nan
    d = SurveyDesign(data).rake({"sector": dict.fromkeys(SECTORS, 0.25)})
    with pytest.warns(LowBaseWarning, match="2 suppressed"):
        out = banner(d, ["optimism__top", "enabler_trust__top"], "sector", columns=SECTORS)
    wide = format_banner(out)
    assert wide.loc["optimism__top", "D: edu"] == "suppressed (n<10)"
    assert wide.loc["optimism__top", "Total"] == "suppressed (protects n<10)"
    assert wide.loc["optimism__top: base (unweighted)", "D: edu"] == "-"  # withheld too
    assert wide.loc["enabler_trust__top", "Total"].endswith("%")
    pub = pd.DataFrame({"item": ["q"], "group": ["a"], "value": [np.nan]})
    assert format_banner(banner_from_published(pub, {"a": 50})).loc["q", "A: a"] == "-"
