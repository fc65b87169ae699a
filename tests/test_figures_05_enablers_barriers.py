"""The enablers-and-barriers builder on both producers, at default and other parameters.

The ranking verdicts of the published edition come from the claims audit (paired
comparisons over the unknown overlap of two options, ``analysis.audit.claims``), computed
here at the same level, alpha, design effect and bases as the section data; those of the
respondent edition from the producer's design-based paired comparisons (``compare_items``).
"""

from __future__ import annotations

import functools
import math

import matplotlib.text
import pandas as pd
import pytest

from analysis import text
from analysis.audit.claims import Bases, audit_claims
from analysis.figures import enablers_barriers as eb
from analysis.figures.base import SectionData
from analysis.source.published import load_claims, load_published
from analysis.tooling.registry import load_registry
from analysis.vocab import ComparisonKind, Verdict

REGISTRY = load_registry()
IDS = {"enablers": "fig-2025-05-enablers", "barriers": "fig-2025-05-barriers"}
TEXT = {k: {"figure_id": i, **REGISTRY.figure(i).text()} for k, i in IDS.items()}
RESP_TEXT = {
    k: {**v, "figure_id": REGISTRY.figure(IDS[k]).id_for("respondents", 2025)}
    for k, v in TEXT.items()
}


@functools.cache
def _audit(level, alpha, deff, base_all, base_sector) -> pd.DataFrame:
    return audit_claims(
        load_claims(),
        load_published(),
        Bases(all=base_all, sector=base_sector),
        level=level,
        alpha=alpha,
        deff=deff,
    )


def audit(level=0.95, deff=1.08, base_all=274, base_sector=68) -> pd.DataFrame:
    return _audit(level, round(1 - level, 10), deff, base_all, base_sector)


def published(section_data, **params) -> tuple[SectionData, pd.DataFrame]:
    data = section_data(**params)
    return data, eb.ranking_from_audit(audit(**params))


def figure_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.figure.findobj(matplotlib.text.Text)]


def expected_verdict(p_min: float, p_max: float, alpha: float) -> Verdict:
    if math.isnan(p_max):
        return Verdict.UNTESTABLE
    if p_max < alpha:
        return Verdict.SUPPORTED
    if p_min < alpha:
        return Verdict.DEPENDS_ON_OVERLAP
    return Verdict.NOT_DISTINGUISHABLE


