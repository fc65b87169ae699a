"""The claims-audit builder (section 09) on audits at the default and other parameters.

The audit is recomputed in the session from data/raw (``analysis.audit.claims``) at each
parameter set; the builder must draw exactly its tested claims, with verdict words that
match each claim's p-value range against alpha, the right interval per comparison kind,
and a flip point that is where the audit's verdict really changes.
"""

from __future__ import annotations

import functools
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text

from analysis import text
from analysis.audit.claims import Bases, audit_claims
from analysis.errors import DataValidationError
from analysis.figures import claims_audit as ca
from analysis.paths import DATA_RAW
from analysis.source.published import load_claims, load_published
from analysis.tooling.registry import load_registry
from analysis.vocab import Verdict

SPEC = load_registry().figure("fig-audit-01-claims-forest")
TEXT = {"figure_id": SPEC.id, **SPEC.text()}
S, N, D = Verdict.SUPPORTED, Verdict.NOT_DISTINGUISHABLE, Verdict.DEPENDS_ON_OVERLAP


@functools.cache
def _raw():
    return load_claims(raw_dir=DATA_RAW), load_published(raw_dir=DATA_RAW)


@functools.cache
def make_audit(level=0.95, deff=1.08, base_all=274, base_sector=68, alpha=None) -> pd.DataFrame:
    claims, published = _raw()
    alpha = round(1 - level, 10) if alpha is None else alpha
    bases = Bases(all=base_all, sector=base_sector)
    return audit_claims(claims, published, bases, level=level, alpha=alpha, deff=deff)


def build(section_data, **params):
    level = params.get("level", 0.95)
    audit = make_audit(**params)
    result = ca.build(section_data(level=level, deff=params.get("deff", 1.08)), audit=audit, **TEXT)
    return result, audit


def figure_texts(fig) -> str:
    """Every string drawn on the figure (title, labels, legend, footer)."""
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def row(plotted: pd.DataFrame, claim_id: str):
    return plotted.set_index("claim_id").loc[claim_id]


def test_default_forest_draws_every_tested_claim_with_its_flip_point(section_data):
    result, audit = build(section_data)
    fig = result.figures[0]
    p = fig.plotted
    tested = audit[audit["p_value"].notna()]
    # every claim with a test, in register order, at its difference (points) and verdict
    assert p["claim_id"].tolist() == tested["comparison_id"].tolist()
    assert p["estimate"].to_numpy() == pytest.approx(100 * tested["diff"].to_numpy())
    assert p["verdict"].tolist() == tested["verdict"].tolist()
    f = result.findings
    assert (f["n_claims"], f["n_tested"], f["n_supported"]) == (74, 26, 12)
    assert fig.title == "12 of 26 tested claims exceed sampling noise at 5%, DEFF 1.08"
    # c04 communication 7% -> 12% (r25-006 vs ap24-016): supported at DEFF 1.08 only just:
    # it flips at 1.084 (issue 11), shown to three decimals since 1.08 would look equal
    c04 = row(p, "c04")
    assert c04["verdict"] == S and c04["interval"] == "Newcombe"
    assert c04["label"].endswith("Newcombe · holds up to DEFF 1.084")
    assert "7% → 12%" in c04["label"]
    assert c04["flip_deff"] == pytest.approx(1.084065, abs=1e-6)
    # c24 private optimism 50% -> 37% at 68 per wave: not significant unless DEFF < 0.63
    assert row(p, "c24")["label"].endswith("significant only below DEFF 0.63")
    # c31 strong leadership vs trust (paired, same respondents): Wald interval, and the
    # verdict depends on the overlap between DEFF 0.03 and 1.30
    c31 = row(p, "c31")
    assert (c31["verdict"], c31["interval"], c31["kind"]) == (D, "Wald paired", "between_items")
    assert c31["label"].endswith("Wald paired · overlap decides from DEFF 0.03 to 1.30")
    assert c31["p_value_min"] == pytest.approx(0.0314, abs=1e-4)
    assert c31["p_value_max"] == pytest.approx(0.7451, abs=1e-4)
    # provenance: the published rows of both sides
    assert c04["stat_id"] == audit.set_index("comparison_id").at["c04", "source"]
    assert c04["stat_id"].count(";") >= 1
    # legend words from text.verdict_label, footer names both interval methods
    legend = [t.get_text() for t in fig.figure.legends[0].get_texts()]
    assert legend == [
        text.verdict_label(v, alpha=0.05) for v in dict.fromkeys(p["verdict"].map(Verdict))
    ]
    drawn = figure_texts(fig.figure)
    assert "c04 communication: 7% → 12%\nNewcombe · holds up to DEFF 1.084" in drawn
    assert "Newcombe hybrid score (independent samples)" in drawn
    assert "Wald paired (two options, same respondents" in drawn
    plt.close(fig.figure)


def test_most_positive_statement_needs_every_comparison(section_data):
    result, _ = build(section_data)
    s27 = result.findings["multi_statements"]["s27"]
    # "Non-profit leaders remain the most positive": above private (c27) is supported, above
    # education (c28, p = 0.095) is not, above public (c29) cannot be tested (level lost)
    assert result.findings["flips"]["c27"][0] is S
    assert s27["verdict"] is N and s27["failing"] == ["c28", "c29"]
    assert "s27 (failing c28, c29)" in str(result)
    assert result.findings["multi_statements"]["s28"]["verdict"] is D
    plt.close(result.figures[0].figure)


