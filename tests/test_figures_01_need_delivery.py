"""Section 01 (need and delivery): the builder on both producers, at default and other values."""

from __future__ import annotations

import math

import pytest
from statsmodels.stats.proportion import proportions_ztest

from analysis import text
from analysis.figures import need_delivery
from analysis.plot import get_alt_text
from analysis.tooling.registry import load_registry
from analysis.vocab import Verdict

SPEC = load_registry().figure("fig-2025-01-need-and-delivery-gap")
TEXT = {"figure_id": SPEC.id, **SPEC.text()}
ITEMS = need_delivery.ITEMS


def _texts(result) -> str:
    fig = result.figures[0]
    return " ".join([fig.title, fig.subtitle, fig.alt, *result.sentences])


def _footer(result) -> str:
    """The figure's footer, its wrapped lines joined."""
    texts = result.figures[0].figure.texts
    return " ".join(" ".join(t.get_text().split()) for t in texts if t.get_gid() == "footer")


def test_published_edition_draws_the_printed_numbers(section_data):
    result = need_delivery.build(section_data(), **TEXT)
    fig = result.figures[0]
    drawn = fig.plotted[fig.plotted["status"] == "published"].set_index(["label", "wave"])
    # 2024 levels from the 2024 leaders' view, 2025 from the 2025 report (as printed)
    expected = {
        ("Collaboration can support economic growth", 2024): (92.0, "lv24-002"),
        ("Collaboration can support economic growth", 2025): (92.0, "r25-001"),
        ("Rate current collaboration good or excellent", 2024): (11.0, "lv24-003"),
        ("Rate current collaboration good or excellent", 2025): (12.0, "r25-002"),
        ("See tangible economic growth outcomes", 2024): (26.0, "r25-004"),
    }
    assert {k: (r.value, r.stat_id) for k, r in drawn.iterrows()} == expected
    # the 2025 tangible-outcomes figure is a bound: shown as printed, no marker, not tested
    bound = fig.plotted.set_index(["label", "wave"]).loc[
        ("See tangible economic growth outcomes", 2025)
    ]
    assert (bound["stat_id"], bound["estimate_status"]) == ("r25-003", "bound")
    assert bound["display_text"] == "less than 3 in 10" and math.isnan(bound["value"])
    f = result.findings
    assert f["changes"]["tangible_outcomes"]["verdict"] is Verdict.UNTESTABLE
    assert (f["need"], f["rating"]) == (0.92, 0.12)
    assert f["gap"] == pytest.approx(0.80) and f["gap_previous"] == pytest.approx(0.81)
    assert (
        fig.title == "92% believe collaboration can support growth; 12% rate it good or excellent"
    )
    assert "2024 and 2025" in fig.subtitle
    # 92% in both waves: one label says so (issue 12: one marker used to hide the other)
    labels = [t.get_text() for t in fig.figure.axes[0].texts]
    assert "92% in 2024 and 2025" in labels and "92 %" not in " ".join(labels)
    assert "also printed: one-fourth (r25-029)" in _footer(result)


def test_rating_change_matches_statsmodels_at_the_stated_and_assumed_bases(section_data):
    # 11% of the stated 274 (2024) and 12% of an assumed 274 (2025), no design effect:
    # counts 30 and 33, pooled z test (statsmodels proportions_ztest)
    f = need_delivery.build(section_data(deff=1.0), **TEXT).findings
    _, p = proportions_ztest([33, 30], [274, 274])
    change = f["changes"]["rating_good_excellent"]
    assert change["p_value"] == pytest.approx(p, rel=1e-9)
    assert change["verdict"] is Verdict.NOT_DISTINGUISHABLE
    assert f["n_supported"] == 0


@pytest.mark.parametrize(
    ("level", "deff", "base_all"),
    [(0.95, 1.08, 274), (0.90, 1.0, 274), (0.99, 1.5, 274), (0.95, 1.0, 1000), (0.90, 1.2, 120)],
)
def test_verdict_words_follow_the_p_value_and_alpha(section_data, level, deff, base_all):
    data = section_data(level=level, deff=deff, base_all=base_all)
    result = need_delivery.build(data, **TEXT)
    sentences = " ".join(result.sentences)
    for change in result.findings["changes"].values():
        p, verdict = change["p_value"], change["verdict"]
        if math.isnan(p):
            continue
        assert verdict is (Verdict.SUPPORTED if p < data.alpha else Verdict.NOT_DISTINGUISHABLE)
        assert f"{text.format_p(p, alpha=data.alpha)} at " in sentences
        assert text.verdict_words(verdict, alpha=data.alpha) in sentences
    # the run's level and bases, never the defaults', in every text
    if level != 0.95:
        assert "95%" not in _texts(result) and "95%" not in _footer(result)
        assert f"{text.format_level(level)} Wilson intervals" in _footer(result)
    comp = data.comparison("rating_good_excellent")
    assert comp.n_a == pytest.approx(base_all / deff)
    assert f"assumed n={base_all} all leaders (2025)" in _footer(result)


def test_equal_levels_are_one_label_and_not_distinguishable(section_data):
    result = need_delivery.build(section_data(deff=1.0), **TEXT)
    change = result.findings["changes"]["belief_growth"]
    assert change["diff"] == 0 and change["p_value"] == pytest.approx(1.0)
    assert result.sentences[0] == (
        "Collaboration can support economic growth: 92% in 2024, 92% in 2025 (0 points; "
        "p = 1.000 at effective n=274 per wave): not distinguishable from sampling noise at 5%."
    )
    drawn_alt = get_alt_text(result.figures[0].figure)  # the chart's own text alternative
    assert "Collaboration can support economic growth: 92% in both 2024 and 2025" in drawn_alt


def test_respondent_edition_draws_the_estimates_and_marks_synthetic(respondent_section_data):
    data = respondent_section_data()
    result = need_delivery.build(data, **{**TEXT, "figure_id": SPEC.id_for("respondents", 2025)})
    fig = result.figures[0]
    assert fig.id == "resp-2025-01-need-and-delivery-gap"
    plotted = fig.plotted
    assert (plotted["status"] == "published").all()  # every cell estimated in both waves
    labels = {data.label(i): i for i in ITEMS}
    for r in plotted.itertuples():
        assert r.value == pytest.approx(100 * data.value(r.wave, labels[r.label]))
        assert r.estimate_status == "estimated"
    assert "SYNTHETIC DATA" in _footer(result)
    for item in ITEMS:
        change = result.findings["changes"][item]
        comp = data.comparison(item)
        assert change["p_value"] == comp.p_value and change["verdict"] is Verdict(comp.verdict)
    # one precision: estimates are labelled in whole percentages, in the chart and the text
    assert all(t.endswith("%") and "." not in t for t in plotted["display_text"])
    assert "." not in fig.title.split("%")[0]