def test_published_edition_draws_the_printed_numbers_and_the_audits_verdicts(section_data):
    data, ranking = published(section_data)
    result = eb.build(data, figures=TEXT, ranking=ranking)
    enablers, barriers = result.figures
    drawn = enablers.plotted.set_index(["item_id", "wave"])
    # the printed levels (r25-047/048/052/053) with their stat_ids
    for (item, wave), (value, stat_id) in {
        ("enabler_shared_goals", 2025): (71.0, "r25-047"),
        ("enabler_strong_leadership", 2025): (61.0, "r25-048"),
        ("enabler_trust", 2024): (75.3, "r25-052"),
        ("enabler_trust", 2025): (58.6, "r25-053"),
    }.items():
        assert drawn.loc[(item, wave), "value"] == pytest.approx(value)
        assert drawn.loc[(item, wave), "stat_id"] == stat_id
    assert drawn.loc[("enabler_shared_goals", 2024), "display_text"] == "not published"
    assert drawn.loc[("enabler_regulatory", 2025), "display_text"] == "change only: dropped by 11%"
    assert drawn.loc[("enabler_regulatory", 2025), "estimate_status"] == "change_only"
    # the audit's paired verdicts (c30, c32: supported; c33: regulatory level lost)
    f = result.findings["enablers"]
    assert f["top_item"] == "enabler_shared_goals" and f["top_value"] == 0.71
    assert f["rank_verdicts"] == {
        "enabler_strong_leadership": Verdict.SUPPORTED,
        "enabler_trust": Verdict.SUPPORTED,
        "enabler_regulatory": Verdict.UNTESTABLE,
    }
    a = audit().set_index("comparison_id")
    assert f["rank_p"]["enabler_strong_leadership"] == (
        pytest.approx(a.loc["c30", "p_value_min"]),
        pytest.approx(a.loc["c30", "p_value_max"]),
    )
    assert f["top_leads"] is False and f["ranking_tested"] is True
    # trust: 75.3% -> 58.6% tested year on year; regulatory: printed change only
    assert f["changes"]["enabler_trust"]["diff"] == pytest.approx(-0.167)
    assert f["changes"]["enabler_trust"]["verdict"] is Verdict.SUPPORTED
    assert f["changes"]["enabler_regulatory"]["verdict"] is Verdict.DIRECTION_ONLY
    assert enablers.title == (
        "Shared goals highest, lead not established; trust and mutual respect fell from "
        "75.3% to 58.6%"
    )
    # barriers: misaligned priorities above bureaucracy depends on the overlap (c36)
    g = result.findings["barriers"]
    assert g["top_item"] == "barrier_misaligned_priorities"
    assert g["rank_verdicts"]["barrier_bureaucracy"] is Verdict.DEPENDS_ON_OVERLAP
    assert g["rank_verdicts"]["barrier_resources"] is Verdict.UNTESTABLE
    assert barriers.title == (
        "Misaligned priorities highest, lead not established; lack of trust between sectors "
        "marked up 6%"
    )
    b = barriers.plotted.set_index(["item_id", "wave"])
    assert b.loc[("barrier_misaligned_priorities", 2025), "stat_id"] == "r25-057"
    assert b.loc[("barrier_bureaucracy", 2025), "value"] == 52.0
    assert b.loc[("barrier_lack_of_trust", 2024), "display_text"] == "1/3"
    # the sentences say why the lead is not established, with the p-value range
    said = str(result)
    assert "p from <0.001 to 0.048 over the unknown overlap" in said
    assert "depends on the unknown overlap of respondents at 5%" in said
    assert "lead" not in enablers.title.replace("lead not established", "")


@pytest.mark.parametrize(
    ("level", "deff", "base_all"),
    [(0.90, 1.0, 274), (0.99, 1.5, 274), (0.95, 1.5, 150)],
)
def test_ranking_verdicts_follow_the_p_range_and_alpha(section_data, level, deff, base_all):
    data, ranking = published(section_data, level=level, deff=deff, base_all=base_all)
    result = eb.build(data, figures=TEXT, ranking=ranking)
    said = str(result)
    for key in ("enablers", "barriers"):
        f = result.findings[key]
        for other, verdict in f["rank_verdicts"].items():
            p_min, p_max = f["rank_p"][other]
            assert verdict is expected_verdict(p_min, p_max, data.alpha), (key, other)
            if verdict is not Verdict.UNTESTABLE:
                assert text.verdict_words(verdict, alpha=data.alpha) in said
        leads = all(v is Verdict.SUPPORTED for v in f["rank_verdicts"].values())
        assert f["top_leads"] is leads
        title = result.figures[list(eb.PANELS).index(key)].title
        assert ("lead the" in title) is leads
    # no 95%, 5% or 274 typed into text for another run
    texts = [t for fig in result.figures for t in figure_texts(fig)]
    footer = " ".join(" ".join(texts).split())
    assert f"lines show {text.format_level(level)} Wilson intervals" in footer
    assert f"assumed n={base_all} all leaders (2025)" in footer
    if level != 0.95:
        assert "95%" not in footer and "at 5%" not in said
    assert f"at {text.format_level(data.alpha)}" in said


@pytest.mark.parametrize(("level", "deff", "leads"), [(0.95, 1.08, True), (0.95, 1.5, False)])
def test_lead_is_said_only_when_every_pair_is_supported(section_data, level, deff, leads):
    """The three enablers with printed 2025 levels: shared goals above both others (c30, c32)."""
    data, ranking = published(section_data, level=level, deff=deff)
    panel = eb.Panel(eb.PANELS["enablers"].items[:3], "enablers", "enabler")
    result = eb.build(
        data, figures={"enablers": TEXT["enablers"]}, ranking=ranking, panels={"enablers": panel}
    )
    f = result.findings["enablers"]
    assert f["top_leads"] is leads
    assert result.figures[0].title.startswith(
        "Shared goals lead the enablers;" if leads else "Shared goals highest, lead not established"
    )
    if leads:
        assert "above every other enabler in paired comparisons" in result.sentences[0]