@pytest.mark.parametrize(
    ("level", "deff", "base_all", "base_sector"),
    [
        (0.95, 1.0, 274, 68),
        (0.90, 1.08, 274, 68),
        (0.99, 1.5, 274, 68),
        (0.95, 1.5, 50, 68),
        (0.90, 1.0, 400, 137),
    ],
)
def test_verdict_words_follow_p_and_alpha_at_other_parameters(
    section_data, level, deff, base_all, base_sector
):
    result, audit = build(
        section_data, level=level, deff=deff, base_all=base_all, base_sector=base_sector
    )
    alpha = round(1 - level, 10)
    fig = result.figures[0]
    p = fig.plotted
    for r in p.itertuples():
        verdict = Verdict(r.verdict)
        if verdict in (S, Verdict.CONTRADICTED):
            assert r.p_value_max < alpha
            assert r.flip_deff > deff  # holds at this DEFF, up to the flip
        elif verdict is N:
            assert r.p_value_min >= alpha
            assert math.isnan(r.flip_deff) or r.flip_deff <= deff
        elif verdict is D:
            assert r.p_value_min < alpha <= r.p_value_max
            assert r.flip_deff_low <= deff < r.flip_deff
        # the label states the flip with the words of this verdict
        assert r.label.endswith(ca.flip_words(verdict, r.flip_deff, r.flip_deff_low, deff=deff))
        assert r.interval == ("Wald paired" if r.kind == "between_items" else "Newcombe")
    n_supported = int((p["verdict"] == S).sum())
    alpha_pct = text.format_level(alpha)
    assert fig.title == f"{n_supported} of {len(p)} tested claims exceed sampling noise at " + (
        f"{alpha_pct}, DEFF {deff:g}"
    )
    assert result.findings["verdicts"] == {
        v: int((audit["verdict"] == v.value).sum())
        for v in Verdict
        if (audit["verdict"] == v).any()
    }
    # every verdict word in the sentences is made at this alpha; nothing of the defaults
    # leaks into the title, subtitle, legend or footer of a run at other values
    sentences = str(result)
    assert text.verdict_words(S, alpha=alpha) in sentences
    drawn = figure_texts(fig.figure)
    assert f"at {alpha_pct}" in drawn
    if alpha != 0.05:
        assert "at 5%" not in drawn + sentences
        assert "95%" not in fig.title + fig.subtitle
    if deff != 1.08:
        assert "1.08" not in fig.title + fig.subtitle
        assert f"DEFF = {deff:g} set for this run" in drawn
    if base_all != 274:
        assert "274" not in drawn
        assert f"whole sample {base_all} per wave" in drawn
    plt.close(fig.figure)


@pytest.mark.parametrize(
    ("claim_id", "level"),
    [("c04", 0.95), ("c04", 0.99), ("c24", 0.95), ("c30", 0.99), ("c31", 0.95)],
)
def test_the_flip_point_drawn_is_where_the_audit_verdict_changes(level, claim_id):
    # The flip point the forest draws is the audit row's (test_default_forest_... checks the
    # drawing); here: recompute the audit just either side of it.
    row = make_audit(level=level).set_index("comparison_id").loc[claim_id]
    verdict, flip, flip_low = Verdict(row["verdict"]), row["flip_deff"], row["flip_deff_low"]
    if math.isnan(flip):
        pytest.skip(f"{claim_id} is significant at no design effect at level {level}")
    below = make_audit(level=level, deff=round(flip * 0.995, 6)).set_index("comparison_id")
    above = make_audit(level=level, deff=round(flip * 1.005, 6)).set_index("comparison_id")
    before, after = Verdict(below.at[claim_id, "verdict"]), Verdict(above.at[claim_id, "verdict"])
    if verdict is S:  # supported up to the flip, then no longer (for paired rows: the overlap)
        assert before is S and after in (N, D)
    elif verdict is N:  # not distinguishable from the flip on; some p under alpha below it
        assert before in (S, D) and after is N
    else:  # depends on the overlap: not distinguishable from the flip on
        assert (before, after) == (D, N)
        low = make_audit(level=level, deff=round(flip_low * 0.99, 6)).set_index("comparison_id")
        assert Verdict(low.at[claim_id, "verdict"]) is S


def test_an_audit_at_another_alpha_is_refused(section_data):
    audit = make_audit(level=0.95, alpha=0.01)
    with pytest.raises(ValueError, match="computed at alpha 0.01, the run uses 0.05"):
        ca.build(section_data(level=0.95), audit=audit, **TEXT)
    with pytest.raises(ValueError, match="computed at level 0.99, the run uses 0.95"):
        ca.build(section_data(level=0.95), audit=make_audit(level=0.99), **TEXT)


def test_check_audit_names_file_and_column():
    audit = make_audit()
    with pytest.raises(DataValidationError, match="flip_deff") as err:
        ca.check_audit(audit.drop(columns="flip_deff"), name="claims_audit.parquet")
    assert "claims_audit.parquet" in str(err.value)
    bad = audit.assign(verdict=audit["verdict"].replace("supported", "significant"))
    with pytest.raises(DataValidationError, match="unknown verdict values"):
        ca.check_audit(bad)
    mixed = audit.assign(deff=[1.0] + [1.08] * (len(audit) - 1))
    with pytest.raises(DataValidationError, match="one deff per audit"):
        ca.check_audit(mixed)


def test_committed_audit_reads_and_matches_the_session_audit():
    committed = ca.read_audit("data/processed/claims_audit.parquet")
    level, alpha, deff = ca.run_parameters(committed)
    session = make_audit(level=level, deff=deff)
    assert committed["verdict"].tolist() == session["verdict"].tolist()
    assert committed["flip_deff"].to_numpy() == pytest.approx(
        session["flip_deff"].to_numpy(), rel=1e-9, nan_ok=True
    )
