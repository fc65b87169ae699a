"""Tests of the claims register (data/raw/claims.csv) and its audit (analysis.audit.claims).

References: pooled z and p from statsmodels ``proportions_ztest``; Holm / BH from
statsmodels ``multipletests``; the counts are round_half_up(percent / 100 * base), done
by hand in the comments.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from analysis.audit import claims as cl
from analysis.io import sha256_file
from analysis.source.published import load_claims, load_published

VERDICT = re.compile(
    r"^(supported at \d+%"
    r"|not distinguishable from sampling noise"
    r"|contradicted at \d+%: .+"
    r"|direction only: levels not published"
    r"|cannot be tested: .+)$"
)


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return load_claims()


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return load_published()


@pytest.fixture(scope="module")
def audit(register, published) -> pd.DataFrame:
    return cl.audit_claims(register, published).set_index("claim_id")


def test_register_covers_the_brief(register):
    # every comparative claim listed in the brief has a row, ids are c01.. in order
    assert register["claim_id"].tolist() == [f"c{i:02d}" for i in range(1, len(register) + 1)]
    assert len(register) >= 29
    by_stat = set(register["stat_id_a"].dropna()) | set(register["stat_id_b"].dropna())
    by_stat |= set(register["stat_id_change"].dropna())
    # communication 7->12, trust 75.3->58.6, economic security, private 50->37, gap ranges
    assert {"r25-005", "r25-006", "r25-052", "r25-053", "r25-035", "r25-036"} <= by_stat
    assert {"r25-084", "r25-085", "r25-013", "r25-014"} <= by_stat
    assert register["note"].notna().all() and (register["note"].str.len() > 20).all()


def test_quotes_are_sentences_of_the_report(register):
    # claims.csv quotes keep the report's markdown; spot-check two verbatim strings
    q = register.set_index("claim_id")["quote"]
    assert "falling from 75.3% to 58.6%" in q["c13"]
    assert "falling from **50%** in 2024 to **37%** in 2025" in q["c24"]


def test_every_claim_is_audited_with_a_known_verdict(register, audit):
    assert list(audit.index) == register["claim_id"].tolist()
    assert list(audit.reset_index().columns) == cl.AUDIT_COLUMNS
    assert audit["verdict"].map(lambda v: bool(VERDICT.match(v))).all()


def test_untestable_claims_have_a_reason(audit):
    untested = audit[audit["p_value"].isna()]
    assert len(untested) >= 10
    for claim_id, row in untested.iterrows():
        assert row.verdict.startswith(("cannot be tested: ", "direction only: ")), claim_id
        if row.verdict.startswith("cannot be tested: "):
            assert len(row.verdict) > len("cannot be tested: ") + 10, claim_id
        else:
            assert row.detail.startswith("only the change"), claim_id
    tested = audit[audit["p_value"].notna()]
    assert not tested["verdict"].str.startswith(("cannot", "direction only")).any()


def test_private_optimism_at_274_per_wave(register, published):
    # 50% and 37% of 274: 137 and round_half_up(101.38) = 101 respondents.
    audit = cl.audit_claims(register, published, cl.Bases(all=274, sector=274))
    row = audit.set_index("claim_id").loc["c24"]
    z, p = proportions_ztest([101, 137], [274, 274])  # a = 2025, b = 2024
    assert (row.x_a, row.x_b) == (101, 137)
    assert row.z == pytest.approx(z, rel=1e-12) and 3.07 <= abs(row.z) <= 3.11
    assert row.p_value == pytest.approx(p, rel=1e-12) and row.p_value == pytest.approx(
        0.0019, abs=1e-4
    )
    assert row.verdict == "supported at 5%"
    assert row.n_needed == 111  # equal per-group base from which the drop stays significant


def test_default_bases_and_sector_sensitivity(audit):
    row = audit.loc["c24"]  # private sector: even split, 68 per wave by default
    assert (row.n_a, row.n_b) == (68, 68)
    z, p = proportions_ztest([25, 34], [68, 68])  # 37% of 68 = 25.16 -> 25; 50% -> 34
    assert row.p_value == pytest.approx(p, rel=1e-12)
    assert row.verdict == "not distinguishable from sampling noise"
    # sector sensitivity range 40..137: significant only at the high end
    assert row.p_value_low_base > 0.05 > row.p_value_high_base
    assert audit.loc["c13", "base_source"] == "assumed: whole sample 274 per wave"


def test_trust_and_economic_security_values(audit):
    # trust: 58.6% of 274 = 160.56 -> 161; 75.3% of 274 = 206.32 -> 206
    row = audit.loc["c13"]
    z, p = proportions_ztest([161, 206], [274, 274])
    assert (row.x_a, row.x_b) == (161, 206) and row.z == pytest.approx(z, rel=1e-12)
    assert row.verdict == "supported at 5%"
    # one-decimal values are impossible at 274 (GRIM): 160/274 = 58.39, 161/274 = 58.76
    assert not row.granular_a and not row.granular_b
    eco = audit.loc["c07"]
    assert not eco.granular_a and eco.granular_b  # 9.4 impossible at 274; 23 possible
    assert eco.change_check == "printed -14 matches the level difference -13.6 pp"


def test_value_choice_for_bounds_and_ranges(audit):
    # 'less than 3 in 10' vs 26%: tested at the bound 30 (most favourable to a rise)
    tang = audit.loc["c03"]
    assert (tang.value_a, tang.value_b) == (30.0, 26.0)
    assert tang.verdict == "not distinguishable from sampling noise"
    assert "even at the most favourable value" in tang.detail
    # '21–25%' vs '12–14%': least favourable pair 21 vs 14, one-sector bases
    gap = audit.loc["c26"]
    assert (gap.value_a, gap.value_b, gap.n_a, gap.n_b) == (21.0, 14.0, 68, 68)
    assert "least favourable" in gap.detail


def test_multiplicity_adjustment_over_tested_claims(audit):
    tested = audit["p_value"].dropna()
    np.testing.assert_allclose(
        audit.loc[tested.index, "p_holm"], multipletests(tested, method="holm")[1], rtol=1e-12
    )
    np.testing.assert_allclose(
        audit.loc[tested.index, "p_bh"], multipletests(tested, method="fdr_bh")[1], rtol=1e-12
    )
    assert audit.loc[audit["p_value"].isna(), ["p_holm", "p_bh"]].isna().all().all()


def _pub(rows):
    cols = ["stat_id", "wave", "group_id", "measure", "value", "value_low", "value_high"]
    cols += ["value_text", "base_n", "status"]
    return pd.DataFrame(rows, columns=cols)


def test_synthetic_verdicts():
    nan = math.nan
    pub = _pub(
        [
            ("x-001", 2025, "all", "level", 20.0, nan, nan, "20%", pd.NA, "published"),
            ("x-002", 2024, "all", "level", 40.0, nan, nan, "40%", pd.NA, "published"),
            ("x-003", 2025, "all", "upper_bound", 10.0, nan, nan, "under 10%", pd.NA, "published"),
            ("x-004", 2025, "all", "level", nan, nan, nan, "", pd.NA, "lost_in_extraction"),
            ("x-005", 2025, "all", "level", 30.0, nan, nan, "30%", 500, "published"),
        ]
    )
    claims = pd.DataFrame(
        {
            "claim_id": ["c01", "c02", "c03", "c04", "c05"],
            "kind": ["year_on_year"] * 5,
            "topic": ["t"] * 5,
            "direction": ["increase", "no_change", "decrease", "decrease", "decrease"],
            "stat_id_a": ["x-001", "x-001", "x-003", "x-004", "x-005"],
            "stat_id_b": ["x-002", "x-002", "x-002", "x-002", "x-002"],
            "stat_id_change": [nan] * 5,
            "groups": ["all"] * 5,
        }
    )
    got = cl.audit_claims(claims, pub).set_index("claim_id")
    assert got.loc["c01", "verdict"] == "contradicted at 5%: significant change the other way"
    assert got.loc["c02", "verdict"] == "contradicted at 5%: significant change"
    assert got.loc["c03", "verdict"].startswith("cannot be tested: level only bounded")
    assert got.loc["c04", "verdict"] == (
        "cannot be tested: 2025 level not published or lost in extraction (x-004)"
    )
    assert got.loc["c05", "n_a"] == 500 and got.loc["c05", "base_source"].startswith("a: published")
    with pytest.raises(ValueError, match="Bases.sector=1.5"):
        cl.Bases(sector=1.5)
    with pytest.raises(ValueError, match="unknown direction"):
        cl.audit_claims(claims.assign(direction="up"), pub)


def test_cli_build_is_deterministic(tmp_path):
    outs = []
    for name in ("a", "b"):
        stem = tmp_path / name / "claims_audit"
        argv = ["build", "--out", str(stem), "--level", "0.95", "--base-all", "274"]
        assert cl.main([*argv, "--base-sector", "68"]) == 0
        outs.append(
            (sha256_file(stem.with_suffix(".csv")), sha256_file(stem.with_suffix(".parquet")))
        )
    assert outs[0] == outs[1]
    back = pd.read_parquet(tmp_path / "a" / "claims_audit.parquet")
    assert len(back) == len(load_claims()) and list(back.columns) == cl.AUDIT_COLUMNS