def test_paired_comparisons_of_either_orientation(respondent_section_data):
    """From respondents: a producer's between-items rows, undirected, either way round."""
    data = respondent_section_data()
    rows = []
    for other, diff, p in (
        ("enabler_strong_leadership", -0.097, 0.0004),  # listed as (other, top): top higher
        ("enabler_trust", 0.12, 0.2),  # (top, other), not significant
        ("enabler_regulatory", -0.36, 1e-9),
    ):
        a, b = (other, "enabler_shared_goals") if diff < 0 else ("enabler_shared_goals", other)
        rows.append(
            {
                "comparison_id": f"p-{other}",
                "kind": ComparisonKind.BETWEEN_ITEMS.value,
                "item_a": a,
                "item_b": b,
                "group_a": "all",
                "group_b": "all",
                "wave_a": 2025,
                "wave_b": 2025,
                "diff": diff,
                "p_value": p,
                "p_value_min": p,
                "p_value_max": p,
                "alpha": data.alpha,
                "verdict": (Verdict.SUPPORTED if p < data.alpha else Verdict.NOT_DISTINGUISHABLE),
            }
        )
    others = data.comparisons[data.comparisons["kind"] != ComparisonKind.BETWEEN_ITEMS.value]
    comparisons = pd.concat([others, pd.DataFrame(rows)], ignore_index=True)
    paired = SectionData(
        estimates=data.estimates,
        comparisons=comparisons,
        labels=data.labels,
        wave=2025,
        previous_wave=2024,
        edition=data.edition,
        synthetic=True,
    )
    f = eb.build(paired, figures=RESP_TEXT).findings
    assert f["ranking_source"] == "paired comparisons from respondents"
    assert f["enablers"]["rank_verdicts"] == {
        "enabler_strong_leadership": Verdict.SUPPORTED,
        "enabler_trust": Verdict.NOT_DISTINGUISHABLE,
        "enabler_regulatory": Verdict.SUPPORTED,
    }
    assert f["enablers"]["top_leads"] is False
    # a significant row with the other option higher contradicts the lead
    flipped = comparisons.copy()
    flipped.loc[flipped["comparison_id"] == "p-enabler_trust", ["diff", "p_value"]] = [-0.12, 0.001]
    flipped.loc[flipped["comparison_id"] == "p-enabler_trust", "p_value_max"] = 0.001
    flipped.loc[flipped["comparison_id"] == "p-enabler_trust", "verdict"] = "supported"
    flipped.loc[flipped["comparison_id"] == "p-enabler_trust", "item_a"] = "enabler_shared_goals"
    flipped.loc[flipped["comparison_id"] == "p-enabler_trust", "item_b"] = "enabler_trust"
    again = SectionData(
        estimates=data.estimates, comparisons=flipped, labels=data.labels, wave=2025,
        previous_wave=2024, edition=data.edition,
    )  # fmt: skip
    verdicts = eb.build(again, figures=RESP_TEXT).findings["enablers"]["rank_verdicts"]
    assert verdicts["enabler_trust"] is Verdict.CONTRADICTED


