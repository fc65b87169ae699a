"""Section 04 (impact domains): the builder on both producers, at default and other values."""

from __future__ import annotations

import math

import pytest
from statsmodels.stats.proportion import proportions_ztest

from analysis import text
from analysis.figures import impact_domains
from analysis.tooling.registry import load_registry
from analysis.vocab import Verdict

SPEC = load_registry().figure("fig-2025-04-domains-confidence-fell")
TEXT = {"figure_id": SPEC.id, **SPEC.text()}
ITEMS = impact_domains.ITEMS


def _footer(result) -> str:
    texts = result.figures[0].figure.texts
    return " ".join(" ".join(t.get_text().split()) for t in texts if t.get_gid() == "footer")


def test_published_edition_draws_printed_levels_changes_and_placeholders(section_data):
    data = section_data()
    result = impact_domains.build(data, **TEXT)
    fig = result.figures[0]
    plotted = fig.plotted.set_index(["label", "wave"])
    drawn = plotted[plotted["status"] == "published"]
    assert {k: (r["value"], r["stat_id"]) for k, r in drawn.iterrows()} == {
        ("Economic security, supply chains and trade", 2024): (23.0, "r25-035"),
        ("Economic security, supply chains and trade", 2025): (9.4, "r25-036"),
        ("Long-term infrastructure", 2024): (29.0, "r25-038"),
        ("Long-term infrastructure", 2025): (17.0, "r25-039"),
    }
    # printed changes without levels: placeholders as printed, DIRECTION_ONLY, never tested
    skills = plotted.loc[("Skills development", 2025)]
    assert (skills["estimate_status"], skills["display_text"]) == (
        "change_only",
        "change only: -6%",
    )
    f = result.findings
    assert f["direction_only"] == ["domain_skills", "domain_net_zero"]
    for item in f["direction_only"]:
        change = f["changes"][item]
        assert change["verdict"] is Verdict.DIRECTION_ONLY and math.isnan(change["p_value"])
        assert change["diff"] == pytest.approx(-0.06)  # the printed -6, unit not stated
    # the five domains named strongest: their 2025 levels are lost, drawn as not published
    assert f["lost"] == list(impact_domains.NAMED)
    for item in impact_domains.NAMED:
        row = plotted.loc[(data.label(item), 2025)]
        assert row["estimate_status"] == "lost" and row["display_text"] == "not published"
        assert f["changes"][item]["verdict"] is None  # nothing to compare
    assert f["fell"] == ["domain_economic_security", "domain_infrastructure"]
    assert f["largest_fall_item"] == "domain_economic_security"
    assert f["fell_most_tested"] is False
    assert "most" not in fig.title
    assert fig.title == (
        "Economic security and infrastructure fell beyond sampling noise; "
        "skills and net zero: printed changes only"
    )
    assert len(fig.title.split()) <= 15
    assert "printed change: -14% (r25-037)" in _footer(result)
    # 9.4% is not k/274 for any whole k: the 2025 base is not the assumed 274
    assert f["granularity"] == {
        "domain_economic_security": {"value": 0.094, "base": 274, "whole_count": False}
    }


def test_tested_falls_match_statsmodels(section_data):
    # 23% of the stated 274 (2024) and 9.4% of an assumed 274 (2025): counts 63 and 26;
    # infrastructure 29% and 17%: counts 79 and 47
    f = impact_domains.build(section_data(deff=1.0), **TEXT).findings
    for item, counts in (
        ("domain_economic_security", [26, 63]),
        ("domain_infrastructure", [47, 79]),
    ):
        _, p = proportions_ztest(counts, [274, 274])
        assert f["changes"][item]["p_value"] == pytest.approx(p, rel=1e-9)
        assert f["changes"][item]["diff"] == pytest.approx((counts[0] - counts[1]) / 274)


@pytest.mark.parametrize(
    ("level", "deff", "base_all"),
    [(0.95, 1.08, 274), (0.90, 1.0, 274), (0.99, 1.5, 274), (0.95, 1.0, 60), (0.99, 3.0, 80)],
)
def test_verdict_words_follow_the_p_value_and_alpha(section_data, level, deff, base_all):
    data = section_data(level=level, deff=deff, base_all=base_all)
    result = impact_domains.build(data, **TEXT)
    f, title = result.findings, result.figures[0].title
    sentences = " ".join(result.sentences)
    for item, change in f["changes"].items():
        p, verdict = change["p_value"], change["verdict"]
        if verdict in (None, Verdict.DIRECTION_ONLY):
            continue
        assert verdict is (Verdict.SUPPORTED if p < data.alpha else Verdict.NOT_DISTINGUISHABLE)
        assert f"{text.format_p(p, alpha=data.alpha)} at " in sentences
        assert text.verdict_words(verdict, alpha=data.alpha) in sentences
        named = impact_domains.NAMES[item] in title.split(" beyond sampling noise")[0].lower()
        assert named == (verdict is Verdict.SUPPORTED) or "No change" in title
    assert f["fell"] == [
        i for i, c in f["changes"].items() if c["verdict"] is Verdict.SUPPORTED and c["diff"] < 0
    ]
    assert "skills and net zero: printed changes only" in title
    if level != 0.95:
        assert "95%" not in " ".join([title, result.figures[0].alt, sentences, _footer(result)])
    assert f"assumed n={base_all} all leaders (2025)" in _footer(result)


def test_small_bases_and_a_large_design_effect_leave_no_fall_established(section_data):
    result = impact_domains.build(section_data(level=0.99, deff=3.0, base_all=80), **TEXT)
    f = result.findings
    assert f["fell"] == [] and f["within_noise"]
    assert result.figures[0].title.startswith("No change beyond sampling noise in")


def test_respondent_edition_draws_the_estimates_and_labels_absent_items(respondent_section_data):
    data = respondent_section_data()
    result = impact_domains.build(data, **{**TEXT, "figure_id": SPEC.id_for("respondents", 2025)})
    fig = result.figures[0]
    assert fig.id == "resp-2025-04-domains-confidence-fell"
    labels = {data.label(i): i for i in ITEMS}
    plotted = fig.plotted
    for r in plotted[plotted["status"] == "published"].itertuples():
        assert r.value == pytest.approx(100 * data.value(r.wave, labels[r.label]))
    # the five domains first asked in 2025: 'not asked' in 2024, never a zero
    for item in impact_domains.NAMED:
        row = plotted[(plotted["label"] == data.label(item)) & (plotted["wave"] == 2024)].iloc[0]
        assert row["display_text"] == "not asked" and math.isnan(row["value"])
        assert row["estimate_status"] == "absent"
        assert result.findings["changes"][item]["verdict"] is None
    for item in impact_domains.DECLINED:
        comp = data.comparison(item)
        change = result.findings["changes"][item]
        assert change["p_value"] == comp.p_value and change["verdict"] is Verdict(comp.verdict)
    assert result.findings["direction_only"] == [] and result.findings["lost"] == []
    assert "SYNTHETIC DATA" in _footer(result)
