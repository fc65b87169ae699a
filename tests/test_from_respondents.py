"""analysis.estimates.from_respondents against R `survey` 4.1.1 on the SYNTHETIC respondents.

Fixtures: tests/fixtures/r_survey/synthetic_*.csv, written by scripts/r_reference.R from the
cleaned SYNTHETIC respondents (inputs committed beside them: synthetic_respondents_<wave>.csv)
and the targets file synthetic_targets.csv, which both R and these tests read. Designs (R):

  s      <- svydesign(id = ~1, weights = ~one, data = respondents)
  rake_equal_2025        rake(s, list(~sector), list(<equal_sectors, 2025 rows> * n))
  rake_equal_2024        rake(s24, list(~sector), list(<equal_sectors, 2024 rows> * n))
  post_totals_2025       postStratify(s, ~sector, <illustrative_totals: 3000/4500/1500/1000>)
  rake_two_margins_2025  rake(s, list(~sector, ~distribution_channel), ...)
  rake_sample_share_2025 rake(s_outside, list(~sector_cell), ...)  # "other"/blank at sample share

Every cell of R is a domain of the calibrated design: dd <- design[!is.na(y) & sector == g, ].
Tolerance 1e-6 relative (observed: <= 1e-9 for estimates, SEs, deff, Korn-Graubard and every
comparison; <= 7.4e-8 for logit intervals, R's svyglm iteration tolerance).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataValidationError, LowBaseWarning
from analysis.estimates.from_respondents import (
    all_pairs,
    compare_group_vs_total,
    compare_groups,
    compare_items,
    compare_waves,
    estimate_wave,
    item_ids,
    verdict_for,
    weight_wave,
)
from analysis.stats.design import SurveyDesign, svy_ciprop
from analysis.vocab import (
    COMPARISON_COLUMNS,
    ESTIMATE_COLUMNS,
    ComparisonKind,
    Status,
    Verdict,
    canonical_float,
)
from analysis.weighting.targets import load_targets

FIX = Path(__file__).parent / "fixtures" / "r_survey"
TARGETS = FIX / "synthetic_targets.csv"
RTOL = 1e-6
#: R's logit interval comes from svyglm's IRLS (epsilon 1e-8): agreement ~1e-7.
RTOL_LOGIT = 1e-6


def _respondents(name: str) -> pd.DataFrame:
    return pd.read_csv(FIX / f"synthetic_respondents_{name}.csv")


R25, R24, R25_OUT = _respondents("2025"), _respondents("2024"), _respondents("2025_outside")
DESIGNS = {
    "rake_equal_2025": (R25, ("equal_sectors", 2025)),
    "rake_equal_2024": (R24, ("equal_sectors", 2024)),
    "post_totals_2025": (R25, ("illustrative_totals", None)),
    "rake_two_margins_2025": (R25, ("two_margins", None)),
    "rake_sample_share_2025": (R25_OUT, ("sample_share", None)),
}


def _targets(design: str):
    scheme, wave = DESIGNS[design][1]
    return load_targets(TARGETS, scheme, wave=wave)


def _ref(name: str, **where) -> pd.DataFrame:
    ref = pd.read_csv(FIX / name)
    for k, v in where.items():
        ref = ref[ref[k] == v]
    return ref


@pytest.fixture(scope="module")
def waves():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LowBaseWarning)
        return {
            name: weight_wave(data, targets=_targets(name), data_name=name)
            for name, (data, _) in DESIGNS.items()
        }


def _interior(ref: pd.DataFrame) -> pd.Series:
    """Cells strictly between 0 and 1 (R's beta is NA and its logit meaningless at the bounds)."""
    return (ref["estimate"] > 1e-12) & (ref["estimate"] < 1 - 1e-12)


# ----------------------------------------------------------------------------- estimates
@pytest.mark.parametrize("design", list(DESIGNS))
@pytest.mark.parametrize(
    "method,level", [("beta", 0.95), ("beta", 0.9), ("logit", 0.95), ("logit", 0.9)]
)
def test_every_item_by_sector_equals_r(waves, design, method, level):
    ref = _ref("synthetic_estimates.csv", design=design).set_index(["item", "group"])
    est = estimate_wave(waves[design], level=level, ci_method=method, threshold=0)
    est = est.set_index(["item_id", "group_id"])
    assert set(ref.index) <= set(est.index)
    got = est.loc[ref.index]
    assert (got["status"] == Status.ESTIMATED.value).all()
    # R: n <- sum(weights(dd) != 0); sum(weights(dd))
    np.testing.assert_array_equal(got["n"], ref["n"])
    np.testing.assert_allclose(got["n_weighted"], ref["n_weighted"], rtol=RTOL)
    # R: coef(svymean(~y0, dd, deff = "replace")); SE(...); deff(...)
    np.testing.assert_allclose(got["estimate"], ref["estimate"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(got["se"], ref["se"], rtol=RTOL, atol=1e-12)
    inner = _interior(ref).to_numpy()
    np.testing.assert_allclose(got["deff"][inner], ref["deff_replace"][inner], rtol=RTOL)
    # R: attr(svyciprop(~I(y0 == 1), dd, method = <method>, level = <level>), "ci")
    tag = f"{method}{round(level * 100)}"
    rtol = RTOL_LOGIT if method == "logit" else RTOL
    np.testing.assert_allclose(got["ci_low"][inner], ref[f"{tag}_low"][inner], rtol=rtol)
    np.testing.assert_allclose(got["ci_high"][inner], ref[f"{tag}_high"][inner], rtol=rtol)
    assert (got["level"] == level).all() and (got["ci_method"] == method).all()


def test_r_deff_true_on_population_totals(waves):
    # R: deff(svymean(~y0, dd, deff = TRUE)) with weights summing to N = 10000
    ref = _ref("synthetic_estimates.csv", design="post_totals_2025").set_index(["item", "group"])
    est = estimate_wave(waves["post_totals_2025"], deff_kind="population", threshold=0)
    got = est.set_index(["item_id", "group_id"]).loc[ref.index]
    inner = _interior(ref).to_numpy()
    np.testing.assert_allclose(got["deff"][inner], ref["deff_true"][inner], rtol=RTOL)


def test_poststratified_design_equals_r_poststratify(waves):
    # R: postStratify(s, ~sector, pop) then svyciprop(~I(y0 == 1), dd, "beta"), svymean SE
    ref = _ref("synthetic_estimates.csv", design="post_totals_2025")
    pop = _targets("post_totals_2025").margins["sector"]
    design = SurveyDesign(R25).poststratify("sector", pop, kind="total")
    for item in ("optimism", "enabler_trust", "comm_sufficient"):
        r = ref[(ref["item"] == item) & (ref["group"] == "all")].iloc[0]
        out = svy_ciprop(design, f"{item}__top", "beta", low_base_n=0, suppress_n=0).iloc[0]
        assert out["estimate"] == pytest.approx(r["estimate"], rel=RTOL)
        assert out["se"] == pytest.approx(r["se"], rel=RTOL)
        assert out["ci_low"] == pytest.approx(r["beta95_low"], rel=RTOL)
        assert out["deff"] == pytest.approx(r["deff_replace"], rel=RTOL)


def test_calibration_lowers_the_whole_sample_se(waves):
    # The same weights taken as fixed (no calibration residuals) overstate the SE.
    ww = waves["rake_equal_2025"]
    fixed = SurveyDesign(ww.data.assign(w=ww.design.weight_values), weights="w")
    ratios = []
    for item in item_ids(ww.data):
        cal = svy_ciprop(ww.design, f"{item}__top", "mean", low_base_n=0, suppress_n=0)
        fix = svy_ciprop(fixed, f"{item}__top", "mean", low_base_n=0, suppress_n=0)
        ratios.append(fix["se"].iloc[0] / cal["se"].iloc[0])
    assert min(ratios) >= 1.0 - 1e-12 and max(ratios) > 1.01


# ----------------------------------------------------------------------------- comparisons
def _check_comparison(got: pd.DataFrame, ref: pd.DataFrame) -> None:
    np.testing.assert_allclose(got["diff"], ref["diff"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(got["se"], ref["se"], rtol=RTOL)
    np.testing.assert_array_equal(got["dof"], ref["degf"])
    ok = ref["p_value"].notna().to_numpy()
    np.testing.assert_allclose(got["p_value"][ok], ref["p_value"][ok], rtol=RTOL)
    np.testing.assert_array_equal(got["p_value_min"], got["p_value"])
    np.testing.assert_array_equal(got["p_value_max"], got["p_value"])


@pytest.mark.parametrize("design", ["rake_equal_2025", "rake_two_margins_2025"])
def test_paired_option_differences_equal_r_svycontrast(waves, design):
    # R: m <- svymean(~a + b, design[!is.na(a) & !is.na(b) & group, ]); svycontrast(m, c(1, -1))
    ref = _ref("synthetic_paired.csv", design=design)
    pairs = list(dict.fromkeys(zip(ref["item_a"], ref["item_b"], strict=True)))
    out = compare_items(waves[design], pairs=pairs, groups=list(ref["group"].unique()), threshold=0)
    assert list(out.columns) == list(COMPARISON_COLUMNS)
    assert (out["kind"] == ComparisonKind.BETWEEN_ITEMS.value).all()
    got = out.set_index(["item_a", "item_b", "group_a"]).loc[
        list(zip(ref["item_a"], ref["item_b"], ref["group"], strict=True))
    ]
    _check_comparison(got, ref)
    np.testing.assert_allclose(got["estimate_a"], ref["estimate_a"], rtol=RTOL)  # coef(m)[1]
    np.testing.assert_array_equal(got["n_a"], ref["n"])  # sum(weights(dd) != 0)


@pytest.mark.parametrize(
    "design",
    ["rake_equal_2025", "rake_equal_2024", "rake_two_margins_2025", "rake_sample_share_2025"],
)
def test_sector_vs_all_with_overlap_equals_r(waves, design):
    # R: m <- svymean(~ya + ia + yb + ib, design[!is.na(y), ]) with a = sector, b = everyone;
    #    svycontrast(m, quote(ya / ia - yb / ib))
    ref = _ref("synthetic_vs_total.csv", design=design)
    out = compare_group_vs_total(waves[design], threshold=0)
    assert (out["kind"] == ComparisonKind.GROUP_VS_TOTAL.value).all()
    assert (out["group_b"] == "all").all()
    got = out.set_index(["item_a", "group_a"]).loc[
        list(zip(ref["item"], ref["group"], strict=True))
    ]
    _check_comparison(got, ref)


@pytest.mark.parametrize(
    "design",
    ["rake_equal_2025", "rake_equal_2024", "rake_two_margins_2025", "rake_sample_share_2025"],
)
def test_sector_vs_sector_equals_r(waves, design):
    # R: svycontrast(svymean(~ya + ia + yb + ib, design[!is.na(y), ]), quote(ya/ia - yb/ib))
    ref = _ref("synthetic_between_groups.csv", design=design)
    out = compare_groups(waves[design], threshold=0)
    got = out.set_index(["item_a", "group_a", "group_b"]).loc[
        list(zip(ref["item"], ref["group_a"], ref["group_b"], strict=True))
    ]
    _check_comparison(got, ref)
    # R's p is NA where both sectors sit at the same bound (SE 0): ours is 1, no difference
    same = ref["p_value"].isna().to_numpy()
    assert (got["p_value"][same] == 1.0).all() and (got["diff"][same] == 0.0).all()


def test_year_on_year_equals_r_on_stacked_waves(waves):
    # R: stacked <- postStratify(svydesign(id = ~1, strata = ~wave, weights = ~one, data = st),
    #                            ~wave + sector, <each wave's own targets * n_wave>)
    #    svycontrast(svymean(~ya + ia + yb + ib, stacked[!is.na(y) & group, ]),
    #                quote(ya / ia - yb / ib))  # a = 2025, b = 2024; p from degf(dd)
    ref = _ref("synthetic_year_on_year.csv")
    out = compare_waves(waves["rake_equal_2025"], waves["rake_equal_2024"], threshold=0)
    assert (out["kind"] == ComparisonKind.YEAR_ON_YEAR.value).all()
    assert (out["wave_a"] == 2025).all() and (out["wave_b"] == 2024).all()
    assert len(out) == len(ref)  # common items x groups in both waves (no edu in 2024)
    assert "edu" not in set(out["group_a"])
    got = out.set_index(["item_a", "group_a"]).loc[
        list(zip(ref["item"], ref["group"], strict=True))
    ]
    _check_comparison(got, ref)
    np.testing.assert_allclose(got["estimate_a"], ref["estimate_a"], rtol=RTOL)
    np.testing.assert_allclose(got["estimate_b"], ref["estimate_b"], rtol=RTOL)


def test_comparison_rows_are_consistent_at_non_default_level(waves):
    out = compare_groups(waves["rake_equal_2025"], level=0.9, alpha=0.01, threshold=0)
    t = out.dropna(subset=["p_value"])
    from scipy import stats

    q = stats.t.ppf(0.95, t["dof"])
    np.testing.assert_allclose(t["ci_low"], t["diff"] - q * t["se"], rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(t["statistic"], t["diff"] / t["se"], rtol=1e-8)
    assert (t["level"] == 0.9).all() and (t["alpha"] == 0.01).all()
    sig = t["p_value"] < 0.01
    assert (t.loc[sig, "verdict"] == Verdict.SUPPORTED.value).all()
    assert (t.loc[~sig, "verdict"] == Verdict.NOT_DISTINGUISHABLE.value).all()
    assert sig.any() and (~sig).any()


def test_verdicts_follow_direction():
    assert verdict_for(0.001, 0.1, 0.05, "decrease") is Verdict.CONTRADICTED
    assert verdict_for(0.001, -0.1, 0.05, "decrease") is Verdict.SUPPORTED
    assert verdict_for(0.2, -0.1, 0.05, "decrease") is Verdict.NOT_DISTINGUISHABLE
    assert verdict_for(0.001, 0.1, 0.05, "no_change") is Verdict.CONTRADICTED


# ----------------------------------------------------------------------------- the table
def test_estimates_table_schema_statuses_and_rounding(waves):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LowBaseWarning)
        est = estimate_wave(
            R25,
            targets=_targets("rake_equal_2025"),
            items=["optimism", "not_asked"],
            source="sha256:abc",
        )
    assert list(est.columns) == list(ESTIMATE_COLUMNS)
    assert est["wave"].dtype == "int64" and est["low_base"].dtype == bool
    assert list(est["group_id"][:5]) == ["all", "public", "private", "nfp", "edu"]
    assert set(est["base_kind"]) == {"respondents"} and set(est["document"]) == {"respondents"}
    assert set(est["source"]) == {"sha256:abc"}
    absent = est[est["item_id"] == "not_asked"]
    assert (absent["status"] == Status.ABSENT.value).all() and absent["estimate"].isna().all()
    for col in ("estimate", "ci_low", "ci_high", "se", "n_weighted", "n_eff", "deff"):
        vals = est[col].dropna()
        assert (vals.map(canonical_float) == vals).all(), col
    opt = est[est["item_id"] == "optimism"].set_index("group_id")
    r = _ref("synthetic_estimates.csv", design="rake_equal_2025", item="optimism", group="all")
    assert opt.loc["all", "estimate"] == pytest.approx(r["estimate"].iloc[0], rel=1e-9)
    assert opt.loc["all", "value_text"] == f"{100 * r['estimate'].iloc[0]:.1f}%"
    assert (opt["n_eff"] > 0).all()


def test_no_base_and_suppression_in_the_estimates():
    data = R25.copy()
    data.loc[data["sector"] == "edu", "optimism__top"] = np.nan  # edu not in the base
    keep = data.index[data["sector"] == "nfp"][:6]
    data.loc[(data["sector"] == "nfp") & ~data.index.isin(keep), "comm_sufficient__top"] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LowBaseWarning)
        est = estimate_wave(
            data, targets=_targets("rake_equal_2025"), items=["optimism", "comm_sufficient"]
        ).set_index(["item_id", "group_id"])
    assert est.loc[("optimism", "edu"), "status"] == Status.NO_BASE.value
    assert est.loc[("optimism", "edu"), "n"] == 0
    assert est.loc[("optimism", "all"), "status"] == Status.ESTIMATED.value
    # nfp has 6 in the base: suppressed, and so is "all" (complementary), labelled as such
    for g, words in (("nfp", "suppressed (n<10)"), ("all", "suppressed (protects n<10)")):
        row = est.loc[("comm_sufficient", g)]
        assert row["status"] == Status.SUPPRESSED.value
        assert row["value_text"] == words
        assert row[["estimate", "ci_low", "ci_high", "se", "n_eff", "deff"]].isna().all()
        assert row[["n", "n_weighted"]].isna().all()  # bases withheld with the number
    assert est.loc[("comm_sufficient", "public"), "status"] == Status.ESTIMATED.value
    # comparisons touching a suppressed cell are untestable, with blank numbers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LowBaseWarning)
        vs = compare_group_vs_total(data, targets=_targets("rake_equal_2025"))
    row = vs[(vs["item_a"] == "comm_sufficient") & (vs["group_a"] == "public")].iloc[0]
    assert row["verdict"] == Verdict.UNTESTABLE.value and np.isnan(row["p_value"])
    assert "suppressed (n<10)" in row["note"]


def test_dont_know_option_needs_its_column_and_widens_the_base():
    data = R25.copy()
    dk = np.zeros(len(data))
    missing = data["optimism__top"].isna().to_numpy()
    dk[missing] = 1  # pretend every blank answer was "Don't know"
    data["optimism__dk"] = dk
    t = _targets("rake_equal_2025")
    base = estimate_wave(data, targets=t, items=["optimism"]).set_index("group_id")
    wide = estimate_wave(data, targets=t, items=["optimism"], dont_know="include")
    wide = wide.set_index("group_id")
    assert wide.loc["all", "n"] == base.loc["all", "n"] + missing.sum() == len(data)
    assert wide.loc["all", "estimate"] < base.loc["all", "estimate"]
    with pytest.raises(DataValidationError, match="comm_sufficient__dk"):
        estimate_wave(data, targets=t, items=["comm_sufficient"], dont_know="include")


def test_compare_items_withholds_pairs_whose_base_differs_by_a_few():
    # Items with bases 270 and 268 paired on 266: the paired estimates would reveal the
    # few respondents outside the paired base, so the row is untestable.
    out = compare_items(
        R25, targets=_targets("rake_equal_2025"), pairs=[("belief_growth", "tangible_outcomes")]
    )
    assert out["verdict"].iloc[0] == Verdict.UNTESTABLE.value
    opts = all_pairs(["enabler_trust", "enabler_regulatory"])
    same_base = compare_items(R25, targets=_targets("rake_equal_2025"), pairs=opts)
    assert same_base["verdict"].iloc[0] != Verdict.UNTESTABLE.value