def test_respondent_edition_draws_the_estimates_and_says_the_ranking_is_not_tested(
    respondent_section_data,
):
    full = respondent_section_data()
    # an edition whose producer made no paired comparisons: the ranking is not tested
    comp = full.comparisons[full.comparisons["kind"] != "between_items"]
    data = SectionData(
        estimates=full.estimates, comparisons=comp, labels=full.labels, wave=2025,
        previous_wave=2024, level=full.level, alpha=full.alpha, edition=full.edition,
        synthetic=True,
    )  # fmt: skip
    result = eb.build(data, figures=RESP_TEXT)
    assert [f.id for f in result.figures] == ["resp-2025-05-enablers", "resp-2025-05-barriers"]
    for fig in result.figures:
        drawn = fig.plotted[fig.plotted["status"] == "published"]
        assert len(drawn) == 8  # four options, two waves
        for r in drawn.itertuples():
            assert r.value == pytest.approx(100 * data.value(r.wave, r.item_id))
        assert any("SYNTHETIC" in t for t in figure_texts(fig))
        assert "highest, lead not established" in fig.title
    assert result.findings["ranking_source"] is None
    assert result.findings["enablers"]["ranking_tested"] is False
    assert "the ranking is not tested" in result.sentences[0]
    # trust fell beyond noise in the synthetic waves; the barriers did not move
    assert result.findings["enablers"]["change_item"] == "enabler_trust"
    assert result.figures[1].title.endswith("no change beyond sampling noise at 5% since 2024")


def test_an_option_missing_from_a_wave_is_not_asked_never_zero(respondent_section_data):
    data = respondent_section_data()
    est = data.estimates
    keep = ~((est["item_id"] == "enabler_regulatory") & (est["wave"] == 2024))
    comp = data.comparisons[data.comparisons["item_a"] != "enabler_regulatory"]
    fewer = SectionData(
        estimates=est[keep], comparisons=comp, labels=data.labels, wave=2025,
        previous_wave=2024, edition=data.edition, synthetic=True,
    )  # fmt: skip
    plotted = eb.build(fewer, figures=RESP_TEXT).figures[0].plotted
    row = plotted[(plotted["item_id"] == "enabler_regulatory") & (plotted["wave"] == 2024)]
    assert row["display_text"].iloc[0] == "not asked" and row["value"].isna().all()


def test_ranking_from_audit_keeps_paired_levels_only():
    ranking = eb.ranking_from_audit(audit())
    assert set(ranking["kind"]) == {"between_items"}
    # s35 compares changes ("has seen the most decline"), not levels
    assert not ranking["comparison_id"].isin(["c50", "c51", "c52"]).any()
    assert {"c30", "c31", "c32", "c36"} <= set(ranking["comparison_id"])


@pytest.mark.parametrize("level", [0.95, 0.99])
def test_respondent_rankings_from_the_producers_paired_comparisons(respondent_section_data, level):
    # the wave edition compares every two options of a tick-box question, paired
    data = respondent_section_data(level=level)
    assert (data.comparisons["kind"] == "between_items").any()
    result = eb.build(data, figures=RESP_TEXT)
    assert result.findings["ranking_source"] == "paired comparisons from respondents"
    said = str(result)
    for key in ("enablers", "barriers"):
        f = result.findings[key]
        assert f["ranking_tested"] is True
        top = f["top_item"]
        for other, verdict in f["rank_verdicts"].items():
            p_min, p_max = f["rank_p"][other]
            assert p_min == p_max  # design-based: one p-value, no unknown overlap
            expected = expected_verdict(p_min, p_max, data.alpha)
            if expected is Verdict.SUPPORTED and data.value(2025, top) < data.value(2025, other):
                expected = Verdict.CONTRADICTED
            assert verdict is expected, (key, other)
            assert text.verdict_words(verdict, alpha=data.alpha) in said
        leads = all(v is Verdict.SUPPORTED for v in f["rank_verdicts"].values())
        assert f["top_leads"] is leads
        assert ("lead the" in result.figures[list(eb.PANELS).index(key)].title) is leads
    # SYNTHETIC 2025: shared goals above strong leadership at p = 0.018: a lead at 5%, not at 1%
    enablers = result.findings["enablers"]
    assert enablers["top_item"] == "enabler_shared_goals"
    assert enablers["rank_p"]["enabler_strong_leadership"][0] == pytest.approx(0.0185, abs=5e-4)
    assert enablers["top_leads"] is (level == 0.95)
    # misaligned priorities above bureaucracy (59% vs 52%) is not distinguishable at either
    barriers = result.findings["barriers"]
    assert barriers["rank_verdicts"]["barrier_bureaucracy"] is Verdict.NOT_DISTINGUISHABLE
